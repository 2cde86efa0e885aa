package demo_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// The demo accounts are made once, on a database without accounts, with new
// passwords stored as bcrypt hashes; they sign in with their scope (plan 2501's
// institution, 广东省（省本级）). Starts racing on one database make them once.
func TestSeedDemoStaff(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := testenv.OpenDB(t, dsn)
		if _, err := demo.Seed(ctx, db, time.Now(), 0); err != nil {
			t.Fatal(err)
		}
		c := core.New(core.Deps{DB: db, PasswordCost: 4})
		var (
			mu   sync.Mutex
			made []demo.Account
			wg   sync.WaitGroup
		)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				accts, err := demo.SeedStaff(ctx, db, c, time.Now())
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				made = append(made, accts...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		if len(made) != 3 {
			t.Fatalf("made %d accounts: %+v", len(made), made)
		}
		seen := map[string]bool{}
		for _, a := range made {
			if seen[a.Password] || domain.ValidatePassword(a.Password) != nil {
				t.Fatalf("password of %s reused or weak", a.Username)
			}
			seen[a.Password] = true
			var hash string
			if err := db.R.Get(&hash, `SELECT password_hash FROM staff_users WHERE username = ?`, a.Username); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(hash, "$2") || strings.Contains(hash, a.Password) {
				t.Fatalf("%s: not a bcrypt hash", a.Username)
			}
			_, st, err := c.LogInStaff(ctx, a.Username, a.Password, "127.0.0.1", core.LoginPolicy{MaxFailures: 5})
			if err != nil || st.Role != a.Role {
				t.Fatalf("sign in as %s: %+v %v", a.Username, st, err)
			}
			switch a.Username {
			case demo.InstitutionUser:
				if st.InstitutionName != demo.Institution {
					t.Fatalf("institution account of %q", st.InstitutionName)
				}
			case demo.SupervisorUser:
				if st.Region != demo.Region {
					t.Fatalf("supervisor of %q", st.Region)
				}
			}
		}
		again, err := demo.SeedStaff(ctx, db, c, time.Now())
		if err != nil || len(again) != 0 {
			t.Fatalf("second call: %+v %v", again, err)
		}
	})
}
