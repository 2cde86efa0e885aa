package repo

import (
	"context"
	"time"
)

// feedQueries are the reads and the prune of one feed table (plan_changes,
// session_revocations), which package feed follows by id.
type feedQueries struct {
	after, in, bounds, ids, prune Query
}

// feedAfter returns up to limit entries with an id above after, in id order.
func feedAfter[E any](ctx context.Context, db *DB, q feedQueries, after int64, limit int) ([]E, error) {
	var out []E
	err := db.sel(ctx, db.R, &out, q.after, after, limit)
	return out, err
}

// feedByID returns the entries among ids that exist (are committed).
func feedByID[E any](ctx context.Context, db *DB, q feedQueries, ids []int64) ([]E, error) {
	var out []E
	for start := 0; start < len(ids); start += inChunk {
		var part []E
		if err := db.selIn(ctx, db.R, &part, q.in, ids[start:min(start+inChunk, len(ids))]); err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	return out, nil
}

// feedBounds returns the lowest and highest id of the feed (0, 0 when empty).
func feedBounds(ctx context.Context, db *DB, q feedQueries) (lo, hi int64, err error) {
	var b struct {
		Lo int64 `db:"lo"`
		Hi int64 `db:"hi"`
	}
	err = db.get(ctx, db.R, &b, q.bounds)
	return b.Lo, b.Hi, err
}

// feedIDs returns the ids of the feed in (after, upTo], in order.
func feedIDs(ctx context.Context, db *DB, q feedQueries, after, upTo int64) ([]int64, error) {
	var out []int64
	err := db.sel(ctx, db.R, &out, q.ids, after, upTo)
	return out, err
}

// feedPrune deletes the entries recorded before t.
func feedPrune(ctx context.Context, db *DB, q feedQueries, t time.Time) (int64, error) {
	res, err := db.exec(ctx, db.W, q.prune, t.UTC())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
