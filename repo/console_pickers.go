package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qPlanOccupationList   = NamedQuery("plan-occupation-list")
	qPlanOccupationInsert = NamedQuery("plan-occupation-insert")
	qPlanSetRegion        = NamedQuery("plan-set-region")
	qStaffResetInsert     = NamedQuery("staff-reset-insert")
	qStaffResetDelete     = NamedQuery("staff-reset-delete")
	qStaffResetGet        = NamedQuery("staff-reset-get")
	qStaffResetList       = NamedQuery("staff-reset-list")
	qStaffRevokeOthers    = NamedQuery("staff-session-revoke-others")
)

// ListPlanOccupations returns the occupations admins added, oldest first.
func (db *DB) ListPlanOccupations(ctx context.Context) ([]string, error) {
	out := []string{}
	err := db.sel(ctx, db.R, &out, qPlanOccupationList)
	return out, err
}

// InsertPlanOccupation adds an occupation; a unique violation when it exists.
func (db *DB) InsertPlanOccupation(ctx context.Context, x sqlx.ExecerContext, name string, by int64, now time.Time) error {
	_, err := db.exec(ctx, x, qPlanOccupationInsert, name, by, now)
	return err
}

// SetPlanRegion sets a plan's 业务监管地, and its feedback's with it (call it
// inside a transaction); false when the plan does not exist.
func (db *DB) SetPlanRegion(ctx context.Context, x sqlx.ExecerContext, id int64, region string, now time.Time) (bool, error) {
	ok, err := rowChanged(db.exec(ctx, x, qPlanSetRegion, region, now, now, now, id))
	if ok && err == nil {
		_, err = db.moveFeedbackRegion(ctx, x, id, region)
	}
	return ok, err
}

// MarkPasswordReset records that an account must change its password at its
// next sign-in (replacing an earlier mark).
func (db *DB) MarkPasswordReset(ctx context.Context, x sqlx.ExecerContext, staffID, by int64, now time.Time) error {
	if _, err := db.exec(ctx, x, qStaffResetDelete, staffID); err != nil {
		return err
	}
	_, err := db.exec(ctx, x, qStaffResetInsert, staffID, by, now)
	return err
}

// ClearPasswordReset removes the must-change mark of an account.
func (db *DB) ClearPasswordReset(ctx context.Context, x sqlx.ExecerContext, staffID int64) error {
	_, err := db.exec(ctx, x, qStaffResetDelete, staffID)
	return err
}

// PasswordResetPending reports whether an account must change its password.
func (db *DB) PasswordResetPending(ctx context.Context, q sqlx.QueryerContext, staffID int64) (bool, error) {
	var n int
	err := db.get(ctx, q, &n, qStaffResetGet, staffID)
	return n > 0, err
}

// PasswordResetAccounts returns the accounts that must change their password.
func (db *DB) PasswordResetAccounts(ctx context.Context) (map[int64]bool, error) {
	var ids []int64
	if err := db.sel(ctx, db.R, &ids, qStaffResetList); err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// RevokeOtherStaffSessions ends every session of an account except keepHash's.
func (db *DB) RevokeOtherStaffSessions(ctx context.Context, x sqlx.ExecerContext, staffID int64, keepHash string, now time.Time) error {
	_, err := db.exec(ctx, x, qStaffRevokeOthers, now, staffID, keepHash)
	return err
}
