package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
)

// Staff is one console account (staff_users) with its institution's name.
type Staff struct {
	ID              int64         `db:"id"`
	Username        string        `db:"username"`
	PasswordHash    string        `db:"password_hash"`
	Role            string        `db:"role"`
	InstitutionID   sql.NullInt64 `db:"institution_id"`
	InstitutionName string        `db:"institution_name"`
	Region          string        `db:"region"`
	FailedLogins    int           `db:"failed_logins"`
	LockedUntil     sql.NullTime  `db:"locked_until"`
	Disabled        bool          `db:"disabled"`
	CreatedAt       time.Time     `db:"created_at"`
	UpdatedAt       time.Time     `db:"updated_at"`
}

var (
	qStaffInsert         = NamedQuery("staff-insert")
	qStaffGet            = NamedQuery("staff-get")
	qStaffGetByUsername  = NamedQuery("staff-get-by-username")
	qStaffList           = NamedQuery("staff-list")
	qStaffCount          = NamedQuery("staff-count")
	qStaffLoginFailed    = NamedQuery("staff-login-failed")
	qStaffLoginOK        = NamedQuery("staff-login-ok")
	qStaffSetDisabled    = NamedQuery("staff-set-disabled")
	qStaffSetPassword    = NamedQuery("staff-set-password")
	qStaffSessionInsert  = NamedQuery("staff-session-insert")
	qStaffSessionLookup  = NamedQuery("staff-session-lookup")
	qStaffSessionRevoke  = NamedQuery("staff-session-revoke")
	qStaffSessionRevokeA = NamedQuery("staff-session-revoke-all")
)

// InsertStaff inserts an account and sets its ID.
func (db *DB) InsertStaff(ctx context.Context, x sqlx.ExecerContext, s *Staff) error {
	res, err := db.exec(ctx, x, qStaffInsert, s.Username, s.PasswordHash, s.Role,
		s.InstitutionID, s.Region, s.CreatedAt, s.UpdatedAt)
	if err != nil {
		return err
	}
	s.ID, err = res.LastInsertId()
	return err
}

// GetStaff returns an account by id; sql.ErrNoRows when unknown.
func (db *DB) GetStaff(ctx context.Context, q sqlx.QueryerContext, id int64) (Staff, error) {
	var s Staff
	err := db.get(ctx, q, &s, qStaffGet, id)
	return s, err
}

// GetStaffByUsername returns an account by username; sql.ErrNoRows when unknown.
func (db *DB) GetStaffByUsername(ctx context.Context, q sqlx.QueryerContext, username string) (Staff, error) {
	var s Staff
	err := db.get(ctx, q, &s, qStaffGetByUsername, username)
	return s, err
}

// ListStaff returns one page of accounts by id, and the total.
func (db *DB) ListStaff(ctx context.Context, limit, offset int) ([]Staff, int, error) {
	var out []Staff
	if err := db.sel(ctx, db.R, &out, qStaffList, limit, offset); err != nil {
		return nil, 0, err
	}
	var n int
	err := db.get(ctx, db.R, &n, qStaffCount)
	return out, n, err
}

// StaffLoginFailed counts a failed sign-in; at maxFailures the account is locked
// until lockUntil.
func (db *DB) StaffLoginFailed(ctx context.Context, id int64, maxFailures int, lockUntil, now time.Time) error {
	_, err := db.exec(ctx, db.W, qStaffLoginFailed, maxFailures, maxFailures, lockUntil, now, id)
	return err
}

// StaffLoginOK clears the failure counter and any lock.
func (db *DB) StaffLoginOK(ctx context.Context, x sqlx.ExecerContext, id int64, now time.Time) error {
	_, err := db.exec(ctx, x, qStaffLoginOK, now, id)
	return err
}

// SetStaffDisabled disables or enables an account.
func (db *DB) SetStaffDisabled(ctx context.Context, x sqlx.ExecerContext, id int64, disabled bool, now time.Time) (bool, error) {
	return rowChanged(db.exec(ctx, x, qStaffSetDisabled, disabled, now, id))
}

// SetStaffPassword replaces an account's password hash and clears its lock.
func (db *DB) SetStaffPassword(ctx context.Context, x sqlx.ExecerContext, id int64, hash string, now time.Time) (bool, error) {
	return rowChanged(db.exec(ctx, x, qStaffSetPassword, hash, now, id))
}

// InsertStaffSession stores a console session by the hash of its token.
func (db *DB) InsertStaffSession(ctx context.Context, x sqlx.ExecerContext, tokenHash string, staffID int64, ip string, now, expires time.Time) error {
	_, err := db.exec(ctx, x, qStaffSessionInsert, tokenHash, staffID, ip, now, expires)
	return err
}

// LookupStaffSession returns the account of a valid session; sql.ErrNoRows when
// the token is unknown, revoked or expired, or the account disabled.
func (db *DB) LookupStaffSession(ctx context.Context, tokenHash string, now time.Time) (int64, error) {
	var id int64
	err := db.get(ctx, db.R, &id, qStaffSessionLookup, tokenHash, now)
	return id, err
}

// RevokeStaffSession ends one console session.
func (db *DB) RevokeStaffSession(ctx context.Context, x sqlx.ExecerContext, tokenHash string, now time.Time) error {
	_, err := db.exec(ctx, x, qStaffSessionRevoke, now, tokenHash)
	return err
}

// RevokeStaffSessions ends every session of an account.
func (db *DB) RevokeStaffSessions(ctx context.Context, x sqlx.ExecerContext, staffID int64, now time.Time) error {
	_, err := db.exec(ctx, x, qStaffSessionRevokeA, now, staffID)
	return err
}

// rowChanged turns an Exec result into "did it change a row".
func rowChanged(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

var (
	qConsoleInstList  = NamedQuery("console-institution-list")
	qConsoleInstCount = NamedQuery("console-institution-count")
)

// ListInstitutions returns one page of institutions by id, and the total.
func (db *DB) ListInstitutions(ctx context.Context, limit, offset int) ([]Institution, int, error) {
	var out []Institution
	if err := db.sel(ctx, db.R, &out, qConsoleInstList, limit, offset); err != nil {
		return nil, 0, err
	}
	var n int
	err := db.get(ctx, db.R, &n, qConsoleInstCount)
	return out, n, err
}
