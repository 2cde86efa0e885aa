package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// groupCommit runs the transactions of submits to one plan that arrive
// together in one database transaction with one commit (group commit). The
// winners of a burst all update the plan's seat row, so their transactions
// serialise on its lock and each pays for a durable commit while holding it
// (about 10 ms on MariaDB); in a group, each submit runs in its own savepoint
// (a refusal rolls back only its own writes) and the group commits once.
//
// A plan's first submit leads: it takes every submit queued for the plan
// meanwhile, runs the group, and hands the plan on to the submits that queued
// during its commit (the next group's leader is one of them). If the group's
// transaction fails as a whole (a deadlock, a failed commit), every member is
// run again in a transaction of its own, so nothing is lost and nothing is
// committed twice (a member that runs again re-reads its registration).
//
// When every member of a group is a draft submit checked before the group
// (submitItem.groupWritable) and write is set, the group is first written
// set-based, in a few statements whatever its size (Core.writeSubmitGroup),
// inside a savepoint; if that declines (a member needs its own answer), the
// savepoint is rolled back and the members run one by one as above.
//
// A member that changed the plan (took a seat) says so, and the group records
// one entry in the plan change feed for all of them, in its transaction: the
// other replicas' read models learn the plan's seats once a commit, not once a
// seat.
type groupCommit struct {
	db    *repo.DB
	log   *slog.Logger
	max   int              // members of one group at most
	now   func() time.Time // the feed entry's time (nil: the repo's clock)
	write groupWriteFunc   // the set-based write of a group (nil: none)
	queue *submitQueue     // what a group's queued submits need (nil: none are queued)

	mu    sync.Mutex
	plans map[int64]*planQueue

	commits  atomic.Int64 // transactions committed or tried, groups and single runs
	members  atomic.Int64 // operations run
	written  atomic.Int64 // groups written set-based
	declined atomic.Int64 // groups that tried and ran member by member instead
	// reads counts the reads of a group's queued submits together, and
	// readSubmits the submits read in them.
	reads, readSubmits atomic.Int64
	// hold, when set (tests), is waited on by a leader before it takes its group.
	hold atomic.Pointer[chan struct{}]
}

// groupWriteFunc writes a whole group of submits to planID set-based inside
// tx, setting each item's outcome; ok false (with nil err) declines, having
// set nothing, and the group runs member by member. An error also falls back
// to member by member, unless it broke the transaction.
type groupWriteFunc func(ctx context.Context, tx repo.Tx, planID int64, items []*submitItem) (ok bool, err error)

// planQueue is one plan's queue; running tells that a leader is at work.
type planQueue struct {
	waiting []*groupMember
	running bool
}

// groupMember is one operation of a group: fn runs in the group's transaction
// and tells whether it changed the plan.
type groupMember struct {
	fn   memberFunc
	item *submitItem // the submit, for a set-based write of its group (nil: never)
	done chan error
}

// memberFunc is a group member's operation; changed is true when it wrote to
// the plan's row (and did not fail), so that the group records the change.
type memberFunc func(ctx context.Context, tx repo.Tx) (changed bool, err error)

func newGroupCommit(db *repo.DB, log *slog.Logger, max int) *groupCommit {
	return &groupCommit{db: db, log: log, max: max, plans: map[int64]*planQueue{}}
}

// run runs fn in a transaction shared with the other submits to planID that
// are running now, and returns fn's error or the transaction's (or, when the
// group was written set-based, item's outcome; item may be nil). fn runs with a
// context that is not cancelled with the caller's: a group is not rolled back
// because one of its candidates closed the page (the submit then completes, as
// a candidate who reloads sees).
func (g *groupCommit) run(ctx context.Context, planID int64, item *submitItem, fn memberFunc) error {
	m := &groupMember{fn: fn, item: item, done: make(chan error, 1)}
	g.mu.Lock()
	q := g.plans[planID]
	if q == nil {
		q = &planQueue{}
		g.plans[planID] = q
	}
	q.waiting = append(q.waiting, m)
	lead := !q.running
	q.running = true
	g.mu.Unlock()
	if lead {
		g.lead(context.WithoutCancel(ctx), planID, q)
	}
	return <-m.done
}

// leadGroups is how many groups a leader of a queue of unread submits
// (g.queue) runs before it hands the plan's queue on to a goroutine of its
// own: its own answer waits for them.
const leadGroups = 8

// lead runs groups of planID's queue while submits are queued, then hands the
// queue on to a new goroutine (whose first group is one of the submits queued
// meanwhile): after one group, or with a queue of unread submits after up to
// leadGroups. There the running leader goes on: a goroutine started or woken
// waits for the scheduler behind every other runnable one, tens of
// milliseconds when thousands of requests are in flight on two cores
// (bench/README.md, issue 19).
func (g *groupCommit) lead(ctx context.Context, planID int64, q *planQueue) {
	rounds := 1
	if g.queue != nil {
		rounds = leadGroups
	}
	for range rounds {
		if h := g.hold.Load(); h != nil {
			<-*h
		}
		g.mu.Lock()
		n := min(len(q.waiting), g.max)
		group := q.waiting[:n:n]
		q.waiting = q.waiting[n:]
		g.mu.Unlock()

		g.runGroup(ctx, planID, q, group)

		g.mu.Lock()
		if len(q.waiting) == 0 {
			q.running = false
			delete(g.plans, planID)
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
	}
	go g.lead(ctx, planID, q)
}

// runGroup runs one group taken from q and answers its members: its queued
// submits first get a slot of the submit gate (unless a member holds one
// already) and are read and checked together (g.queue.prepare); those refused
// there are answered at once; the rest commit together (commit). After a
// commit that changed the plan, g.queue.after runs, then the answers go.
func (g *groupCommit) runGroup(ctx context.Context, planID int64, q *planQueue, group []*groupMember) {
	if g.queue != nil {
		var release func()
		group, release = g.prepareQueued(ctx, planID, q, group)
		if release != nil {
			defer release()
		}
	}
	if len(group) == 0 {
		return
	}
	errs, changed := g.commit(ctx, planID, group)
	if changed && g.queue != nil {
		items := make([]*submitItem, len(group))
		for i, m := range group {
			items[i] = m.item
		}
		g.queue.after(ctx, planID, items) // before the answers: a winner's next read sees its seat
	}
	for i, m := range group {
		m.done <- errs[i]
	}
}

// prepareQueued readies a group's queued submits (see runGroup) and returns
// the members left to commit and the gate slot's release (nil: none taken).
// Queued submits past the plan's free seats, as the read model knows them,
// go back to the front of the queue for the next group: they are read only
// if a seat is left for them.
func (g *groupCommit) prepareQueued(ctx context.Context, planID int64, q *planQueue, group []*groupMember) ([]*groupMember, func()) {
	var queued []*groupMember
	holder := false // a member that came through the gate, holding a slot
	for _, m := range group {
		if m.item.isQueued() {
			queued = append(queued, m)
		} else {
			holder = true
		}
	}
	if len(queued) == 0 {
		return group, nil
	}
	keep := func(drop []*groupMember) []*groupMember {
		out := group[:0:0]
		for _, m := range group {
			if !slices.Contains(drop, m) {
				out = append(out, m)
			}
		}
		return out
	}
	answer := func(ms []*groupMember, err error) {
		for _, m := range ms {
			m.done <- err
		}
	}
	var release func()
	if !holder {
		var err error
		if release, err = g.queue.admit(ctx, queued[0].item.queued.pre, len(queued)); err != nil {
			answer(queued, err)
			return keep(queued), nil
		}
	}
	if free, ok := g.queue.free(planID); ok {
		if free == 0 {
			answer(queued, errQueuedUnread)
			return keep(queued), release
		}
		if len(queued) > free {
			later := queued[free:]
			queued = queued[:free]
			group = keep(later)
			g.mu.Lock()
			q.waiting = append(slices.Clip(later), q.waiting...)
			g.mu.Unlock()
		}
	}
	items := make([]*submitItem, len(queued))
	for i, m := range queued {
		items[i] = m.item
	}
	g.prepare(ctx, planID, items)
	var refused []*groupMember
	for _, m := range queued {
		if err := m.item.queued.err; err != nil {
			m.done <- err
			refused = append(refused, m)
		}
	}
	if len(refused) > 0 {
		group = keep(refused)
	}
	return group, release
}

// prepare runs g.queue.prepare, turning a panic into items left unread (each
// transaction then reads its own): the leader runs it for other requests.
func (g *groupCommit) prepare(ctx context.Context, planID int64, items []*submitItem) {
	defer func() {
		if r := recover(); r != nil {
			g.log.Error("reading a submit group panicked; each member reads its own", "panic", r, "stack", string(debug.Stack()))
			for _, it := range items {
				it.prepared, it.queued.err = nil, nil
			}
		}
	}()
	g.reads.Add(1)
	g.readSubmits.Add(int64(len(items)))
	g.queue.prepare(ctx, planID, items)
}

// commit runs one group and returns each member's answer; changed tells
// whether a member changed the plan (took a seat) in what was committed.
func (g *groupCommit) commit(ctx context.Context, planID int64, group []*groupMember) (errs []error, changed bool) {
	g.members.Add(int64(len(group)))
	g.commits.Add(1)
	if len(group) == 1 {
		changed, err := g.runAlone(ctx, planID, group[0])
		return []error{err}, changed
	}
	errs = make([]error, len(group))
	err := g.db.WithTx(ctx, func(tx repo.Tx) error {
		changed = false
		if done, wrote, err := g.writeGroup(ctx, tx, planID, group); err != nil {
			return err
		} else if done {
			for i, m := range group {
				errs[i] = m.item.err
			}
			changed = wrote
			return g.record(ctx, tx, planID, changed)
		}
		for i, m := range group {
			var memberChanged bool
			fnErr, txErr := tx.InSavepoint(ctx, fmt.Sprintf("submit_%d", i), func(tx repo.Tx) error {
				var err error
				memberChanged, err = g.call(ctx, tx, m)
				return err
			})
			if txErr != nil {
				return txErr
			}
			errs[i] = fnErr
			changed = changed || (fnErr == nil && memberChanged)
		}
		return g.record(ctx, tx, planID, changed)
	})
	if err != nil {
		// The group failed as a whole: each member alone, as without groups.
		g.log.Warn("submit group failed as a whole; its members run again one by one", "members", len(group), "err", err)
		g.commits.Add(int64(len(group)))
		changed = false
		for i, m := range group {
			var ch bool
			ch, errs[i] = g.runAlone(ctx, planID, m)
			changed = changed || ch
		}
	}
	return errs, changed
}

// errGroupDeclined ends the savepoint of a set-based write that declined.
var errGroupDeclined = errors.New("group write declined")

// writeGroup writes group set-based (g.write) in a savepoint of tx, when
// every member allows it; done tells that it did, and changed that a member
// took a seat. When it did not, nothing of it is left in tx and the caller
// runs the members one by one; err is an error that broke tx.
func (g *groupCommit) writeGroup(ctx context.Context, tx repo.Tx, planID int64, group []*groupMember) (done, changed bool, err error) {
	if g.write == nil {
		return false, false, nil
	}
	items := make([]*submitItem, len(group))
	for i, m := range group {
		if !m.item.groupWritable() {
			return false, false, nil
		}
		items[i] = m.item
	}
	fnErr, txErr := tx.InSavepoint(ctx, "submit_group", func(tx repo.Tx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				g.log.Error("submit group write panicked", "panic", r, "stack", string(debug.Stack()))
				err = fmt.Errorf("group write panicked: %v", r)
			}
		}()
		ok, err := g.write(ctx, tx, planID, items)
		if err == nil && !ok {
			err = errGroupDeclined
		}
		return err
	})
	if txErr != nil {
		return false, false, txErr
	}
	if fnErr != nil {
		g.declined.Add(1)
		if !errors.Is(fnErr, errGroupDeclined) {
			g.log.Warn("submit group not written at once; its members run one by one", "members", len(group), "err", fnErr)
		}
		for _, it := range items {
			it.took, it.done, it.err = false, nil, nil
		}
		return false, false, nil
	}
	g.written.Add(1)
	for _, it := range items {
		changed = changed || it.took
	}
	return true, changed, nil
}

// runAlone runs one member in a transaction of its own and returns whether it
// committed a change of the plan, and its answer.
func (g *groupCommit) runAlone(ctx context.Context, planID int64, m *groupMember) (changed bool, err error) {
	err = g.db.WithTx(ctx, func(tx repo.Tx) error {
		var err error
		if changed, err = g.call(ctx, tx, m); err != nil {
			return err
		}
		return g.record(ctx, tx, planID, changed)
	})
	return changed && err == nil, err
}

// record adds the plan to the change feed once for a group (or a member run
// alone) whose members changed it.
func (g *groupCommit) record(ctx context.Context, tx repo.Tx, planID int64, changed bool) error {
	if !changed {
		return nil
	}
	var now time.Time
	if g.now != nil {
		now = g.now()
	}
	return tx.RecordPlanChange(ctx, planID, now)
}

// call runs a member's operation, turning a panic into that member's error: a
// leader runs other requests' operations (and later groups run in goroutines
// of their own), so a panic must neither kill the process nor leave the group's
// members and the plan's queue waiting forever. The member's savepoint (or
// transaction) is rolled back like any refusal's.
func (g *groupCommit) call(ctx context.Context, tx repo.Tx, m *groupMember) (changed bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			g.log.Error("submit panicked inside its commit group", "panic", r, "stack", string(debug.Stack()))
			changed, err = false, domain.Internal(fmt.Errorf("submit panicked: %v", r))
		}
	}()
	return m.fn(ctx, tx)
}

// SubmitGroupStats tells how the plans' commit groups ran since start.
type SubmitGroupStats struct {
	Transactions int64 // transactions committed or tried: groups, and submits run alone
	Members      int64 // submits run in them
	Written      int64 // groups written set-based (writeSubmitGroup)
	Declined     int64 // groups that tried and were written member by member instead
	Reads        int64 // reads of a group's queued submits together (prepareQueuedSubmits)
	ReadSubmits  int64 // queued submits read in them
}

// SubmitGroupStats tells how the plans' commit groups ran (metrics, the bench).
func (c *Core) SubmitGroupStats() SubmitGroupStats {
	g := c.groups
	return SubmitGroupStats{Transactions: g.commits.Load(), Members: g.members.Load(), Written: g.written.Load(),
		Declined: g.declined.Load(), Reads: g.reads.Load(), ReadSubmits: g.readSubmits.Load()}
}

// HoldSubmitGroups makes the plans' commit groups wait, each leader before it
// takes its group, until release runs: a seam for tests, which queue several
// submits of a plan and then let them run as one group (SubmitsQueued).
func (c *Core) HoldSubmitGroups() (release func()) {
	ch := make(chan struct{})
	c.groups.hold.Store(&ch)
	var once sync.Once
	return func() {
		once.Do(func() {
			c.groups.hold.Store(nil)
			close(ch)
		})
	}
}

// SubmitsQueued tells how many submits of a plan are in its commit queue,
// the one that leads included (tests, with HoldSubmitGroups).
func (c *Core) SubmitsQueued(planID int64) int {
	g := c.groups
	g.mu.Lock()
	defer g.mu.Unlock()
	q := g.plans[planID]
	if q == nil {
		return 0
	}
	return len(q.waiting)
}
