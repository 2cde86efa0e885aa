package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"skillcert/blobstore"
	"skillcert/chatbot"
	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/handlers"
	"skillcert/internal/redisguard"
	"skillcert/opsmetrics"
	"skillcert/pii"
	"skillcert/ratelimit"
	"skillcert/repo"
	"skillcert/wechat"
)

// App is one running skillcert: its database, core, HTTP stack and workers.
type App struct {
	Cfg Config
	Log *slog.Logger
	DB  *repo.DB
	// Sealer encrypts and indexes personal data (tools that write fixtures
	// straight to the database, like the bench, need it).
	Sealer *pii.Sealer
	Core   *core.Core
	// Blobs holds attachments and feedback photos (the data folder or the
	// bucket of SKILLCERT_BLOB_URL); core is its only user past start-up.
	Blobs blobstore.Store
	Echo  *echo.Echo
	Demo  demo.Info
	Redis *redis.Client // nil unless SKILLCERT_REDIS_URL is set
	// redisGuard tracks whether Redis answers; every Redis user falls back to
	// the database (or memory) while it does not. Nil without Redis.
	redisGuard *redisguard.Guard
	WeChat     *wechat.Client // nil unless a WeChat app is configured
	DemoMode   *DemoMode      // demo mode's WeChat stand-in and accounts (demo.go); nil unless Cfg.DemoMode
	metrics    *metrics
	push       *pushWorkers   // notifications: templates, metrics, dispatcher (see notify.go)
	chat       *chatbot.Inbox // the official-account chat's inbox (see chat.go)
	guide      io.Writer      // demo mode's start-up guide
	uploads    uploadRoutes   // routes that take files: the JSON body limit skips them

	webDemoScan func(ctx context.Context, scene string) error // Options.WebDemoScan

	stopOnce sync.Once
	cancel   context.CancelFunc
	workers  sync.WaitGroup
}

// Options are the test seams of New.
type Options struct {
	Now func() time.Time // the clock; time.Now when nil
	// WebDemoScan, when set, gives the web sign-in page a one-click sign-in: it
	// scans the page's QR scene with the WeChat stand-in. Demo mode sets it to
	// its own stand-in's scan.
	WebDemoScan func(ctx context.Context, scene string) error
	// Guide receives demo mode's start-up guide (os.Stderr when nil).
	Guide io.Writer
}

// New opens the database, migrates it (unless told not to), refuses a schema it
// does not know, loads demo data into an empty database when enabled, and builds
// the HTTP stack. Start the background workers with Start.
func New(ctx context.Context, cfg Config, log *slog.Logger, opt Options) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	options, err := domain.LoadOptions(cfg.OptionsFile)
	if err != nil {
		return nil, fmt.Errorf("SKILLCERT_OPTIONS_FILE: %w", err)
	}
	if err := privateDir(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("SKILLCERT_DATA_DIR: %w", err)
	}
	db, err := repo.Open(ctx, cfg.DB, repo.Options{MaxOpenConns: cfg.MaxOpenConns})
	if err != nil {
		return nil, fmt.Errorf("SKILLCERT_DB: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			db.Close()
		}
	}()
	if cfg.Migrate {
		if err := db.Migrate(ctx, log); err != nil {
			return nil, err
		}
	}
	if err := db.SchemaCurrent(ctx); err != nil {
		return nil, err
	}
	if err := db.Check(ctx); err != nil {
		return nil, err
	}
	a := &App{Cfg: cfg, Log: log, DB: db, metrics: newMetrics(), guide: opt.Guide, webDemoScan: opt.WebDemoScan, uploads: uploadRoutes{}}
	if a.Cfg.DemoMode && db.Dialect != repo.SQLite {
		a.Cfg.DemoMode = false
	}
	if a.Cfg.DemoMode {
		a.DemoMode, err = startDemo(cfg.DataDir, func(format string, args ...any) { log.Info(fmt.Sprintf(format, args...)) })
		if err != nil {
			return nil, err
		}
		defer func() {
			if !ok {
				a.DemoMode.stop()
			}
		}()
		a.Cfg.WeChat = a.DemoMode.weChatConfig()
		log.Info("demo mode: WeChat is the built-in stand-in; any login code dev-<name> signs in (unset SKILLCERT_DEMO or set WECHAT_* for real WeChat)",
			"wechat_stand_in", a.DemoMode.WeChatURL)
		if a.Cfg.DemoPublic {
			log.Warn("demo mode listens beyond loopback (SKILLCERT_DEMO_PUBLIC=true): anyone who reaches this address can sign in as anyone", "addr", a.Cfg.Addr)
		} else {
			log.Info("demo mode listens on loopback only (SKILLCERT_DEMO_PUBLIC=true widens it)", "addr", a.Cfg.Addr)
		}
	}
	a.metrics.demoMode(a.Cfg.DemoMode)
	if cfg.Demo {
		a.Demo, err = demo.Seed(ctx, db, opt.Now(), cfg.DemoPlans)
		if err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	if cfg.DataKey == "" && db.Dialect == repo.MySQL {
		return nil, fmt.Errorf("SKILLCERT_DATA_KEY must be set on MySQL: every replica needs the same key for personal data")
	}
	sealer, created, err := loadDataKey(ctx, db, cfg)
	if err != nil {
		return nil, fmt.Errorf("SKILLCERT_DATA_KEY: %w", err)
	}
	if created {
		log.Warn("generated a personal-data key in the data folder; back it up, or set SKILLCERT_DATA_KEY", "file", filepath.Join(cfg.DataDir, "data.key"))
	}
	if a.Redis, err = connectRedis(ctx, cfg.RedisURL); err != nil {
		return nil, err
	}
	if a.Redis != nil {
		a.redisGuard = redisguard.New(log)
	}
	a.metrics.watchRedis(a.redisGuard)
	if a.WeChat, err = newWeChat(a.Cfg.WeChat, a.Redis, a.redisGuard, log); err != nil {
		a.closeRedis()
		return nil, err
	}
	blobs, regSettings, err := registrationDeps(cfg)
	if err != nil {
		a.closeRedis()
		if cfg.Blob.IsS3() {
			return nil, fmt.Errorf("%s: %w", blobstore.URLEnv, err)
		}
		return nil, fmt.Errorf("SKILLCERT_DATA_DIR: %w", err)
	}
	if cfg.Blob.IsS3() {
		// A wrong bucket, endpoint or key stops the start here rather than
		// failing every upload later.
		pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err := blobs.Ping(pctx)
		cancel()
		if err != nil {
			a.closeRedis()
			return nil, fmt.Errorf("%s: %w", blobstore.URLEnv, err)
		}
		log.Info("attachments in object storage", "store", fmt.Sprint(blobs))
	}
	a.Blobs = blobs
	if a.push, err = a.newPush(); err != nil {
		a.closeRedis()
		return nil, err
	}
	a.Sealer = sealer
	limiter := ratelimit.New(db, a.redisOrNil(), a.redisGuard, opt.Now)
	opsmetrics.Register(a.metrics.reg, opsmetrics.Deps{DB: db, Now: opt.Now, Refusals: limiter.Refusals, Limits: ratelimit.LimitNames})
	// Photo checks need WeChat to push verdicts back: demo mode's stand-in never
	// does, so demo photos are kept unchecked rather than pending for ever.
	mediaCheckBase := cfg.MediaCheckBase
	if a.Cfg.DemoMode {
		mediaCheckBase = ""
	}
	a.Core = core.New(core.Deps{DB: db, Log: log, Now: opt.Now, Sealer: sealer, Options: options,
		WeChat: coreWeChat(a.WeChat), Limiter: limiter, LoginRate: cfg.LoginRate,
		Redis: a.redisOrNil(), RedisGuard: a.redisGuard,
		PasswordCost: cfg.Console.PasswordCost,
		Blobs:        blobs, Registration: regSettings,
		Notify: a.push.notifySettings(),
		Face:   coreFace(a.WeChat), RequireVerified: cfg.RequireVerified,
		OAWeb:    coreOAWeb(a.WeChat),
		Security: coreSecurity(a.WeChat), MediaCheckBase: mediaCheckBase})
	a.metrics.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "skillcert_submits_busy_total",
		Help: "Submits answered 503 busy: every submit slot of this replica stayed taken for SKILLCERT_SUBMIT_WAIT."},
		func() float64 { return float64(a.Core.SubmitsRefusedBusy()) }))
	a.metrics.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "skillcert_submits_full_from_memory_total",
		Help: "Submits answered plan_full from the plan read model after waiting for a submit slot (no database write)."},
		func() float64 { return float64(a.Core.SubmitsFullFromMemory()) }))
	a.metrics.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "skillcert_session_feed_age_seconds",
		Help: "Seconds since this replica's last successful read of the session revocation feed began (+Inf before the first); past 3 every candidate request reads its session from the database."},
		func() float64 {
			if age, ok := a.Core.SessionFeedAge(); ok {
				return age.Seconds()
			}
			return math.Inf(1)
		}))
	a.metrics.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "skillcert_sessions_remembered_total",
		Help: "Candidate requests whose session this replica trusted from memory (no database read)."},
		func() float64 { r, _ := a.Core.SessionsAuthenticated(); return float64(r) }))
	a.metrics.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "skillcert_session_reads_total",
		Help: "Candidate requests whose session this replica read from the database."},
		func() float64 { _, r := a.Core.SessionsAuthenticated(); return float64(r) }))
	a.metrics.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "skillcert_sessions_checked_total",
		Help: "Remembered sessions in use read again, in batches, ahead of the end of their hold."},
		func() float64 { return float64(a.Core.SessionsChecked()) }))
	for _, m := range []struct {
		name, help string
		of         func(s core.SubmitGroupStats) int64
	}{
		{"skillcert_submit_transactions_total", "Transactions of submits: commit groups, and submits run alone.",
			func(s core.SubmitGroupStats) int64 { return s.Transactions }},
		{"skillcert_submit_group_members_total", "Submits run in commit groups or alone.",
			func(s core.SubmitGroupStats) int64 { return s.Members }},
		{"skillcert_submit_groups_written_total", "Commit groups written set-based, in a few statements whatever their size.",
			func(s core.SubmitGroupStats) int64 { return s.Written }},
		{"skillcert_submit_groups_declined_total", "Commit groups whose set-based write gave way to member-by-member writes (a member needed its own answer).",
			func(s core.SubmitGroupStats) int64 { return s.Declined }},
		{"skillcert_submit_group_reads_total", "Reads of a commit group's queued draft submits together, by the group's leader.",
			func(s core.SubmitGroupStats) int64 { return s.Reads }},
		{"skillcert_submit_group_read_submits_total", "Queued draft submits read in those reads.",
			func(s core.SubmitGroupStats) int64 { return s.ReadSubmits }},
	} {
		a.metrics.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: m.name, Help: m.help},
			func() float64 { return float64(m.of(a.Core.SubmitGroupStats())) }))
	}
	if err := a.Core.Plans.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("load plans: %w", err)
	}
	// Building the read model reads every plan once: its garbage (rows, the
	// old snapshot) goes back to the OS now rather than staying resident.
	debug.FreeOSMemory()
	if a.DemoMode != nil {
		if a.DemoMode.staff, err = demo.SeedStaff(ctx, db, a.Core, opt.Now()); err != nil {
			a.closeRedis()
			return nil, fmt.Errorf("demo accounts: %w", err)
		}
	}
	h := handlers.New(a.Core, log, options)
	a.Echo = a.buildEcho(h)
	ok = true
	return a, nil
}

func (a *App) buildEcho(h *handlers.Handlers) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = handlers.ErrorHandler(a.Log)
	e.IPExtractor = ipExtractor(a.Cfg.TrustedProxies)
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{}))
	e.Use(a.metrics.middleware)
	if a.Cfg.AccessLog {
		e.Use(accessLog(a.Log))
	}
	e.Use(recoverer(a.Log))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: a.bodyLimit(), Skipper: a.uploads.skip}))
	e.Use(handlers.TextGuard) // valid UTF-8, no bidi controls, in every text field of every door
	a.routes(e, h)
	return e
}

// loadDataKey returns the personal-data sealer (SKILLCERT_DATA_KEY, else the
// data folder's data.key, generated on first start) after proving it opens the
// personal data already stored. A database restored or moved without its key
// stops here with that said, instead of failing on every later read; and no key
// is generated for a database that already holds data sealed with another.
func loadDataKey(ctx context.Context, db *repo.DB, cfg Config) (*pii.Sealer, bool, error) {
	sample, err := db.SealedSample(ctx)
	if err != nil {
		return nil, false, err
	}
	keyFile := filepath.Join(cfg.DataDir, "data.key")
	if _, err := os.Stat(keyFile); cfg.DataKey == "" && sample != "" && errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("the database holds personal data sealed with key %q, but no key is configured "+
			"(SKILLCERT_DATA_KEY is empty and %s does not exist): set the key it was sealed with, or put its data.key back; "+
			"a new key would leave that data unreadable", pii.KeyID(sample), keyFile)
	}
	sealer, created, err := pii.LoadOrCreate(cfg.DataKey, cfg.DataDir)
	if err != nil {
		return nil, false, err
	}
	if err := sealer.Check(sample); err != nil {
		return nil, false, err
	}
	return sealer, created, nil
}

// privateDir creates the data folder (database, data key, attachments) for its
// owner only (0700), or tightens an existing one.
func privateDir(dir string) error {
	if dir == "" || dir == "." || dir == "/" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

// ipExtractor is how the client's address is found: the connection's peer,
// unless that peer is one of the trusted proxies (SKILLCERT_TRUSTED_PROXIES),
// whose X-Forwarded-For is then read from the right, skipping trusted hops. With
// none configured the header is ignored: anyone could write it.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// bodyLimit is the JSON body limit; uploads get their own larger limit.
func (a *App) bodyLimit() string { return a.Cfg.BodyLimit }

// Start runs the background workers (the plan read model's polling, …) until
// Shutdown.
func (a *App) Start(ctx context.Context) {
	ctx, a.cancel = context.WithCancel(ctx)
	a.workers.Add(1)
	go func() {
		defer a.workers.Done()
		if err := a.Core.Plans.Start(ctx); err != nil {
			a.Log.Error("plan index", "err", err)
		}
		<-ctx.Done()
		a.Core.Plans.Stop()
	}()
	a.workers.Add(1)
	go func() {
		defer a.workers.Done()
		a.Core.WatchSessionRevocations(ctx)
	}()
	a.startPush(ctx)
	a.workers.Add(1)
	go func() {
		defer a.workers.Done()
		a.purgeDrafts(ctx)
	}()
	a.workers.Add(1)
	go func() {
		defer a.workers.Done()
		a.backfillIDTails(ctx)
	}()
}

// backfillIDTails fills, once at start, the ID-number tail hash of the
// registrations written before it existed (migration 00024); a later start
// finds nothing left to do.
func (a *App) backfillIDTails(ctx context.Context) {
	n, err := a.Core.BackfillIDTails(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		a.Log.Warn("ID tail backfill", "filled", n, "err", err)
	case n > 0:
		a.Log.Info("ID tail backfill", "filled", n)
	}
}

// purgeDrafts deletes stale never-submitted drafts, the files of registrations
// cancelled before approval, and files no row refers to (personal-data
// retention), and mends feedback left without its plan's region by a rolling
// upgrade, once at start and then hourly, until ctx ends.
func (a *App) purgeDrafts(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if _, err := a.Core.PurgeStaleDrafts(ctx, a.Cfg.DraftRetention); err != nil && ctx.Err() == nil {
			a.Log.Warn("draft retention", "err", err)
		}
		if _, err := a.Core.PurgeCancelledFiles(ctx, a.Cfg.CancelRetention); err != nil && ctx.Err() == nil {
			a.Log.Warn("cancelled registration retention", "err", err)
		}
		if _, err := a.Core.SweepOrphanFiles(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("orphan file sweep", "err", err)
		}
		if n, err := a.Core.SweepFeedbackRegions(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("feedback region repair", "err", err)
		} else if n > 0 {
			a.Log.Info("feedback region repair", "mended", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Shutdown stops the workers and closes the database; safe to call twice.
func (a *App) Shutdown() {
	a.stopOnce.Do(func() {
		if a.cancel != nil {
			a.cancel()
		}
		a.workers.Wait()
		a.Core.StopBackground() // a pending plan-full notice goes now
		a.Core.WaitJobs()       // a results import in the background finishes its batches
		a.closeChat()
		a.Core.Plans.Stop()
		a.DB.Close()
		a.closeRedis()
		if a.DemoMode != nil {
			a.DemoMode.stop()
		}
	})
}

// ready reports whether the database is reachable and its schema current.
func (a *App) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.DB.W.PingContext(ctx); err != nil {
		return err
	}
	return a.DB.SchemaCurrent(ctx)
}

// redisState pings Redis (when configured) and tells whether it is down: a
// failed ping marks it down for every user, a good one brings it back.
func (a *App) redisState(ctx context.Context) (configured, down bool) {
	if a.Redis == nil {
		return false, false
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := a.Redis.Ping(ctx).Err(); err != nil {
		a.redisGuard.Failed(ctx, "ping", err)
	} else {
		a.redisGuard.Succeeded()
	}
	down, _, _ = a.redisGuard.State()
	return true, down
}

// Serve listens on cfg.Addr until ctx ends, then shuts down gracefully: it stops
// taking connections, lets requests in flight finish (up to ShutdownTimeout),
// stops the workers and closes the database.
func (a *App) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Cfg.Addr)
	if err != nil {
		a.Shutdown()
		return fmt.Errorf("SKILLCERT_ADDR: %w", err)
	}
	return a.ServeListener(ctx, ln)
}

// ServeListener is Serve on a listener the caller opened.
func (a *App) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       a.Cfg.ReadTimeout,
		WriteTimeout:      a.Cfg.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
	}
	a.Start(ctx)
	a.serveMetrics(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	url := a.URL(ln.Addr())
	a.Log.Info("skillcert listening", "url", url, "db", string(a.DB.Dialect), "demo_mode", a.DemoMode != nil)
	if a.DemoMode != nil {
		a.demoScanCallback(ln.Addr())
		if err := a.DemoMode.listening(url); err != nil {
			a.Log.Warn("demo mode: cannot record the URL for `skillcert chat`", "err", err)
		}
		w := a.guide
		if w == nil {
			w = os.Stderr
		}
		a.printDemoGuide(w, url)
	}
	select {
	case err := <-errc:
		a.Shutdown()
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), a.Cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	a.Shutdown()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// URL is how the start-up log names the server.
func (a *App) URL(addr net.Addr) string {
	if a.Cfg.BaseURL != "" {
		return a.Cfg.BaseURL
	}
	s := addr.String()
	if strings.HasPrefix(s, "[::]:") || strings.HasPrefix(s, "0.0.0.0:") {
		s = "localhost:" + s[strings.LastIndex(s, ":")+1:]
	}
	return "http://" + s
}
