package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qRateIncr  = NamedQuery("rate-incr")
	qRateGet   = NamedQuery("rate-get")
	qRatePrune = NamedQuery("rate-prune")
	qRateDecr  = NamedQuery("rate-decr")
)

// DecrRate takes one back from the counter of bucket in the window starting at
// windowStart (never below zero).
func (db *DB) DecrRate(ctx context.Context, bucket string, windowStart time.Time) error {
	_, err := db.exec(ctx, db.W, qRateDecr, bucket, windowStart)
	return err
}

// IncrRate adds one to the counter of bucket in the window starting at
// windowStart and returns the new count.
func (db *DB) IncrRate(ctx context.Context, bucket string, windowStart time.Time) (int64, error) {
	var n int64
	err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := db.exec(ctx, tx, qRateIncr, bucket, windowStart); err != nil {
			return err
		}
		return db.get(ctx, tx, &n, qRateGet, bucket, windowStart)
	})
	return n, err
}

// GetRate returns the counter of bucket in the window starting at windowStart
// (0 when nothing was counted).
func (db *DB) GetRate(ctx context.Context, bucket string, windowStart time.Time) (int64, error) {
	var n int64
	err := db.get(ctx, db.R, &n, qRateGet, bucket, windowStart)
	if IsNoRows(err) {
		return 0, nil
	}
	return n, err
}

// PruneRates deletes the counters of windows that started before cutoff.
func (db *DB) PruneRates(ctx context.Context, cutoff time.Time) error {
	_, err := db.exec(ctx, db.W, qRatePrune, cutoff)
	return err
}
