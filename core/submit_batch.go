package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
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

	mu    sync.Mutex
	plans map[int64]*planQueue

	commits  atomic.Int64 // transactions committed or tried, groups and single runs
	members  atomic.Int64 // operations run
	written  atomic.Int64 // groups written set-based
	declined atomic.Int64 // groups that tried and ran member by member instead
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

// lead runs groups of planID's queue until a group has run that holds this
// leader's own member, then leaves the plan to a waiting member, if any.
func (g *groupCommit) lead(ctx context.Context, planID int64, q *planQueue) {
	if h := g.hold.Load(); h != nil {
		<-*h
	}
	g.mu.Lock()
	n := min(len(q.waiting), g.max)
	group := q.waiting[:n:n]
	q.waiting = q.waiting[n:]
	g.mu.Unlock()

	g.commit(ctx, planID, group)

	g.mu.Lock()
	if len(q.waiting) == 0 {
		q.running = false
		delete(g.plans, planID)
		g.mu.Unlock()
		return
	}
	g.mu.Unlock()
	// Members queued while this group ran: the next group runs in a goroutine
	// of its own so that this leader's answer is not held back by it.
	go g.lead(ctx, planID, q)
}

// commit runs one group and answers each member.
func (g *groupCommit) commit(ctx context.Context, planID int64, group []*groupMember) {
	g.members.Add(int64(len(group)))
	g.commits.Add(1)
	if len(group) == 1 {
		g.runAlone(ctx, planID, group[0])
		return
	}
	errs := make([]error, len(group))
	err := g.db.WithTx(ctx, func(tx repo.Tx) error {
		if done, changed, err := g.writeGroup(ctx, tx, planID, group); err != nil {
			return err
		} else if done {
			for i, m := range group {
				errs[i] = m.item.err
			}
			return g.record(ctx, tx, planID, changed)
		}
		changed := false
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
		for _, m := range group {
			g.runAlone(ctx, planID, m)
		}
		return
	}
	for i, m := range group {
		m.done <- errs[i]
	}
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

// runAlone runs one member in a transaction of its own and answers it.
func (g *groupCommit) runAlone(ctx context.Context, planID int64, m *groupMember) {
	m.done <- g.db.WithTx(ctx, func(tx repo.Tx) error {
		changed, err := g.call(ctx, tx, m)
		if err != nil {
			return err
		}
		return g.record(ctx, tx, planID, changed)
	})
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

// SubmitGroupCounts tells how the plans' commit groups ran: transactions
// (groups, and members run alone), submits run in them, groups written
// set-based (writeSubmitGroup) and groups that tried and were written member
// by member instead.
func (c *Core) SubmitGroupCounts() (commits, members, written, declined int64) {
	g := c.groups
	return g.commits.Load(), g.members.Load(), g.written.Load(), g.declined.Load()
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
