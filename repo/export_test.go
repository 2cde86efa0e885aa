package repo

// AuditListSQL is the SQL of the audit log's keyset pages and capped count, for
// the EXPLAIN test.
func (db *DB) AuditListSQL() (older, newer, count string) {
	return db.Q.SQL(qAuditOlder), db.Q.SQL(qAuditNewer), db.Q.SQL(qAuditCountCapped)
}
