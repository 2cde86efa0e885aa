package core_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// Group commit (issue 19 item 1): operations on one key that run at once share
// a transaction, each in its own savepoint. Every successful one is committed,
// every refused one leaves nothing behind and gets its own error, operations
// on another key are not held back, and a group whose transaction breaks (a
// member ends it) runs each member again alone: nothing lost, nothing twice.
func TestGroupCommitKeepsEachOutcome(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := repo.Open(ctx, dsn, repo.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.W.Exec(`CREATE TABLE gc_probe (k INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (k, n))`); err != nil {
			t.Fatal(err)
		}
		count := func(where string) int {
			var c int
			if err := db.W.Get(&c, `SELECT COUNT(*) FROM gc_probe WHERE `+where); err != nil {
				t.Fatal(err)
			}
			return c
		}
		g := core.NewGroupCommit(db, 16)
		refused := errors.New("refused")
		const n = 120
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := int64(1 + i%2) // two plans
				errs[i] = g.Run(ctx, key, func(ctx context.Context, tx repo.Tx) error {
					if _, err := tx.SQL().ExecContext(ctx, `INSERT INTO gc_probe (k, n) VALUES (?, ?)`, key, i); err != nil {
						return err
					}
					time.Sleep(time.Millisecond) // a submit's work, so that groups form
					if i%3 == 0 {
						return fmt.Errorf("op %d: %w", i, refused)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if want := i%3 == 0; errors.Is(err, refused) != want || (!want && err != nil) {
				t.Errorf("op %d: %v", i, err)
			}
		}
		if got := count("n % 3 = 0"); got != 0 {
			t.Errorf("%d writes of refused operations were committed", got)
		}
		if got := count("n % 3 <> 0"); got != n-n/3 {
			t.Errorf("%d writes committed, want %d", got, n-n/3)
		}
		commits, members := g.Counts()
		t.Logf("%d operations in %d transactions", members, commits)
		if members != n || commits >= n {
			t.Errorf("%d operations in %d transactions: no group formed", members, commits)
		}

		// A member that ends the transaction (once) breaks its group: every
		// member is run again alone and committed once.
		before, _ := g.Counts()
		start := make(chan struct{})
		var broke atomic.Bool
		var wg2 sync.WaitGroup
		errs = make([]error, 8)
		for i := range 8 {
			wg2.Add(1)
			go func() {
				defer wg2.Done()
				<-start
				if i > 0 { // op 0 runs first and long: the others queue as one group
					time.Sleep(10 * time.Millisecond)
				}
				errs[i] = g.Run(ctx, 3, func(ctx context.Context, tx repo.Tx) error {
					if _, err := tx.SQL().ExecContext(ctx, `INSERT INTO gc_probe (k, n) VALUES (3, ?)`, i); err != nil {
						return err
					}
					if i == 0 {
						time.Sleep(100 * time.Millisecond)
					}
					if i == 7 && broke.CompareAndSwap(false, true) {
						_, err := tx.SQL().ExecContext(ctx, `ROLLBACK`)
						return err
					}
					return nil
				})
			}()
		}
		close(start)
		wg2.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("breaking group, op %d: %v", i, err)
			}
		}
		if got := count("k = 3"); got != 8 {
			t.Errorf("%d of 8 writes committed after a broken group", got)
		}
		after, _ := g.Counts()
		t.Logf("breaking group: %d transactions for 8 operations", after-before)
		if after-before != 1+1+7 { // op 0; the group of 7; each of them again
			t.Errorf("breaking group: %d transactions, want 9", after-before)
		}
	})
}

// TestGroupCommitSurvivesAPanic: a member that panics inside a group gets an
// error of its own and its writes are rolled back; the other members of its
// group commit, later groups of the plan still run, and the process lives.
func TestGroupCommitSurvivesAPanic(t *testing.T) {
	ctx := context.Background()
	db, err := repo.Open(ctx, testenv.NewDSN(t, "sqlite"), repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.W.Exec(`CREATE TABLE gc_panic (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	g := core.NewGroupCommit(db, 16)
	const n = 40
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = g.Run(ctx, 7, func(ctx context.Context, tx repo.Tx) error {
				if _, err := tx.SQL().ExecContext(ctx, `INSERT INTO gc_panic (n) VALUES (?)`, i); err != nil {
					return err
				}
				time.Sleep(time.Millisecond)
				if i%10 == 3 {
					panic(fmt.Sprintf("op %d", i))
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (i%10 == 3) != (err != nil) {
			t.Errorf("op %d: %v", i, err)
		}
	}
	var rows int
	if err := db.W.Get(&rows, `SELECT COUNT(*) FROM gc_panic`); err != nil {
		t.Fatal(err)
	}
	if rows != n-n/10 {
		t.Errorf("%d rows committed, want %d (the panicking members' rolled back)", rows, n-n/10)
	}
	// The plan's queue is free: a later operation runs.
	if err := g.Run(ctx, 7, func(ctx context.Context, tx repo.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
}
