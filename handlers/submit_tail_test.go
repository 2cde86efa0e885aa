package handlers_test

import (
	"context"
	"database/sql"
	"net/http"
	"testing"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// TestSubmitWritesTheIDTail checks on both engines that a submit writes, with
// the registration's status, the keyed hash of the last four characters of
// the ID number bound now (the console's ID-digit search reads it) and its
// blind index, and takes the seat.
func TestSubmitWritesTheIDTail(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		number := testenv.RandomIDNumber("")
		c := testenv.SignInWithIdentity(t, e.app, "周十", domain.IDTypeResidentCard, number)
		p, code := e.plan(t, planSpec{Level: 4})
		id := e.draft(t, c, code).ID
		ready(t, c, id, domain.BasisWorkYears)
		// The draft got a tail when it was made; the submit writes that of
		// the number bound now, whatever the draft holds.
		if _, err := e.app.DB.W.Exec("UPDATE registrations SET id_tail_idx = 'stale' WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
		if v := regOK(t, submit(t, c, id), http.StatusOK); v.Status != string(domain.StatusSubmitted) {
			t.Fatalf("status after submit: %s", v.Status)
		}
		var row struct {
			Tail  sql.NullString `db:"id_tail_idx"`
			Idx   sql.NullString `db:"id_number_idx"`
			Taken int            `db:"seats_taken"`
		}
		err := e.app.DB.R.GetContext(context.Background(), &row, `SELECT r.id_tail_idx, r.id_number_idx, p.seats_taken
			FROM registrations r JOIN plans p ON p.id = r.plan_id WHERE r.id = ?`, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := e.app.Core.IDTailIndex(number); row.Tail.String != want {
			t.Errorf("tail hash %q, want %q", row.Tail.String, want)
		}
		if want := e.app.Core.IDNumberIndex(number); row.Idx.String != want {
			t.Errorf("ID number index %q, want %q", row.Idx.String, want)
		}
		if row.Taken != p.SeatsTaken+1 {
			t.Errorf("seats taken %d, want %d", row.Taken, p.SeatsTaken+1)
		}
	})
}
