package chatbot

import (
	"context"
	"log/slog"
	"time"

	"skillcert/core"
	"skillcert/domain"
)

// DefaultTTL is how long a conversation waits for the next answer.
const DefaultTTL = 30 * time.Minute

// unionIDTimeout bounds a unionid lookup made while a follower waits.
const unionIDTimeout = 2 * time.Second

// UnionIDSource looks up the unionid of an official-account follower (WeChat's
// user info API); "" when the account is not under an open platform account.
type UnionIDSource interface {
	UnionID(ctx context.Context, oaOpenID string) (string, error)
}

// Config is what a Bot needs.
type Config struct {
	Core *core.Core
	Log  *slog.Logger
	// MiniProgramAppID links replies to pages of the mini-program (uploads,
	// records); without it the pages are named in words.
	MiniProgramAppID string
	// WebBaseURL is the server's public URL (SKILLCERT_BASE_URL): hand-over
	// links to the web pages start with it; without it, with the callback
	// request's own origin (Message.Origin).
	WebBaseURL string
	// UnionIDs finds the unionid of a follower WeChat sent none for, to bind by
	// it; nil uses only the unionids that come with messages.
	UnionIDs UnionIDSource
	// Store keeps conversations between messages (core's ChatStore).
	Store Store
	// TTL is how long a conversation waits for an answer; DefaultTTL when zero.
	TTL time.Duration
}

// Bot answers official-account messages. It keeps no state of its own between
// messages (everything is in the database) and is safe for concurrent use.
type Bot struct {
	core  *core.Core
	log   *slog.Logger
	cfg   Config
	store store
}

// New builds a Bot.
func New(cfg Config) *Bot {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	return &Bot{core: cfg.Core, log: cfg.Log, cfg: cfg, store: store{s: cfg.Store}}
}

// Handle answers one message: the text of the passive reply, or "" for none
// (WeChat then gets "success"). Failures are logged and answered with a short
// apology; message text is never logged.
func (b *Bot) Handle(ctx context.Context, m Message) string {
	t := &turn{Bot: b, ctx: ctx, msg: m, now: b.core.Now()}
	if err := t.run(); err != nil {
		b.log.Error("official-account chat", "err", err)
		return textBusy
	}
	return t.out.String()
}

// turn is the handling of one message.
type turn struct {
	*Bot
	ctx      context.Context
	msg      Message
	now      time.Time
	cand     int64 // the bound candidate (see resolve); 0 when the follower is not bound
	resolved bool  // cand was looked up

	conv  conv
	found bool // a conversation row exists
	out   reply
}

func (t *turn) run() error {
	switch t.msg.Kind {
	case KindEvent:
		return t.event()
	case KindText:
		return t.text(t.msg.Text)
	}
	t.out.line(textTextOnly)
	t.out.line(textMenu)
	return nil
}

// setStep moves the conversation; stepIdle forgets its data.
func (t *turn) setStep(s step) {
	if s == stepIdle {
		t.conv = conv{}
	}
	t.conv.Step = s
}

// persist stores a conversation under way (each answer restarts its TTL) and
// drops one that ended.
func (t *turn) persist() error {
	if t.conv.Step == stepIdle {
		if t.found {
			return t.store.drop(t.ctx, t.msg.OpenID)
		}
		return nil
	}
	return t.store.save(t.ctx, t.msg.OpenID, t.conv, t.now, t.cfg.TTL)
}

// fail puts a core refusal into the reply; other errors are returned.
func (t *turn) fail(err error) error {
	de, ok := domain.AsError(err)
	if !ok || de.Kind == domain.KindInternal {
		return err
	}
	t.out.line(de.Message)
	return nil
}
