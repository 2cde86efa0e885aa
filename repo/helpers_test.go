package repo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"skillcert/repo"
)

// openMigrated opens the database at dsn with its schema migrated, closed when
// the test ends.
func openMigrated(t *testing.T, dsn string) *repo.DB {
	t.Helper()
	ctx := context.Background()
	db, err := repo.Open(ctx, dsn, repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	return db
}
