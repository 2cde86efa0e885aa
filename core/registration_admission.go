package core

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"skillcert/domain"
	"skillcert/repo"
)

// Admission control of submits (issue 19): a replica lets a bounded number of
// submit transactions run at once (SubmitConcurrency). A submit that finds
// them all busy waits for a slot up to SubmitWait, then is answered at once
// with 503 busy "报名人数较多，请稍后重试" and a Retry-After of a few seconds
// (jittered, so the retries do not come back together), instead of queueing
// for the database until the client gives up. Refusals of full plans are made
// before the gate (precheckSubmit) and, for submits that waited while the
// seats went, from the read model when their turn comes (knownFull).

// Defaults of the submit gate.
const (
	DefaultSubmitConcurrency = 16
	// DefaultSubmitWait leaves a client with a 10 s timeout room for the
	// transaction after the wait and for a retry after Retry-After: with 8 s,
	// half of an opening-morning burst timed out at the client (bench/README.md,
	// peak); with 2 s none did.
	DefaultSubmitWait = 2 * time.Second
)

// busyRetryMin and busyRetrySpread make the Retry-After of a busy answer:
// 1 to 3 seconds.
const (
	busyRetryMin    = time.Second
	busyRetrySpread = 2 * time.Second
)

type submitGate struct {
	sem     *semaphore.Weighted
	slots   int
	wait    time.Duration
	refused atomic.Int64
}

func newSubmitGate(concurrency int, wait time.Duration) *submitGate {
	if concurrency <= 0 {
		concurrency = DefaultSubmitConcurrency
	}
	if wait <= 0 {
		wait = DefaultSubmitWait
	}
	return &submitGate{sem: semaphore.NewWeighted(int64(concurrency)), slots: concurrency, wait: wait}
}

// errBusy is the answer of a submit that found no slot in time.
func errBusy() *domain.Error {
	e := domain.NewError(domain.KindUnavailable, "busy", "报名人数较多，请稍后重试")
	e.RetryAfter = busyRetryMin + rand.N(busyRetrySpread)
	return e
}

// AdmitSubmit takes a slot of the submit gate, waiting up to SubmitWait; the
// caller runs release when done. Busy (503, Retry-After) when no slot freed in
// time; the context's error when the client went away first.
func (c *Core) AdmitSubmit(ctx context.Context) (release func(), err error) {
	g := c.gate
	if g.sem.TryAcquire(1) {
		return func() { g.sem.Release(1) }, nil
	}
	wctx, cancel := context.WithTimeout(ctx, g.wait)
	defer cancel()
	if err := g.sem.Acquire(wctx, 1); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			g.refused.Add(1)
			return nil, errBusy()
		}
		return nil, err
	}
	return func() { g.sem.Release(1) }, nil
}

// SubmitsRefusedBusy counts the submits the gate refused since start (a
// metric).
func (c *Core) SubmitsRefusedBusy() int64 { return c.gate.refused.Load() }

// SubmitsWaiting is how many submits of drafts on a plan wait at this
// replica's gate for a slot (the tests' view of a burst in flight).
func (c *Core) SubmitsWaiting(planID int64) int {
	f := &c.fullSignals
	f.mu.Lock()
	defer f.mu.Unlock()
	if s := f.m[planID]; s != nil {
		return s.waiters
	}
	return 0
}

// errPlanFilled is admitFor's word that the plan filled while the submit
// waited at the gate: the caller refuses it from memory (refuseFull).
var errPlanFilled = errors.New("plan filled while waiting at the submit gate")

// fullSignals wakes the submits waiting at the gate for a plan's seats when the
// read model learns the plan full (planindex.Index.OnFull): on this replica
// right after the commit that took the last seat, on the others at the next
// poll of the plan change feed. Without it the losers of a burst left the gate
// one slot at a time, each for a memory read, after the winners (bench/README.md,
// the submit burst).
type fullSignals struct {
	mu sync.Mutex
	m  map[int64]*fullSignal
}

type fullSignal struct {
	ctx     context.Context
	cancel  context.CancelFunc
	waiters int
}

// watch returns a context that is done when the plan is learnt full; done
// ends the watch.
func (f *fullSignals) watch(planID int64) (full context.Context, done func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = make(map[int64]*fullSignal)
	}
	s := f.m[planID]
	if s == nil {
		s = &fullSignal{}
		s.ctx, s.cancel = context.WithCancel(context.Background())
		f.m[planID] = s
	}
	s.waiters++
	return s.ctx, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if s.waiters--; s.waiters == 0 {
			s.cancel()
			if f.m[planID] == s {
				delete(f.m, planID)
			}
		}
	}
}

// fire wakes the watchers of a plan (the read model's OnFull hook: it runs
// under the model's lock, so it only cancels a context).
func (f *fullSignals) fire(planID int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s := f.m[planID]; s != nil {
		s.cancel()
		delete(f.m, planID)
	}
}

// admitFor is AdmitSubmit for a submit of pre: a draft that must wait for a
// slot also watches its plan, and leaves the queue with errPlanFilled as soon
// as the plan is learnt full, instead of waiting its turn to be refused.
func (c *Core) admitFor(ctx context.Context, pre repo.SeatState) (release func(), err error) {
	g := c.gate
	if g.sem.TryAcquire(1) {
		return func() { g.sem.Release(1) }, nil
	}
	if pre.Status != domain.StatusDraft {
		return c.AdmitSubmit(ctx) // it holds its seat already
	}
	full, done := c.fullSignals.watch(pre.PlanID)
	defer done()
	if c.knownFull(pre) { // learnt before the watch began
		return nil, errPlanFilled
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	defer context.AfterFunc(full, stop)()
	release, err = c.AdmitSubmit(wctx)
	if err != nil && full.Err() != nil && ctx.Err() == nil {
		return nil, errPlanFilled
	}
	return release, err
}
