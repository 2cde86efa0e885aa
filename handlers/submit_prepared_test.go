package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// A submit reads and checks the registration, its attachments and the
// candidate before the plan's serial group, and its status write holds to
// what it read: on both engines, an identity bound between the checks and
// the transaction is the one the registration carries (and the answer shows,
// a corrected name too), a required attachment
// removed then refuses the submit (no seat taken, the draft stays a draft),
// even when the clock has not moved (the test's stands still), and a submit
// that goes through answers exactly what a read of the registration answers
// afterwards.
func TestSubmitHoldsToWhatItChecked(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		ctx := context.Background()
		p, code := e.plan(t, planSpec{Level: 5, Seats: 10})
		meanwhile := func(id int64, fn func()) {
			e.app.Core.OnSubmitChecked(func(regID int64) {
				if regID == id {
					e.app.Core.OnSubmitChecked(nil)
					fn()
				}
			})
			t.Cleanup(func() { e.app.Core.OnSubmitChecked(nil) })
		}
		status := func(id int64) string {
			var s string
			if err := e.app.DB.R.GetContext(ctx, &s, e.app.DB.R.Rebind("SELECT status FROM registrations WHERE id = ?"), id); err != nil {
				t.Fatal(err)
			}
			return s
		}

		// Another identity bound meanwhile: the registration carries it (and
		// its rules were checked on it), not the one read before.
		first := testenv.RandomIDNumber("")
		c := testenv.SignInWithIdentity(t, e.app, "吴一", domain.IDTypeResidentCard, first)
		id := e.draft(t, c, code).ID
		ready(t, c, id, domain.BasisLevel5)
		second := testenv.RandomIDNumber("")
		meanwhile(id, func() {
			if res := c.Do(t, http.MethodPut, "/api/v1/me/identity", testenv.IdentityBody("吴一", domain.IDTypeResidentCard, second)); res.Status != http.StatusOK {
				t.Errorf("bind another identity: %d %s", res.Status, res.Body)
			}
		})
		v := regOK(t, submit(t, c, id), http.StatusOK)
		if v.Identity.IDNumberMasked != domain.MaskIDNumber(second) {
			t.Fatalf("the answer shows %s, want the identity bound now", v.Identity.IDNumberMasked)
		}
		var idx string
		if err := e.app.DB.R.GetContext(ctx, &idx, e.app.DB.R.Rebind("SELECT id_number_idx FROM registrations WHERE id = ?"), id); err != nil {
			t.Fatal(err)
		}
		if idx != e.app.Core.IDNumberIndex(second) {
			t.Fatalf("the registration carries %q, want the index of the identity bound now", idx)
		}

		// The name corrected meanwhile (the same number): the answer shows the
		// name the registration is read with afterwards.
		number := testenv.RandomIDNumber("")
		c4 := testenv.SignInWithIdentity(t, e.app, "吴三", domain.IDTypeResidentCard, number)
		id4 := e.draft(t, c4, code).ID
		ready(t, c4, id4, domain.BasisLevel5)
		meanwhile(id4, func() {
			if res := c4.Do(t, http.MethodPut, "/api/v1/me/identity", testenv.IdentityBody("吴四", domain.IDTypeResidentCard, number)); res.Status != http.StatusOK {
				t.Errorf("correct the name: %d %s", res.Status, res.Body)
			}
		})
		res4 := submit(t, c4, id4)
		if v := regOK(t, res4, http.StatusOK); v.Identity.Name != "吴四" {
			t.Fatalf("the answer shows %q, want the name bound now", v.Identity.Name)
		}
		if again := c4.Get(t, regPath(id4, "")); !bytes.Equal(res4.Body, again.Body) {
			t.Fatalf("after a name correction the submit answered\n%s\na read answers\n%s", res4.Body, again.Body)
		}

		// A required attachment removed meanwhile: refused as incomplete.
		c2 := e.candidate(t)
		id2 := e.draft(t, c2, code).ID
		ready(t, c2, id2, domain.BasisLevel5)
		var list struct{ Items []core.AttachmentView }
		c2.Get(t, regPath(id2, "/attachments")).JSON(t, &list)
		if len(list.Items) == 0 {
			t.Fatal("a ready draft without attachments")
		}
		meanwhile(id2, func() {
			if res := c2.Do(t, http.MethodDelete, regPath(id2, fmt.Sprintf("/attachments/%d", list.Items[0].ID)), nil); res.Status != http.StatusNoContent {
				t.Errorf("delete an attachment: %d %s", res.Status, res.Body)
			}
		})
		wantError(t, submit(t, c2, id2), http.StatusBadRequest, "incomplete")
		if n := e.seatsTaken(t, p.ID); n != 2 {
			t.Fatalf("seats taken %d, want 2 (the first and the fourth candidates')", n)
		}
		if s := status(id2); s != string(domain.StatusDraft) {
			t.Fatalf("after the incomplete submit: %s", s)
		}

		// The answer of a submit is what a read of it answers.
		c3 := e.candidate(t)
		id3 := e.draft(t, c3, code).ID
		ready(t, c3, id3, domain.BasisLevel5)
		res := submit(t, c3, id3)
		regOK(t, res, http.StatusOK)
		again := c3.Get(t, regPath(id3, ""))
		if !bytes.Equal(res.Body, again.Body) {
			t.Fatalf("the submit answered\n%s\na read answers\n%s", res.Body, again.Body)
		}
	})
}
