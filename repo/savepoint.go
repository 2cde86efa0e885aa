package repo

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// InSavepoint runs fn inside tx within the savepoint name (a plain
// identifier), so that several operations can share one transaction and one
// commit while each keeps its own outcome: an error of fn rolls back what fn
// wrote and nothing else, and is returned as fnErr. txErr reports a failure of
// the savepoint statements themselves, after which tx is unusable (on MySQL a
// deadlock inside fn rolls back the whole transaction): the caller must roll
// it back. Both engines implement SAVEPOINT, ROLLBACK TO and RELEASE.
func InSavepoint(ctx context.Context, tx *sqlx.Tx, name string, fn func(tx *sqlx.Tx) error) (fnErr, txErr error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return nil, fmt.Errorf("savepoint %s: %w", name, err)
	}
	if fnErr = fn(tx); fnErr != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); err != nil {
			return fnErr, fmt.Errorf("rollback to savepoint %s: %w", name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fnErr, fmt.Errorf("release savepoint %s: %w", name, err)
	}
	return fnErr, nil
}
