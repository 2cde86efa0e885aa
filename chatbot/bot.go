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
	// UnionIDs finds the unionid of a follower WeChat sent none for, to bind by
	// it; nil uses only the unionids that come with messages.
	UnionIDs UnionIDSource
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
	return &Bot{core: cfg.Core, log: cfg.Log, cfg: cfg, store: store{db: cfg.Core.DB()}}
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
	ctx  context.Context
	msg  Message
	now  time.Time
	cand int64 // the bound candidate; 0 when the follower is not bound

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

// event answers subscribe, unsubscribe and menu clicks; other events get no reply.
func (t *turn) event() error {
	switch t.msg.Event {
	case EventSubscribe:
		return t.subscribed()
	case EventUnsubscribe:
		if err := t.core.OAUnfollowed(t.ctx, t.msg.OpenID); err != nil {
			return err
		}
		return t.store.drop(t.ctx, t.msg.OpenID)
	case EventClick:
		if words, ok := MenuKeys[t.msg.EventKey]; ok {
			return t.text(words)
		}
		t.out.line(textMenu)
	}
	return nil
}

// subscribed welcomes a new follower and tells whether the account is bound.
func (t *turn) subscribed() error {
	cand, err := t.core.OAFollowed(t.ctx, t.msg.OpenID, t.msg.UnionID)
	if err != nil {
		return err
	}
	t.cand = cand
	if t.cand == 0 {
		t.lookUpUnionID()
	}
	t.out.line(textWelcome)
	if t.cand == 0 {
		t.out.line(textNeedBind)
	} else {
		t.out.line("您的小程序账号已关联，可直接办理。")
	}
	t.out.blank()
	t.out.line(textMenu)
	if err := t.store.drop(t.ctx, t.msg.OpenID); err != nil {
		return err
	}
	return nil
}

// text answers a text message: a command, else an answer to the step the
// conversation is at, else the menu.
func (t *turn) text(raw string) error {
	cand, err := t.core.OACandidate(t.ctx, t.msg.OpenID, t.msg.UnionID)
	if err != nil {
		return err
	}
	t.cand = cand
	c, found, stale, err := t.store.load(t.ctx, t.msg.OpenID, t.now)
	if err != nil {
		return err
	}
	t.conv, t.found = c, found
	if stale {
		if c.Step != stepIdle {
			t.out.line(textStale)
			t.out.blank()
		}
		t.setStep(stepIdle)
	}
	input := normalize(raw)
	if err := t.dispatch(input, raw); err != nil {
		return err
	}
	return t.persist()
}

func (t *turn) dispatch(input, raw string) error {
	if cmd, ok := parseCommand(input); ok && t.commandApplies(cmd) {
		return t.command(cmd)
	}
	switch t.conv.Step {
	case stepCode:
		return t.onCode(input)
	case stepConfirm:
		return t.onConfirm(input)
	case stepForm:
		return t.onField(input, raw)
	case stepSummary:
		t.out.line("请回复“提交”提交报名，回复“修改”重新填写，或回复“取消”退出（草稿已保存）。")
		return nil
	}
	if code, ok := core.NormalizeOABindCode(input); ok {
		return t.bind(code)
	}
	t.out.line(textMenu)
	return nil
}

// commandApplies tells whether a command word is a command at this step: while
// a free-text field is asked, only help and cancel are (an employer may well be
// called "查询…").
func (t *turn) commandApplies(c command) bool {
	if t.conv.Step == stepForm && fieldByName(t.conv.Field).kind == kindText {
		return c.kind == cmdHelp || c.kind == cmdCancel
	}
	return true
}

func (t *turn) command(c command) error {
	if c.exits() && t.conv.Step != stepIdle {
		t.setStep(stepIdle)
	}
	switch c.kind {
	case cmdRegister:
		return t.startRegistration(c.arg)
	case cmdRecords:
		return t.records()
	case cmdProgress:
		return t.progress()
	case cmdSearch:
		return t.search(c.arg)
	case cmdBind:
		if c.arg == "" {
			t.out.line(textBindHelp)
			return nil
		}
		return t.bind(c.arg)
	case cmdCancel:
		if t.conv.Step == stepIdle {
			t.out.line(textNothingToCancel)
			t.out.line(textMenu)
			return nil
		}
		t.setStep(stepIdle)
		t.out.line(textCancelled)
		return nil
	case cmdSubmit, cmdEdit:
		if t.conv.Step == stepSummary {
			if c.kind == cmdSubmit {
				return t.submit()
			}
			return t.restartForm()
		}
		t.out.line("当前没有待提交的报名。发送“报名”并输入报名码开始。")
		return nil
	}
	t.out.line(textMenu)
	if t.conv.Step != stepIdle {
		t.out.blank()
		t.out.line("（您的报名还在进行中，请继续回复当前问题。）")
	}
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

// requireCandidate tells whether the follower is bound, looking the unionid up
// once if not; when it is not, the reply says how to bind.
func (t *turn) requireCandidate() bool {
	if t.cand == 0 {
		t.lookUpUnionID()
	}
	if t.cand == 0 {
		t.out.line(textNeedBind)
		return false
	}
	return true
}

// lookUpUnionID asks WeChat for the follower's unionid and binds by it.
func (t *turn) lookUpUnionID() {
	if t.cfg.UnionIDs == nil || t.msg.UnionID != "" {
		return
	}
	ctx, cancel := context.WithTimeout(t.ctx, unionIDTimeout)
	defer cancel()
	union, err := t.cfg.UnionIDs.UnionID(ctx, t.msg.OpenID)
	if err != nil || union == "" {
		if err != nil {
			t.log.Debug("unionid lookup", "err", err)
		}
		return
	}
	cand, err := t.core.OAFollowed(t.ctx, t.msg.OpenID, union)
	if err != nil {
		t.log.Warn("record unionid", "err", err)
		return
	}
	t.cand = cand
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
