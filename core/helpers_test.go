package core_test

import (
	"context"
	"testing"

	"skillcert/repo"
)

// openDB opens a migrated database for dsn, closed at the end of the test.
func openDB(t *testing.T, dsn string) *repo.DB {
	t.Helper()
	ctx := context.Background()
	db, err := repo.Open(ctx, dsn, repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return db
}
