// Package core holds skillcert's business operations, shared by every front door
// (the API, the console, the official-account chat). It owns transactions and
// returns *domain.Error; it knows nothing of Echo or HTTP.
package core

import (
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/domain"
	"skillcert/pii"
	"skillcert/repo"
)

// Deps is what core needs from the outside world.
type Deps struct {
	DB      *repo.DB
	Log     *slog.Logger
	Now     func() time.Time // the clock; tests move it
	Sealer  *pii.Sealer      // encrypts and indexes ID numbers and phones
	Options domain.Options   // the configurable option lists

	WeChat    WeChat   // sign-in and phone numbers; nil when WeChat is not configured
	Verifier  Verifier // real-name verification; FormatVerifier when nil
	Limiter   *Limiter // shared rate limits; over the database when nil
	LoginRate int      // sign-in calls per minute per IP; 120 when zero

	// Redis, when the replicas share one, carries sign-outs to every replica at
	// once (nil: they take effect elsewhere within SessionCacheTTL).
	Redis redis.UniversalClient

	// PasswordCost is the bcrypt cost of staff passwords; bcrypt.DefaultCost when
	// zero. Tests lower it: under the race detector the default costs seconds.
	PasswordCost int

	Blobs        repo.BlobStore       // attachment bytes; attachments are unavailable when nil
	Registration RegistrationSettings // code guessing and upload limits

	Notify NotifySettings // subscribe templates per event kind
}

// Core is the set of business operations over one database.
type Core struct {
	db    *repo.DB
	log   *slog.Logger
	now   func() time.Time
	pii   *pii.Sealer
	opts  domain.Options
	Plans *PlanIndex // the in-memory read model of published plans

	wx        WeChat
	verifier  Verifier
	limiter   *Limiter
	loginRate int

	reg    registrationDeps
	notify NotifySettings

	pwCost    int
	dummyHash func() []byte // a hash at pwCost, compared against for unknown usernames

	sessions    sessionCache // candidate sessions recently looked up
	revocations revocations  // sign-outs shared by the replicas (Redis)
}

// New builds Core. Call Plans.Start to keep the read model current.
func New(d Deps) *Core {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	c := &Core{db: d.DB, log: d.Log, now: d.Now, pii: d.Sealer, opts: d.Options, notify: d.Notify,
		revocations: revocations{rdb: d.Redis}}
	c.initSignIn(d)
	c.initPasswords(d.PasswordCost)
	c.reg = newRegistrationDeps(d.Blobs, d.Registration)
	c.Plans = NewPlanIndex(d.DB, d.Log, d.Now)
	return c
}

// DB returns the database handle (for stores that front doors read directly).
func (c *Core) DB() *repo.DB { return c.db }

// Now returns the current time from core's clock.
func (c *Core) Now() time.Time { return c.now() }

// Sealer returns the personal-data sealer.
func (c *Core) Sealer() *pii.Sealer { return c.pii }

// Options returns the configurable option lists.
func (c *Core) Options() domain.Options { return c.opts }
