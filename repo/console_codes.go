package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
)

// RegCode is one registration code (报名码) of a plan.
type RegCode struct {
	ID        int64         `db:"id"`
	Code      string        `db:"code"`
	PlanID    int64         `db:"plan_id"`
	State     string        `db:"state"` // active | revoked
	ExpiresAt sql.NullTime  `db:"expires_at"`
	UseCount  int           `db:"use_count"`
	CreatedBy sql.NullInt64 `db:"created_by"`
	CreatedAt time.Time     `db:"created_at"`
	RevokedAt sql.NullTime  `db:"revoked_at"`
}

var (
	qConsoleCodeInsert = NamedQuery("console-code-insert")
	qConsoleCodeList   = NamedQuery("console-code-list")
	qConsoleCodeCount  = NamedQuery("console-code-count")
	qConsoleCodeRevoke = NamedQuery("console-code-revoke")
)

// InsertRegCode inserts an active code; a taken code is a unique violation
// (IsUniqueViolation) the caller retries with another.
func (db *DB) InsertRegCode(ctx context.Context, x sqlx.ExecerContext, c *RegCode) error {
	res, err := db.exec(ctx, x, qConsoleCodeInsert, c.Code, c.PlanID, c.ExpiresAt, c.CreatedBy, c.CreatedAt)
	if err != nil {
		return err
	}
	c.ID, err = res.LastInsertId()
	c.State = "active"
	return err
}

// ListRegCodes returns one page of a plan's codes, newest first, and the total.
func (db *DB) ListRegCodes(ctx context.Context, planID int64, limit, offset int) ([]RegCode, int, error) {
	var out []RegCode
	if err := db.sel(ctx, db.R, &out, qConsoleCodeList, planID, limit, offset); err != nil {
		return nil, 0, err
	}
	var n int
	err := db.get(ctx, db.R, &n, qConsoleCodeCount, planID)
	return out, n, err
}

// RevokeRegCode revokes an active code of a plan; false when there is none.
func (db *DB) RevokeRegCode(ctx context.Context, x sqlx.ExecerContext, planID, codeID int64, now time.Time) (bool, error) {
	return rowChanged(db.exec(ctx, x, qConsoleCodeRevoke, now, codeID, planID))
}
