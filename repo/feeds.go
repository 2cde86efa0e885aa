package repo

import (
	"context"
	"time"

	"skillcert/feed"
)

// feedQueries are the reads and the prune of one feed table (plan_changes,
// session_revocations), which package feed follows by id.
type feedQueries struct {
	after, in, bounds, ids, prune Query
}

// feedSource is the feed.Source of a feed table whose entries (E) carry their
// id as id tells.
func feedSource[E any](db *DB, q feedQueries, id func(E) int64) feed.Source[E] {
	return feed.Source[E]{
		ID: id,
		After: func(ctx context.Context, after int64, limit int) ([]E, error) {
			var out []E
			err := db.sel(ctx, db.R, &out, q.after, after, limit)
			return out, err
		},
		In: func(ctx context.Context, ids []int64) ([]E, error) {
			var out []E
			for start := 0; start < len(ids); start += inChunk {
				var part []E
				if err := db.selIn(ctx, db.R, &part, q.in, ids[start:min(start+inChunk, len(ids))]); err != nil {
					return nil, err
				}
				out = append(out, part...)
			}
			return out, nil
		},
		Bounds: func(ctx context.Context) (lo, hi int64, err error) {
			var b struct {
				Lo int64 `db:"lo"`
				Hi int64 `db:"hi"`
			}
			err = db.get(ctx, db.R, &b, q.bounds)
			return b.Lo, b.Hi, err
		},
		IDs: func(ctx context.Context, after, upTo int64) ([]int64, error) {
			var out []int64
			err := db.sel(ctx, db.R, &out, q.ids, after, upTo)
			return out, err
		},
	}
}

// feedPrune deletes the entries recorded before t.
func feedPrune(ctx context.Context, db *DB, q feedQueries, t time.Time) (int64, error) {
	res, err := db.exec(ctx, db.W, q.prune, t.UTC())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
