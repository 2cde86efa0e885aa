package repo

import (
	"context"
	"errors"
	"fmt"
	"skillcert/domain"
	"time"
)

var (
	qOpsBlobKeys          = NamedQuery("ops-blob-keys")
	qOpsSealedSample      = NamedQuery("ops-sealed-sample")
	qOpsOutboxPending     = NamedQuery("ops-outbox-pending")
	qOpsOutboxOldest      = NamedQuery("ops-outbox-oldest-pending")
	qOpsRegistrationsBy   = NamedQuery("ops-registrations-by-status")
	qOpsOpenPlanSeatsLeft = NamedQuery("ops-open-plan-seats")
)

// BlobKeys lists every blob the database refers to (attachments and feedback
// photos): what a backup must carry beside the database.
func (db *DB) BlobKeys(ctx context.Context) ([]string, error) {
	var keys []string
	err := db.sel(ctx, db.R, &keys, qOpsBlobKeys)
	return keys, err
}

// SealedSample returns one stored value sealed with the personal-data key, or ""
// when the database holds none yet.
func (db *DB) SealedSample(ctx context.Context) (string, error) {
	var s string
	err := db.get(ctx, db.R, &s, qOpsSealedSample)
	if IsNoRows(err) {
		return "", nil
	}
	return s, err
}

// VacuumInto writes a consistent copy of a SQLite database to path (which must
// not exist) while others keep reading and writing it: SQLite's VACUUM INTO,
// inside one read transaction.
func (db *DB) VacuumInto(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return errors.New("VACUUM INTO is SQLite only")
	}
	if _, err := db.R.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("VACUUM INTO: %w", err)
	}
	return nil
}

// OutboxBacklog is the number of pending outbox rows and the creation time of
// the oldest (zero when none).
func (db *DB) OutboxBacklog(ctx context.Context) (n int, oldest time.Time, err error) {
	if err = db.get(ctx, db.R, &n, qOpsOutboxPending); err != nil || n == 0 {
		return n, time.Time{}, err
	}
	err = db.get(ctx, db.R, &oldest, qOpsOutboxOldest)
	if IsNoRows(err) { // sent between the two reads
		return n, time.Time{}, nil
	}
	return n, oldest, err
}

// StatusCount is the number of registrations in one status.
type StatusCount struct {
	Status domain.Status `db:"status"`
	N      int           `db:"n"`
}

// RegistrationsByStatus counts registrations per status.
func (db *DB) RegistrationsByStatus(ctx context.Context) ([]StatusCount, error) {
	var out []StatusCount
	err := db.sel(ctx, db.R, &out, qOpsRegistrationsBy)
	return out, err
}

// OpenPlanSeats counts the plans open for registration on a Beijing date
// (YYYY-MM-DD) and the seats left on them.
func (db *DB) OpenPlanSeats(ctx context.Context, date string) (plans, seatsLeft int, err error) {
	var row struct {
		Plans     int `db:"plans"`
		SeatsLeft int `db:"seats_left"`
	}
	err = db.get(ctx, db.R, &row, qOpsOpenPlanSeatsLeft, date, date)
	return row.Plans, row.SeatsLeft, err
}
