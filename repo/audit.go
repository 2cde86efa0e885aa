package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
)

// AuditEntry is one row of audit_log: who did what to which record, when, from where.
type AuditEntry struct {
	ID         int64         `db:"id"`
	ActorKind  string        `db:"actor_kind"` // staff | candidate | system
	ActorID    sql.NullInt64 `db:"actor_id"`
	ActorName  string        `db:"actor_name"` // the staff username, when the actor is staff
	Action     string        `db:"action"`
	ObjectKind string        `db:"object_kind"`
	ObjectID   sql.NullInt64 `db:"object_id"`
	Detail     string        `db:"detail"`
	IP         string        `db:"ip"`
	CreatedAt  time.Time     `db:"created_at"`
}

// AuditFilter narrows the audit list; zero values mean everything.
type AuditFilter struct {
	ActorID int64
	Action  string
}

var (
	qAuditInsert = NamedQuery("audit-insert")
	qAuditList   = NamedQuery("audit-list")
	qAuditCount  = NamedQuery("audit-count")
)

// InsertAudit appends an entry, inside the caller's transaction when x is one.
func (db *DB) InsertAudit(ctx context.Context, x sqlx.ExecerContext, e AuditEntry) error {
	_, err := x.ExecContext(ctx, db.Q.SQL(qAuditInsert), e.ActorKind, e.ActorID, e.Action,
		e.ObjectKind, e.ObjectID, e.Detail, e.IP, e.CreatedAt)
	return err
}

// InsertAuditMany writes many entries in multi-row statements (for bulk actions,
// inside their transaction).
func (db *DB) InsertAuditMany(ctx context.Context, x sqlx.ExecerContext, es []AuditEntry) error {
	rows := make([][]any, len(es))
	for i, e := range es {
		rows[i] = []any{e.ActorKind, e.ActorID, e.Action, e.ObjectKind, e.ObjectID, e.Detail, e.IP, e.CreatedAt}
	}
	return insertMany(ctx, x, db.Q.SQL(qAuditInsert), rows)
}

// ListAudit returns one page of entries, newest first, and the total.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter, limit, offset int) ([]AuditEntry, int, error) {
	var out []AuditEntry
	err := db.R.SelectContext(ctx, &out, db.Q.SQL(qAuditList), f.ActorID, f.ActorID, f.Action, f.Action, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	var n int
	err = db.R.GetContext(ctx, &n, db.Q.SQL(qAuditCount), f.ActorID, f.ActorID, f.Action, f.Action)
	return out, n, err
}
