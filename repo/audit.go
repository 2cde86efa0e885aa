package repo

import (
	"context"
	"database/sql"
	"math"
	"slices"
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
	qAuditInsert      = NamedQuery("audit-insert")
	qAuditOlder       = NamedQuery("audit-page-older")
	qAuditNewer       = NamedQuery("audit-page-newer")
	qAuditCountCapped = NamedQuery("audit-count-capped")
	qAuditCountNewest = NamedQuery("audit-count-newest")
	qAuditOldest      = NamedQuery("audit-oldest")
)

// InsertAudit appends an entry, inside the caller's transaction when x is one.
func (db *DB) InsertAudit(ctx context.Context, x sqlx.ExecerContext, e AuditEntry) error {
	_, err := db.exec(ctx, x, qAuditInsert, e.ActorKind, e.ActorID, e.Action,
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
	return wrapQuery(qAuditInsert, insertMany(ctx, x, db.Q.SQL(qAuditInsert), rows))
}

// AuditKey places a keyset page of the audit log: entries older than Before
// (0: from the newest), or, when After is set or Last is true, entries newer
// than After (0 with Last: the oldest page).
type AuditKey struct {
	Before, After int64
	Last          bool
}

// AuditPage returns up to limit entries matching f at key k, newest first.
func (db *DB) AuditPage(ctx context.Context, f AuditFilter, k AuditKey, limit int) ([]AuditEntry, error) {
	out := []AuditEntry{}
	args := []any{f.ActorID, f.ActorID, f.Action, f.Action}
	if k.After > 0 || k.Last {
		args = append(args, k.After, limit)
		if err := db.selText(ctx, db.R, &out, qAuditNewer, db.auditPageSQL(qAuditNewer, f, args), args...); err != nil {
			return nil, err
		}
		slices.Reverse(out)
		return out, nil
	}
	before := k.Before
	if before <= 0 {
		before = math.MaxInt64
	}
	args = append(args, before, limit)
	err := db.selText(ctx, db.R, &out, qAuditOlder, db.auditPageSQL(qAuditOlder, f, args), args...)
	return out, err
}

// auditPageSQL is the text of a keyset page of the audit log (q) as the store
// sends it for f: its filters specialised and, on MariaDB, the entries read
// from the (actor_id, …, id) or (action, id) index of the filter. Left to
// choose, MariaDB read (actor_id, id) by the actor alone (ref) from the
// newest entry down, past every one newer than the key: 180 ms for the middle
// page of an actor with 100,000 entries, 1 ms as a range below the key.
func (db *DB) auditPageSQL(q Query, f AuditFilter, args []any) string {
	return db.forceIndex(db.withFilters(q, args), "FROM audit_log a", f.mariaDBIndex())
}

// mariaDBIndex is the index MariaDB reads a keyset page of f from, "" for its
// own choice (the primary key, when no filter is set).
func (f AuditFilter) mariaDBIndex() string {
	switch {
	case f.ActorID != 0 && f.Action != "":
		return "audit_log_actor_action"
	case f.ActorID != 0:
		return "audit_log_actor"
	case f.Action != "":
		return "audit_log_action"
	}
	return ""
}

// EachAudit calls fn for every entry matching f, newest first, reading them as
// a stream (for the export). fn's error stops the walk.
func (db *DB) EachAudit(ctx context.Context, f AuditFilter, fn func(AuditEntry) error) error {
	return eachRow(ctx, db, qAuditOlder, []any{f.ActorID, f.ActorID, f.Action, f.Action, int64(math.MaxInt64), math.MaxInt32}, fn)
}

// CountAudit counts the entries matching f: exactly up to exact, estimated
// beyond it (ListCount).
func (db *DB) CountAudit(ctx context.Context, f AuditFilter, exact int) (ListCount, error) {
	args := []any{f.ActorID, f.ActorID, f.Action, f.Action}
	return db.countList(ctx, listCount{capped: qAuditCountCapped, newest: qAuditCountNewest, oldest: qAuditOldest}, args, exact)
}
