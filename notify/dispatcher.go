package notify

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"skillcert/repo"
)

// Dispatcher claims due outbox rows and delivers them with a bounded pool of
// workers. Several dispatchers (one per replica) may share one database. Start
// it once; Shutdown stops it and is safe to call twice, and before Start.
type Dispatcher struct {
	cfg     Config
	db      *repo.DB
	send    Sender
	tpl     *Templates
	m       *Metrics
	log     *slog.Logger
	now     func() time.Time
	limiter *rate.Limiter

	boot string       // this run's mark in claim tokens: <ID>/<boot>/<seq>
	seq  atomic.Int64 // claim counter: each claim gets its own token
	busy atomic.Int32 // rows in hand: claimed and not finished

	jobs  chan job
	freed chan struct{} // a worker finished a job
	wake  chan struct{}

	heldMu sync.Mutex
	held   map[int64]string // rows in hand → the token they are claimed by (renewed by the heartbeat)

	mu       sync.Mutex
	started  bool
	stopped  bool
	stopCtx  context.Context // ends on Shutdown or when Start's ctx ends
	stop     context.CancelFunc
	wg       sync.WaitGroup
	hbStop   chan struct{} // ends the heartbeat, once the workers are done
	hbWG     sync.WaitGroup
	stopOnce sync.Once
}

// job is one claimed row and the token of its claim.
type job struct {
	row   repo.OutboxRow
	token string
}

// New builds a Dispatcher.
func New(d Deps, cfg Config) *Dispatcher {
	cfg = cfg.withDefaults()
	if d.Templates == nil {
		d.Templates = DefaultTemplates()
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics(nil, d.DB, d.Templates)
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	lim := rate.NewLimiter(rate.Inf, 1)
	if cfg.Rate > 0 {
		// A burst of 1/20 s of sends keeps the rate steady over any second.
		lim = rate.NewLimiter(rate.Limit(cfg.Rate), max(1, int(cfg.Rate/20)))
	}
	return &Dispatcher{
		cfg: cfg, db: d.DB, send: d.Sender, tpl: d.Templates, m: d.Metrics,
		log: d.Log.With("component", "notify", "dispatcher", cfg.ID), now: d.Now, limiter: lim,
		boot: randomHex(4), held: map[int64]string{},
		jobs: make(chan job, cfg.Batch), freed: make(chan struct{}, 1), wake: make(chan struct{}, 1),
	}
}

// Start runs the claimer and the workers until Shutdown or until ctx ends.
// Cancelling ctx is a hard stop: sends not yet on the wire are not made (their
// rows are released or, if the database is gone too, picked up again when their
// lease ends). Shutdown is the graceful stop.
func (d *Dispatcher) Start(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started || d.stopped {
		return
	}
	d.started = true
	d.stopCtx, d.stop = context.WithCancel(ctx)
	d.hbStop = make(chan struct{})
	d.hbWG.Add(1)
	go d.heartbeat(ctx)
	for range d.cfg.Workers {
		d.wg.Add(1)
		go d.worker(ctx)
	}
	d.wg.Add(1)
	go d.claimLoop()
}

// Shutdown stops claiming, releases claimed rows no worker has started, lets the
// sends in flight finish and be recorded, and returns when every goroutine has
// ended. Safe to call twice, and before Start.
func (d *Dispatcher) Shutdown() {
	d.stopOnce.Do(func() {
		d.mu.Lock()
		d.stopped = true
		if d.stop != nil {
			d.stop()
		}
		d.mu.Unlock()
		d.wg.Wait()
		if d.hbStop != nil { // the sends in flight are recorded: no claim left to renew
			close(d.hbStop)
			d.hbWG.Wait()
		}
	})
}

// Wake makes the claimer look for due rows now rather than at its next poll.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// claimLoop keeps up to Batch rows in hand: when no more than Workers are left
// it claims the difference, hands the rows to the workers, and waits for a poll
// tick, a wake-up or a finished row.
func (d *Dispatcher) claimLoop() {
	defer d.wg.Done()
	defer close(d.jobs)
	d.releasePrevious()
	for {
		inHand := int(d.busy.Load())
		full := false
		if inHand <= d.cfg.Workers {
			n := d.cfg.Batch - inHand
			rows, token, err := d.claim(n)
			if err != nil && d.stopCtx.Err() == nil {
				d.log.Warn("claim outbox rows", "err", err)
			}
			for _, r := range rows {
				d.busy.Add(1)
				d.hold(r.ID, token)
				d.jobs <- job{row: r, token: token}
			}
			full = len(rows) == n
		}
		if d.stopCtx.Err() != nil {
			return
		}
		if full {
			continue
		}
		var freed chan struct{}
		if inHand > d.cfg.Workers {
			freed = d.freed
		}
		t := time.NewTimer(d.cfg.PollInterval)
		select {
		case <-d.stopCtx.Done():
			t.Stop()
			return
		case <-freed:
		case <-d.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

func (d *Dispatcher) claim(n int) ([]repo.OutboxRow, string, error) {
	token := d.runPrefix() + strconv.FormatInt(d.seq.Add(1), 10)
	now := utc(d.now())
	rows, err := d.db.ClaimOutbox(d.stopCtx, token, now, now.Add(d.cfg.Lease), n)
	return rows, token, err
}

func (d *Dispatcher) worker(ctx context.Context) {
	defer d.wg.Done()
	for j := range d.jobs {
		if d.stopCtx.Err() != nil {
			d.release(ctx, j)
		} else {
			d.deliver(ctx, j)
		}
		d.unhold(j.row.ID, j.token)
		d.busy.Add(-1)
		select {
		case d.freed <- struct{}{}:
		default:
		}
	}
}

// release hands a claimed row back, due at once, without counting an attempt.
func (d *Dispatcher) release(ctx context.Context, j job) {
	dctx, cancel := dbContext(ctx)
	defer cancel()
	if err := d.db.RescheduleOutbox(dctx, d.db.W, j.row.ID, j.token, utc(d.now()), j.row.LastError); err != nil {
		d.log.Warn("release outbox row (it is due again when its lease ends)", "outbox_id", j.row.ID, "err", err)
	}
}

// dbContext is the context of the database writes that record a send: they
// must happen even when the dispatcher is being stopped, but not hang.
func dbContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
}

// backoff is the delay before the try after n failed ones: RetryBase doubled n-1
// times, at most RetryMax, of which a random half ("equal jitter") so that
// rows failed together do not come back together.
func (d *Dispatcher) backoff(n int) time.Duration {
	delay := d.cfg.RetryMax
	if n < 1 {
		n = 1
	}
	if n <= 32 {
		if v := d.cfg.RetryBase << (n - 1); v > 0 && v < delay {
			delay = v
		}
	}
	half := delay / 2
	return half + time.Duration(rand.Int64N(int64(delay-half)+1))
}

// utc is a time as the database stores it: UTC, microseconds.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
