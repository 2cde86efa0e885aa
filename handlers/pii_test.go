package handlers_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestPersonalDataAtRest binds identities and phones, then reads every row of
// every table (and, on SQLite, the database files byte for byte) and the whole
// server log: no ID number, phone or session token may appear in plaintext.
func TestPersonalDataAtRest(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		secrets := map[string]string{}
		for i, doc := range []struct{ idType, number string }{
			{"01", "11010519491231002X"}, {"02", "810000199408230021"}, {"03", "H87654321"}, {"06", "E7654321"},
		} {
			c := testenv.SignInWithIdentity(t, app, "孙九", doc.idType, doc.number)
			phone := fmt.Sprintf("1390000%04d", 1234+i)
			if res := bindPhone(t, c, phone); res.Status != http.StatusOK {
				t.Fatalf("bind phone: %d %s", res.Status, res.Body)
			}
			if me := getMe(t, c); me.IDNumber != doc.number {
				t.Fatalf("the candidate's own page lost the number: %+v", me)
			}
			secrets["id number "+doc.number] = doc.number
			secrets["phone "+phone] = phone
			secrets["token of "+doc.number] = c.Token
		}
		var idx string
		if err := app.DB.R.Get(&idx, "SELECT id_number_idx FROM candidates WHERE id_type = '01'"); err != nil || len(idx) != 64 {
			t.Fatalf("blind index = %q, %v", idx, err)
		}

		dump := dumpTables(t, app.DB)
		if app.DB.Dialect == repo.SQLite {
			var files string
			for _, suffix := range []string{"", "-wal"} {
				b, err := os.ReadFile(dsn + suffix)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				files += string(b)
			}
			if !strings.Contains(files, "孙九") {
				t.Fatal("the SQLite files read are not the server's database")
			}
			dump += files
		}
		logs := app.Logs.String()
		for what, s := range secrets {
			if strings.Contains(dump, s) {
				t.Errorf("the database holds the %s in plaintext", what)
			}
			if strings.Contains(logs, s) {
				t.Errorf("the log holds the %s", what)
			}
		}
	})
}

// dumpTables returns the text of every column of every row of every table.
func dumpTables(t *testing.T, db *repo.DB) string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if db.Dialect == repo.MySQL {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
	}
	var tables []string
	if err := db.R.Select(&tables, q); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, table := range tables {
		rows, err := db.R.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				b.Write(v)
				b.WriteByte('|')
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(b.String(), "孙九") {
		t.Fatal("the dump missed the candidates table")
	}
	return b.String()
}
