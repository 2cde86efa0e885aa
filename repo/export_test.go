package repo

import "time"

// AuditListSQL is the SQL of the audit log's keyset pages and of its count
// (the newest matches' span, the oldest match), for the EXPLAIN test.
func (db *DB) AuditListSQL() (older, newer, capped, newest, oldest string) {
	return db.Q.SQL(qAuditOlder), db.Q.SQL(qAuditNewer), db.Q.SQL(qAuditCountCapped), db.Q.SQL(qAuditCountNewest), db.Q.SQL(qAuditOldest)
}

// FeedbackInboxSQL is the SQL of the feedback inbox's keyset pages and of its
// count (the newest matches' span, the oldest match), for the EXPLAIN test.
func (db *DB) FeedbackInboxSQL() (older, newer, capped, newest, oldest string) {
	return db.Q.SQL(qFeedbackInboxOlder), db.Q.SQL(qFeedbackInboxNewer), db.Q.SQL(qFeedbackInboxCount),
		db.Q.SQL(qFeedbackInboxNewest), db.Q.SQL(qFeedbackInboxOldest)
}

// EstimateCount is estimateCount for the unit test: n matches counted among
// the ids low..high, the oldest match first.
func EstimateCount(n int, high, low, first int64) int {
	return estimateCount(newestSpan{N: n, High: high, Low: low}, first)
}

// PlanListSQL is the SQL of the console plan list's keyset pages and capped
// count, and the arguments of filter f, for the EXPLAIN test.
func (db *DB) PlanListSQL(f PlanFilter) (older, newer, count string, args []any) {
	return db.Q.SQL(qConsolePlanOlder), db.Q.SQL(qConsolePlanNewer), db.Q.SQL(qConsolePlanCount), f.args()
}

// PlanActivitySQL is the text of the 最近有动态 order's keyset pages and f's
// filter arguments, for the EXPLAIN tests (each page adds activity, activity,
// id, limit).
func (db *DB) PlanActivitySQL(f PlanFilter) (older, newer string, args []any) {
	return db.Q.SQL(qConsolePlanActOlder), db.Q.SQL(qConsolePlanActNewer), f.args()
}

// ActivityKey is the key's arguments of the 最近有动态 pages on db's engine.
func (db *DB) ActivityKey(at time.Time, id int64) []any { return db.activityKey(at, id) }

// WithFilters is a query text's optional filters specialised for args, as
// the store does on the engine of db, for the EXPLAIN tests.
func (db *DB) WithFilters(text string, args []any) string {
	for name, q := range db.Q.sql {
		if q == text && (db.Dialect == SQLite || mariaDBUnsetFilters[name]) {
			return specialiseFilters(text, args, db.Dialect == SQLite)
		}
	}
	return text
}
