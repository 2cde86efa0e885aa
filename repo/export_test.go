package repo

import "skillcert/domain"

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

// AuditPageSQL is the text of an audit log keyset page (older or newer) as the
// store sends it for f and args, for the EXPLAIN test.
func (db *DB) AuditPageSQL(older bool, f AuditFilter, args []any) string {
	if older {
		return db.auditPageSQL(qAuditOlder, f, args)
	}
	return db.auditPageSQL(qAuditNewer, f, args)
}

// FeedbackPageSQL is the text of a feedback inbox keyset page (older or
// newer) as the store sends it for f and args, for the EXPLAIN test.
func (db *DB) FeedbackPageSQL(older bool, f FeedbackFilter, args []any) string {
	if older {
		return db.feedbackPageSQL(qFeedbackInboxOlder, f, args)
	}
	return db.feedbackPageSQL(qFeedbackInboxNewer, f, args)
}

// FeedbackCountSQL is the text of the feedback inbox's count reads (capped,
// newest, oldest) as the store sends them for f and args, for the EXPLAIN test.
func (db *DB) FeedbackCountSQL(f FeedbackFilter, args []any) (capped, newest, oldest string) {
	return db.feedbackPageSQL(qFeedbackInboxCount, f, args), db.feedbackPageSQL(qFeedbackInboxNewest, f, args),
		db.feedbackPageSQL(qFeedbackInboxOldest, f, args)
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

// PlanPageSQL is the text of the plan list's keyset pages as the store sends
// it for f and the page's arguments (f's, key, limit): specialised, with
// MariaDB's index hint.
func (db *DB) PlanPageSQL(f PlanFilter, older bool, args []any) string {
	if older {
		return db.planPageSQL(qConsolePlanOlder, f, args)
	}
	return db.planPageSQL(qConsolePlanNewer, f, args)
}

// PlanActivitySQL is the text of the 最近有动态 order's keyset reads as the
// store sends them for f, and f's arguments, for the EXPLAIN tests: the plans
// of the key's activity past the key's id (arguments f's, activity, id,
// limit) and those of the activities beyond (f's, activity, limit), going
// older and going newer.
func (db *DB) PlanActivitySQL(f PlanFilter) (sameOlder, older, sameNewer, newer string, args []any) {
	args = f.args()
	text := func(q Query) string { return db.activityPageSQL(q, f, args) }
	return text(qConsolePlanActSameOlder), text(qConsolePlanActOlder),
		text(qConsolePlanActSameNewer), text(qConsolePlanActNewer), args
}

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

// PendingPlanSQL is the 有待审核 page's SQL as the store sends it on db's
// engine, for the EXPLAIN tests: the ids of the registrations awaiting review
// (older and newer; arguments key, limit), the page among ids (older and
// newer, with f's filters, the ids and limit as the store expands and
// specialises them) and the capped count (with f's filters and cap).
func (db *DB) PendingPlanSQL(f PlanFilter, ids []int64, limit, limitCount int) (idsOlder, idsNewer string, amongOlder, amongNewer, count Specialised, err error) {
	walk := f
	walk.Phase = "" // as pendingPlanPage passes it
	among := func(q Query) (Specialised, error) {
		text, args, err := db.amongSQL(q, walk, ids, limit)
		return Specialised{text, args}, err
	}
	if amongOlder, err = among(qConsolePlanAmongOlder); err != nil {
		return
	}
	if amongNewer, err = among(qConsolePlanAmongNewer); err != nil {
		return
	}
	args := append(f.baseArgs(), limitCount)
	count = Specialised{db.withFilters(qConsolePlanPendingCount, args), args}
	return db.Q.SQL(qConsolePlanPendingOlder), db.Q.SQL(qConsolePlanPendingNewer), amongOlder, amongNewer, count, nil
}

// PlanSearchSQL is a plan search's SQL as the store sends it on db's engine,
// for the EXPLAIN tests: the plans holding a gram (older and newer;
// arguments gram, key, limit) and the count of f's newest matches among them
// (f's filters, specialised, with the gram and cap).
func (db *DB) PlanSearchSQL(f PlanFilter, gram string, limitCount int) (older, newer string, count Specialised) {
	args := append(append([]any{gram}, f.args()...), limitCount)
	return db.Q.SQL(qConsolePlanGramOlder), db.Q.SQL(qConsolePlanGramNewer),
		Specialised{db.withFilters(qConsolePlanGramSearchNewest, args), args}
}

// Specialised is a statement's text and arguments as the store sends them.
type Specialised struct {
	SQL  string
	Args []any
}

// SetPendingBatch sets how many plan ids the 有待审核 page reads at a time,
// until the test ends.
func SetPendingBatch(t interface{ Cleanup(func()) }, n int) {
	old := pendingBatch
	pendingBatch = n
	t.Cleanup(func() { pendingBatch = old })
}

// SubmitManyStatement is SubmitMany's statement and arguments (for EXPLAIN).
func (db *DB) SubmitManyStatement(rows []SubmitManyRow, from, to domain.Status) (string, []any, error) {
	return db.submitManyStatement(rows, from, to)
}
