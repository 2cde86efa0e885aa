package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qStaffIPFail     = NamedQuery("staff-ip-fail")
	qStaffIPGet      = NamedQuery("staff-ip-failures-get")
	qStaffIPLock     = NamedQuery("staff-ip-lock")
	qStaffIPClear    = NamedQuery("staff-ip-clear")
	qStaffIPClearAll = NamedQuery("staff-ip-clear-all")
	qStaffIPPrune    = NamedQuery("staff-ip-prune")
	qStaffUnlock     = NamedQuery("staff-unlock")
)

// StaffIPFailures is the sign-in failure record of one account from one address.
type StaffIPFailures struct {
	Failures    int          `db:"failures"`
	LockedUntil sql.NullTime `db:"locked_until"`
}

// GetStaffIPFailures reads the record of (staff, ip); a zero record when none.
func (db *DB) GetStaffIPFailures(ctx context.Context, q sqlx.QueryerContext, staffID int64, ip string) (StaffIPFailures, error) {
	var f StaffIPFailures
	err := db.get(ctx, q, &f, qStaffIPGet, staffID, ip)
	if IsNoRows(err) {
		return StaffIPFailures{}, nil
	}
	return f, err
}

// CountStaffIPFailure adds one failure to (staff, ip) and returns the record.
func (db *DB) CountStaffIPFailure(ctx context.Context, tx *sqlx.Tx, staffID int64, ip string, now time.Time) (StaffIPFailures, error) {
	if _, err := db.exec(ctx, tx, qStaffIPFail, staffID, ip, now); err != nil {
		return StaffIPFailures{}, err
	}
	return db.GetStaffIPFailures(ctx, tx, staffID, ip)
}

// LockStaffIP locks (staff, ip) until the given time.
func (db *DB) LockStaffIP(ctx context.Context, x sqlx.ExecerContext, staffID int64, ip string, until time.Time) error {
	_, err := db.exec(ctx, x, qStaffIPLock, until, staffID, ip)
	return err
}

// ClearStaffIP forgets the failures of (staff, ip) (a success from there).
func (db *DB) ClearStaffIP(ctx context.Context, x sqlx.ExecerContext, staffID int64, ip string) error {
	_, err := db.exec(ctx, x, qStaffIPClear, staffID, ip)
	return err
}

// UnlockStaff clears every lock and failure count of an account.
func (db *DB) UnlockStaff(ctx context.Context, x sqlx.ExecerContext, staffID int64, now time.Time) (bool, error) {
	if _, err := db.exec(ctx, x, qStaffIPClearAll, staffID); err != nil {
		return false, err
	}
	return rowChanged(db.exec(ctx, x, qStaffUnlock, now, staffID))
}

// PruneStaffIPFailures deletes records untouched since cutoff and not locked at now.
func (db *DB) PruneStaffIPFailures(ctx context.Context, cutoff, now time.Time) error {
	_, err := db.exec(ctx, db.W, qStaffIPPrune, cutoff, now)
	return err
}
