package handlers_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

func cancelReg(t testing.TB, c *testenv.Client, id int64) core.RegistrationView {
	t.Helper()
	return regOK(t, c.Do(t, http.MethodPost, regPath(id, "/cancel"), nil), http.StatusOK)
}

// TestRegisterAgainAfterCancel: a cancelled registration is reopened as a fresh
// draft by the code while the plan takes drafts; seats stay right, earlier
// submitted rounds are kept for the institution, and concurrent requests reopen
// it once.
func TestRegisterAgainAfterCancel(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		plan, code := e.plan(t, planSpec{Seats: 1})
		c := e.candidate(t)
		d := e.draft(t, c, code)
		if d.StatusName != core.StatusNameUnsaved {
			t.Fatalf("new draft labelled %q", d.StatusName)
		}
		ready(t, c, d.ID, domain.BasisWorkYears)
		regOK(t, submit(t, c, d.ID), http.StatusOK)
		if got := cancelReg(t, c, d.ID); got.Status != "cancelled" || e.seatsTaken(t, plan.ID) != 0 {
			t.Fatalf("cancel: %+v, seats %d", got, e.seatsTaken(t, plan.ID))
		}
		// The code's lookup shows the cancelled registration; posting the code reopens it.
		again := regOK(t, c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code}), http.StatusCreated)
		if again.ID != d.ID || again.Status != "draft" || !again.Editable || again.CommitmentAccepted ||
			again.SubmittedAt != nil || again.Basis != domain.BasisWorkYears || e.seatsTaken(t, plan.ID) != 0 {
			t.Fatalf("reopened: %+v, seats %d", again, e.seatsTaken(t, plan.ID))
		}
		// The form and attachments are kept: accepting the commitment again is enough.
		regOK(t, put(t, c, d.ID, map[string]any{"commitment_accepted": true}), http.StatusOK)
		regOK(t, submit(t, c, d.ID), http.StatusOK)
		if e.seatsTaken(t, plan.ID) != 1 {
			t.Fatalf("seats after the second submit: %d", e.seatsTaken(t, plan.ID))
		}
		cancelReg(t, c, d.ID)

		// Eight requests at once: one reopens (201), the others see the draft (200).
		const n = 8
		res := make([]*testenv.Response, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				res[i] = c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code})
			}(i)
		}
		close(start)
		wg.Wait()
		created := 0
		for _, r := range res {
			v := regOK(t, r, r.Status)
			if v.ID != d.ID || v.Status != "draft" {
				t.Fatalf("concurrent reopen: %d %s", r.Status, r.Body)
			}
			if r.Status == http.StatusCreated {
				created++
			} else if r.Status != http.StatusOK {
				t.Fatalf("concurrent reopen: %d %s", r.Status, r.Body)
			}
		}
		if created != 1 {
			t.Fatalf("%d requests reopened the registration", created)
		}
		var rows, rounds int
		if err := e.app.DB.R.Get(&rows, "SELECT COUNT(*) FROM registrations WHERE plan_id = ?", plan.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.app.DB.R.Get(&rounds, "SELECT COUNT(*) FROM registration_rounds WHERE registration_id = ?", d.ID); err != nil {
			t.Fatal(err)
		}
		if rows != 1 || rounds != 2 || e.seatsTaken(t, plan.ID) != 0 {
			t.Fatalf("%d rows, %d rounds kept, %d seats", rows, rounds, e.seatsTaken(t, plan.ID))
		}

		// A seat still goes to one of two candidates only: the other is told plan_full.
		other := e.candidate(t)
		od := e.draft(t, other, code)
		ready(t, other, od.ID, domain.BasisWorkYears)
		regOK(t, put(t, c, d.ID, map[string]any{"commitment_accepted": true}), http.StatusOK)
		regOK(t, submit(t, other, od.ID), http.StatusOK)
		wantError(t, submit(t, c, d.ID), http.StatusConflict, "plan_full")

		// A draft cancelled and never submitted adds no round; a
		// plan that takes no drafts (closed by its institution) leaves it cancelled.
		cancelReg(t, c, d.ID)
		if _, err := e.app.DB.W.Exec("UPDATE plans SET state = 'closed' WHERE id = ?", plan.ID); err != nil {
			t.Fatal(err)
		}
		late := regOK(t, c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code}), http.StatusOK)
		if late.Status != "cancelled" {
			t.Fatalf("after the deadline: %+v", late)
		}
		if err := e.app.DB.R.Get(&rounds, "SELECT COUNT(*) FROM registration_rounds WHERE registration_id = ?", d.ID); err != nil || rounds != 2 {
			t.Fatalf("rounds %d %v", rounds, err)
		}
		if !strings.Contains(late.StatusName, "撤销") {
			t.Fatalf("status name %q", late.StatusName)
		}
	})
}
