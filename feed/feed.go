// Package feed follows an append-only feed table by id: the plan change feed of
// the plan read model and the session revocations of the session cache.
//
// Every write that others must learn of adds a row to a feed in its own
// transaction. A follower reads the rows past the highest id it has seen. An id
// is assigned at the INSERT and seen at the commit, so an id below one already
// seen may still appear (a transaction that had not committed yet) or never
// (rolled back): such an id is a gap, asked for again at each read until it
// appears or GapTimeout passes. So no committed row is missed, whatever the
// writers' clocks and however long a write waited for a lock.
package feed

import (
	"context"
	"maps"
	"slices"
	"time"
)

const (
	// GapTimeout is how long a skipped id is asked for again: lock waits
	// (innodb_lock_wait_timeout is 50 s) can hold a transaction that long.
	GapTimeout = 2 * time.Minute
	// MaxGaps bounds the skipped ids followed; past it the oldest are dropped.
	MaxGaps = 10000
	// StartWindow is how many ids below the head a start checks for
	// transactions that had not committed yet.
	StartWindow = 1000
	// Batch is the most rows read at once.
	Batch = 5000
)

// Cursor is a position in a feed. A zero Cursor has read nothing.
type Cursor struct {
	Max  int64               // the highest id seen
	Gaps map[int64]time.Time // ids skipped below Max, and when they were first missed
	At   time.Time           // when the read that made this position started
}

// Source reads one feed table.
type Source[E any] struct {
	ID     func(E) int64
	After  func(ctx context.Context, after int64, limit int) ([]E, error) // rows past an id, in id order
	In     func(ctx context.Context, ids []int64) ([]E, error)            // the rows among ids that exist
	Bounds func(ctx context.Context) (lo, hi int64, err error)            // lowest and highest id (0, 0 when empty)
	IDs    func(ctx context.Context, after, upTo int64) ([]int64, error)  // ids in (after, upTo]
}

// Head returns a position at the feed's head, read at now: the rows already
// there are taken as known, and the ids just below the head that are not there
// yet are followed as gaps.
func (s Source[E]) Head(ctx context.Context, now time.Time) (Cursor, error) {
	lo, hi, err := s.Bounds(ctx)
	if err != nil {
		return Cursor{}, err
	}
	from := max(hi-StartWindow, lo-1, 0)
	present, err := s.IDs(ctx, from, hi)
	if err != nil {
		return Cursor{}, err
	}
	have := make(map[int64]bool, len(present))
	for _, id := range present {
		have[id] = true
	}
	c := Cursor{Max: hi, Gaps: map[int64]time.Time{}, At: now}
	for id := from + 1; id < hi; id++ {
		if !have[id] {
			c.Gaps[id] = now
		}
	}
	return c, nil
}

// Read returns the rows past c and those of c's gaps that have appeared since,
// with the position after them, read at now. dropped counts the gaps let go
// because more than MaxGaps were followed (the oldest go first). c is not
// changed: a caller that fails to apply the rows reads them again from c.
func (s Source[E]) Read(ctx context.Context, c Cursor, now time.Time) (next Cursor, rows []E, dropped int, err error) {
	next = Cursor{Max: c.Max, Gaps: maps.Clone(c.Gaps), At: now}
	if next.Gaps == nil {
		next.Gaps = map[int64]time.Time{}
	}
	if len(next.Gaps) > 0 {
		found, err := s.In(ctx, slices.Collect(maps.Keys(next.Gaps)))
		if err != nil {
			return c, nil, 0, err
		}
		for _, r := range found {
			delete(next.Gaps, s.ID(r))
		}
		rows = append(rows, found...)
	}
	for {
		part, err := s.After(ctx, next.Max, Batch)
		if err != nil {
			return c, nil, 0, err
		}
		for _, r := range part {
			id := s.ID(r)
			// Ids skipped between the last seen and this one may belong to
			// transactions that commit later: follow them.
			for skipped := max(next.Max+1, id-MaxGaps); skipped < id; skipped++ {
				next.Gaps[skipped] = now
			}
			next.Max = id
		}
		rows = append(rows, part...)
		if len(part) < Batch {
			break
		}
	}
	for id, since := range next.Gaps {
		if now.Sub(since) > GapTimeout {
			delete(next.Gaps, id)
		}
	}
	if n := len(next.Gaps) - MaxGaps; n > 0 {
		for _, id := range slices.Sorted(maps.Keys(next.Gaps))[:n] {
			delete(next.Gaps, id)
		}
		dropped = n
	}
	return next, rows, dropped, nil
}
