package core

import (
	"context"
	"log/slog"

	"skillcert/repo"
)

// GroupCommit exposes groupCommit to the external tests.
type GroupCommit struct{ g *groupCommit }

func NewGroupCommit(db *repo.DB, max int) GroupCommit {
	return GroupCommit{newGroupCommit(db, slog.Default(), max)}
}

func (g GroupCommit) Run(ctx context.Context, key int64, fn func(ctx context.Context, tx repo.Tx) error) error {
	return g.g.run(ctx, key, nil, func(ctx context.Context, tx repo.Tx) (bool, error) { return false, fn(ctx, tx) })
}

// Counts tells how many transactions ran and how many operations.
func (g GroupCommit) Counts() (commits, members int64) { return g.g.commits.Load(), g.g.members.Load() }
