package repo

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations live in one folder per dialect; every file is one goose migration
// that runs in its own transaction where the engine allows (MySQL commits DDL
// implicitly, so its steps are written to be safe to re-run).
//
//go:embed migrations/sqlite/*.sql migrations/mysql/*.sql
var migrationFS embed.FS

// ErrSchemaTooNew means the database was migrated by a newer skillcert.
var ErrSchemaTooNew = errors.New("database schema is newer than this build knows")

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFS, "migrations/"+string(db.Dialect))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.Dialect == MySQL {
		dialect = goose.DialectMySQL
		locker, err := lock.NewMySQLTableLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithLocker(locker))
	}
	return goose.NewProvider(dialect, db.W.DB, sub, opts...)
}

// SchemaVersion returns the database's schema version and the newest one this
// build knows.
func (db *DB) SchemaVersion(ctx context.Context) (current, known int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	current, known, err = p.GetVersions(ctx)
	if err != nil {
		// A database that was never migrated has no version table yet.
		if cur, e := p.GetDBVersion(ctx); e == nil {
			return cur, known, nil
		}
		return 0, known, nil
	}
	return current, known, nil
}

// Migrate brings the schema up to date. It refuses a schema newer than this build.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	cur, known, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if cur > known {
		return fmt.Errorf("%w: database at version %d, this build knows up to %d", ErrSchemaTooNew, cur, known)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range res {
		if log != nil {
			log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration_ms", r.Duration.Milliseconds())
		}
	}
	return nil
}

// SchemaCurrent reports an error unless the schema is exactly the version this
// build knows; the server serves only then.
func (db *DB) SchemaCurrent(ctx context.Context) error {
	cur, known, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case cur > known:
		return fmt.Errorf("%w: database at version %d, this build knows up to %d", ErrSchemaTooNew, cur, known)
	case cur < known:
		return fmt.Errorf("database schema at version %d, needs %d: run `skillcert migrate`", cur, known)
	}
	return nil
}
