package repo_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestAuditPagesPlanWithoutSort fills MariaDB's audit log and checks with
// EXPLAIN that every keyset page (first, older, newer, last) and the capped
// count, with each filter, read an index in order: no filesort, no temporary
// table, no scan of the whole table.
func TestAuditPagesPlanWithoutSort(t *testing.T) {
	ctx := context.Background()
	db := openMigrated(t, testenv.NewDSN(t, "mysql"))
	const n = 20000
	es := make([]repo.AuditEntry, n)
	now := repo.Now()
	for i := range es {
		actor := int64(i%50 + 1)
		if i%5 == 0 {
			actor = 1 // one busy actor: a fifth of the log (the bench's admin has a tenth of a million)
		}
		es[i] = repo.AuditEntry{ActorKind: "staff", ActorID: sql.NullInt64{Int64: actor, Valid: true},
			Action: fmt.Sprintf("act.%d", i%20), ObjectKind: "registration", Detail: "x", CreatedAt: now}
	}
	if err := db.InsertAuditMany(ctx, db.W, es); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.ExecContext(ctx, "ANALYZE TABLE audit_log"); err != nil {
		t.Fatal(err)
	}
	_, _, count, newest, oldest := db.AuditListSQL()
	filters := []struct {
		actor  int64
		action string
	}{{0, ""}, {0, "act.3"}, {7, ""}, {7, "act.7"}, {1, ""}}
	for _, f := range filters {
		args := []any{f.actor, f.actor, f.action, f.action}
		af := repo.AuditFilter{ActorID: f.actor, Action: f.action}
		page := func(older bool, key int64) (string, []any) {
			a := append(append([]any{}, args...), key, 51)
			return db.AuditPageSQL(older, af, a), a
		}
		for _, p := range []struct {
			what  string
			older bool
			key   int64
		}{{"first page", true, math.MaxInt64}, {"older page", true, n / 2}, {"newer page", false, n / 2}, {"last page", false, 0}} {
			q, a := page(p.older, p.key)
			checkPlan(t, db, p.what, q, a...)
		}
		checkPlan(t, db, "capped count", count, append(args, 1001)...)   // its LIMIT stops a scan at the cap
		checkPlan(t, db, "capped newest", newest, append(args, 1001)...) // likewise
		checkPlan(t, db, "capped oldest", oldest, args...)               // LIMIT 1 from the oldest end
	}
}

// checkPlan runs EXPLAIN on q and fails on a sort or temporary table, or on a
// full scan of audit_log (except in the count's queries, where the LIMIT
// stops the scan at the cap or the first match: EXPLAIN's row estimate does
// not show it).
func checkPlan(t *testing.T, db *repo.DB, what, q string, args ...any) {
	t.Helper()
	rows, err := db.R.Queryx("EXPLAIN "+db.WithFilters(q, args), args...) // as the store sends it
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		m := map[string]any{}
		if err := rows.MapScan(m); err != nil {
			t.Fatal(err)
		}
		str := func(k string) string {
			if b, ok := m[k].([]byte); ok {
				return string(b)
			}
			if m[k] == nil {
				return ""
			}
			return fmt.Sprint(m[k])
		}
		line := fmt.Sprintf("table=%s type=%s key=%s rows=%s extra=%s", str("table"), str("type"), str("key"), str("rows"), str("Extra"))
		t.Logf("%s %v: %s", what, args[:4], line)
		extra := strings.ToLower(str("Extra"))
		if strings.Contains(extra, "filesort") || strings.Contains(extra, "temporary") {
			t.Errorf("%s %v sorts or uses a temporary table: %s", what, args[:4], line)
		}
		if str("table") == "a" && str("type") == "ALL" && !strings.HasPrefix(what, "capped") {
			t.Errorf("%s %v scans the whole audit log: %s", what, args[:4], line)
		}
		// A page reads a range below or above its key. A ref on the filter's
		// column alone walks past every entry on the far side of the key.
		if str("table") == "a" && strings.HasSuffix(what, "page") && str("type") != "range" {
			t.Errorf("%s %v does not read a key range: %s", what, args[:4], line)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
