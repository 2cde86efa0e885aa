package repo_test

import (
	"context"
	"fmt"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// Unique violations are recognised by the engine's error code (MySQL 1062,
// SQLite's extended UNIQUE and PRIMARYKEY codes), wrapped or not; other
// constraint failures are not unique violations.
func TestIsUniqueViolationByCode(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := repo.Open(ctx, dsn, repo.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.W.Exec(`CREATE TABLE uq_probe (id INTEGER PRIMARY KEY, k VARCHAR(10) NOT NULL UNIQUE)`); err != nil {
			t.Fatal(err)
		}
		ins := func(id any, k any) error {
			_, err := db.W.Exec(`INSERT INTO uq_probe (id, k) VALUES (?, ?)`, id, k)
			return err
		}
		if err := ins(1, "a"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			err  error
			want bool
		}{
			{"unique key", ins(2, "a"), true},
			{"primary key", ins(1, "b"), true},
			{"wrapped", fmt.Errorf("insert probe: %w", ins(3, "a")), true},
			{"not null", ins(4, nil), false},
			{"no error", nil, false},
			{"text only", fmt.Errorf("UNIQUE constraint failed: uq_probe.k"), false},
		} {
			if got := repo.IsUniqueViolation(c.err); got != c.want {
				t.Errorf("%s: IsUniqueViolation(%v) = %v, want %v", c.name, c.err, got, c.want)
			}
		}
	})
}
