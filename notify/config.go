package notify

import (
	"context"
	"log/slog"
	"os"
	"time"

	"skillcert/repo"
	"skillcert/wechat"
)

// Sender sends WeChat messages; *wechat.Client is one. Errors are classified with
// wechat.Classify.
type Sender interface {
	SendSubscribe(ctx context.Context, m wechat.SubscribeMessage) error
	SendTemplate(ctx context.Context, m wechat.TemplateMessage) error
}

// Config tunes a Dispatcher. Zero fields take the defaults shown.
type Config struct {
	Workers int // concurrent sends; 4
	// Batch is how many rows a dispatcher holds at most: being sent or queued for
	// a worker. It claims again when no more than Workers are left, so claims come
	// in batches rather than one per event; 2 × Workers.
	Batch        int
	PollInterval time.Duration // how often to look for due rows when idle; 1 s
	// Lease is how long a claim lasts without renewal. A live dispatcher renews
	// its claims every third of it, however long a send takes; a dead one's rows
	// are due again within it; 10 s.
	Lease     time.Duration
	MaxTries  int           // sends of one event before it is marked failed; 8
	RetryBase time.Duration // first retry delay, doubled each time, with jitter; 10 s
	RetryMax  time.Duration // longest retry delay; 30 min
	Rate      float64       // sends per second, per dispatcher; 0 = unlimited
	MiniAppID string        // the mini-program official-account messages open
	// ID is this dispatcher's name in claims; keep it stable across restarts of
	// one replica (and unique among replicas), so that a restart hands back the
	// claims its previous run left at once. Letters, digits, '.' and '-' only;
	// host name + random when empty.
	ID string
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.Batch <= c.Workers {
		c.Batch = 2 * c.Workers
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.Lease <= 0 {
		c.Lease = 10 * time.Second
	}
	if c.MaxTries <= 0 {
		c.MaxTries = 8
	}
	if c.RetryBase <= 0 {
		c.RetryBase = 10 * time.Second
	}
	if c.RetryMax <= 0 {
		c.RetryMax = 30 * time.Minute
	}
	if c.RetryMax < c.RetryBase {
		c.RetryMax = c.RetryBase
	}
	if c.ID = CleanID(c.ID); c.ID == "" {
		c.ID = NewID()
	}
	return c
}

// NewID names a dispatcher afresh: its host and a random suffix.
func NewID() string {
	host, _ := os.Hostname()
	host = CleanID(host)
	if len(host) > 24 {
		host = host[:24]
	}
	return host + "-" + randomHex(4)
}

// CleanID makes s usable as a dispatcher name: letters, digits, '.' and '-'
// (others become '-'), at most 32 bytes.
func CleanID(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) > 32 {
		b = b[:32]
	}
	return string(b)
}

// Deps is what a Dispatcher works with.
type Deps struct {
	DB        *repo.DB
	Sender    Sender
	Templates *Templates       // DefaultTemplates when nil
	Metrics   *Metrics         // unregistered metrics when nil
	Log       *slog.Logger     // slog.Default when nil
	Now       func() time.Time // time.Now when nil
}
