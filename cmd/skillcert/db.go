package main

import (
	"context"

	"skillcert/repo"
	"skillcert/server"
)

// openDB reads the configuration, opens the database it names and brings the
// schema up to date: what every operator command does before its own work.
// The caller closes the database.
func openDB(ctx context.Context, e *env) (*repo.DB, server.Config, error) {
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		return nil, cfg, err
	}
	db, err := repo.Open(ctx, cfg.DB, repo.Options{MaxOpenConns: cfg.MaxOpenConns})
	if err != nil {
		return nil, cfg, err
	}
	if err := db.Migrate(ctx, e.log); err != nil {
		db.Close()
		return nil, cfg, err
	}
	return db, cfg, nil
}
