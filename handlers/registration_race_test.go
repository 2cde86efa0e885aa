package handlers_test

import (
	"net/http"
	"sync"
	"testing"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// TestRegistrationSubmitRace sends 200 submits at once to a plan of 60 seats:
// exactly 60 are taken, the other 140 are told plan_full, nothing else happens.
func TestRegistrationSubmitRace(t *testing.T) {
	const candidates, seats = 200, 60
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, map[string]string{"SKILLCERT_LOGIN_RATE": "100000"})
		plan, code := e.plan(t, planSpec{Level: 5, Seats: seats})

		// Setup, eight at a time: signed-in candidates with complete drafts. The
		// queue is filled first, so a worker stopped by a failure blocks nobody.
		clients := make([]*testenv.Client, candidates)
		ids := make([]int64, candidates)
		work := make(chan int, candidates)
		for i := 0; i < candidates; i++ {
			work <- i
		}
		close(work)
		var setup sync.WaitGroup
		for w := 0; w < 8; w++ {
			setup.Add(1)
			go func() {
				defer setup.Done()
				for i := range work {
					c := e.candidate(t)
					d := e.draft(t, c, code)
					form := formFor(domain.BasisLevel5)
					form["education"] = "41" // 中等专科: only the diploma is required
					regOK(t, put(t, c, d.ID, form), http.StatusOK)
					if res := upload(t, c, d.ID, "diploma", "毕业证.pdf", samplePDF); res.Status != http.StatusCreated {
						t.Errorf("upload: %d %s", res.Status, res.Body)
					}
					clients[i], ids[i] = c, d.ID
				}
			}()
		}
		setup.Wait()
		if t.Failed() {
			t.FailNow()
		}

		// All at once.
		start := make(chan struct{})
		results := make([]*testenv.Response, candidates)
		var wg sync.WaitGroup
		for i := 0; i < candidates; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				results[i] = submit(t, clients[i], ids[i])
			}(i)
		}
		close(start)
		wg.Wait()

		accepted, full := 0, 0
		for _, res := range results {
			switch {
			case res.Status == http.StatusOK:
				accepted++
			case res.Status == http.StatusConflict && res.ErrorCode() == "plan_full":
				full++
			default:
				t.Errorf("unexpected answer: %d %s", res.Status, res.Body)
			}
		}
		var submitted, events int
		if err := e.app.DB.R.Get(&submitted, "SELECT COUNT(*) FROM registrations WHERE plan_id = ? AND status = 'submitted' AND seat_held = 1", plan.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.app.DB.R.Get(&events, "SELECT COUNT(*) FROM outbox WHERE plan_id = ? AND event_kind = ?", plan.ID, domain.EventRegistrationSubmitted); err != nil {
			t.Fatal(err)
		}
		if accepted != seats || full != candidates-seats || submitted != seats || events != seats || e.seatsTaken(t, plan.ID) != seats {
			t.Fatalf("accepted %d, plan_full %d, submitted rows %d, events %d, seats taken %d",
				accepted, full, submitted, events, e.seatsTaken(t, plan.ID))
		}
	})
}
