// Package core holds skillcert's business operations, shared by every front door
// (the API, the console, the official-account chat). It owns transactions and
// returns *domain.Error; it knows nothing of Echo or HTTP.
package core

import (
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"skillcert/blobstore"
	"skillcert/domain"
	"skillcert/internal/redisguard"
	"skillcert/pii"
	"skillcert/planindex"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// Deps is what core needs from the outside world.
type Deps struct {
	DB      *repo.DB
	Log     *slog.Logger
	Now     func() time.Time // the clock; tests move it
	Sealer  *pii.Sealer      // encrypts and indexes ID numbers and phones
	Options domain.Options   // the configurable option lists

	WeChat   WeChat   // sign-in and phone numbers; nil when WeChat is not configured
	Verifier Verifier // real-name verification; FormatVerifier when nil
	// Face is the face verification service (人脸核身); nil when not configured.
	Face FaceVerifier
	// RequireVerified makes every submit need a verified identity
	// (SKILLCERT_REQUIRE_VERIFIED); plans can also require it one by one.
	RequireVerified bool
	Limiter         *ratelimit.Limiter // shared rate limits; over the database when nil
	LoginRate       int                // sign-in calls per minute per IP; 120 when zero

	// Redis (nil without one) carries sign-outs to every replica at once (nil:
	// they take effect elsewhere through the revocation feed, within
	// SessionFeedTrust) and keeps callback
	// nonces; RedisGuard tells when it is down, and the database stands in.
	Redis      redis.UniversalClient
	RedisGuard *redisguard.Guard

	// PasswordCost is the bcrypt cost of staff passwords; bcrypt.DefaultCost when
	// zero. Tests lower it: under the race detector the default costs seconds.
	PasswordCost int

	Blobs        blobstore.Store      // attachment bytes; attachments are unavailable when nil
	Registration RegistrationSettings // code guessing and upload limits

	Notify NotifySettings // subscribe templates per event kind

	OAWeb OAWeb // the official account's web sign-in (issue 16); nil when not configured

	// Security is WeChat's content security (msgSecCheck, mediaCheckAsync); nil
	// when not configured: what people write is then kept and marked unchecked.
	Security ContentSecurity
	// MediaCheckBase is the public HTTPS base URL (SKILLCERT_MEDIA_CHECK_BASE, by
	// default SKILLCERT_BASE_URL) under which WeChat fetches a photo to check
	// (/wechat/media-check/{token}); photos are not sent for checking without it.
	MediaCheckBase string
}

// Core is the set of business operations over one database.
type Core struct {
	db    *repo.DB
	log   *slog.Logger
	now   func() time.Time
	pii   *pii.Sealer
	opts  domain.Options
	Plans *planindex.Index // the in-memory read model of published plans

	wx        WeChat
	verifier  Verifier
	face      FaceVerifier
	limiter   *ratelimit.Limiter
	loginRate int

	requireVerifiedAll bool
	rdb                redis.UniversalClient
	redisGuard         *redisguard.Guard

	reg  registrationDeps
	gate *submitGate // admission control of submits
	// fullSignals wakes the submits waiting at the gate when their plan fills.
	fullSignals fullSignals
	jobs        sync.WaitGroup // staff jobs and notices running in the background (WaitJobs)
	// quit, closed by StopBackground, cuts short the waits of background work.
	quit     chan struct{}
	quitOnce sync.Once
	// groups commits the transactions of a plan's concurrent submits together.
	groups *groupCommit
	// planFullTold runs one tellDraftsPlanFull of a plan at a time.
	planFullTold singleflight.Group
	// fullFromMemory counts submits refused as plan_full by the read model after the gate.
	fullFromMemory atomic.Int64
	// submitChecked, when set (tests: OnSubmitChecked), runs between a
	// submit's checks and its transaction.
	submitChecked atomic.Pointer[func(registrationID int64)]
	// hints and fullDrafts let a submit burst be refused from memory (submit_memory.go).
	hints      draftHints
	fullDrafts fullDrafts
	notify     NotifySettings

	pwCost    int
	dummyHash func() []byte // a hash at pwCost, compared against for unknown usernames

	sessions       sessionCache   // candidate sessions recently looked up
	sessionFeed    sessionFeed    // the position in the session revocation feed (WatchSessionRevocations)
	sessionStats   sessionStats   // sessions trusted from memory, and read (SessionsAuthenticated)
	sessionLookups sessionLookups // lookups of the sessions not remembered, batched
	revocations    revocations    // sign-outs shared by the replicas (Redis)

	oaWeb OAWeb // web sign-in through the official account; nil when not configured

	security       ContentSecurity
	mediaCheckBase string
}

// New builds Core. Call Plans.Start to keep the read model current.
func New(d Deps) *Core {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	c := &Core{db: d.DB, log: d.Log, now: d.Now, pii: d.Sealer, opts: d.Options, notify: d.Notify, quit: make(chan struct{}),
		revocations: revocations{rdb: d.Redis}, rdb: d.Redis, redisGuard: d.RedisGuard}
	if len(c.opts.Education) == 0 && len(c.opts.SupervisionRegions) == 0 {
		c.opts = domain.DefaultOptions() // no lists given: the embedded defaults, never empty pickers
	}
	c.initSignIn(d)
	c.face, c.requireVerifiedAll = d.Face, d.RequireVerified
	c.oaWeb = d.OAWeb
	c.security, c.mediaCheckBase = d.Security, strings.TrimRight(d.MediaCheckBase, "/")
	c.initPasswords(d.PasswordCost)
	c.reg = newRegistrationDeps(d.Blobs, d.Registration)
	c.gate = newSubmitGate(d.Registration.SubmitConcurrency, d.Registration.SubmitWait)
	c.groups = newGroupCommit(d.DB, c.log, c.gate.slots)
	c.groups.write = c.writeSubmitGroup
	c.groups.now = c.dbNow
	if d.Registration.SubmitQueue != SubmitQueueOff {
		c.groups.queue = c.newSubmitQueue()
		c.groups.max = max(c.gate.slots, maxSubmitGroup)
	}
	c.sessionLookups.db = d.DB
	c.sessionFeed = newSessionFeed(d.DB)
	c.Plans = planindex.New(d.DB, d.Log, d.Now)
	c.Plans.OnFull(c.fullSignals.fire)
	return c
}

// Now returns the current time from core's clock.
func (c *Core) Now() time.Time { return c.now() }

// Options returns the configurable option lists.
func (c *Core) Options() domain.Options { return c.opts }
