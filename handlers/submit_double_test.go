package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// A double tap: the same draft submitted twice in one commit group, on a plan
// with seats and on a plan of one seat, which the first tap fills. Both answers
// are the registration as submitted (not plan_full for the second), and it
// holds one seat. With the submit queue and without; on the replica that made
// the drafts (which remembers them) and on another one (which reads them).
func TestDoubleSubmitInOneGroup(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil) // the plans
		for _, queue := range []string{"on", "off"} {
			env := map[string]string{"SKILLCERT_SUBMIT_QUEUE": queue}
			replica := func() *regEnv {
				app := testenv.Start(t, dsn, testenv.Options{Env: env})
				app.Clock.Set(regNow)
				return &regEnv{app: app, inst: e.inst}
			}
			home, away := replica(), replica() // away remembers no draft
			for _, at := range []*regEnv{home, away} {
				for _, seats := range []int{10, 1} {
					p, code := e.plan(t, planSpec{Level: 5, Seats: seats})
					for _, r := range []*regEnv{home, away} {
						if err := r.app.Core.Plans.Refresh(t.Context()); err != nil {
							t.Fatal(err)
						}
					}
					c, id := home.readyDraft(t, code)
					c.Base = at.app.URL
					ms := []member{{c, id}, {c, id}}
					if seats > 1 {
						c2, id2 := home.readyDraft(t, code)
						c2.Base = at.app.URL
						ms = append(ms, member{c2, id2})
					}
					name := map[bool]string{true: "the drafts' replica", false: "another replica"}[at == home]
					for i, res := range queueAsOneGroup(t, at, p.ID, ms) {
						if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"status":"`+string(domain.StatusSubmitted)+`"`) {
							t.Errorf("queue %s, %s, %d seats, answer %d: %d %s", queue, name, seats, i, res.Status, res.ErrorCode())
						}
					}
					if n := e.seatsTaken(t, p.ID); n != len(ms)-1 {
						t.Errorf("queue %s, %s, %d seats: %d taken, want %d", queue, name, seats, n, len(ms)-1)
					}
				}
			}
		}
	})
}

// The second tap of a double tap, read from the database as a draft while the
// first held the last seat, waits at the submit gate until the plan is known
// full: it is still answered the registration as submitted (its row is read
// again, since it is not among the plan's drafts), not plan_full.
func TestDoubleTapReadBeforeTheFirstCommitted(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, map[string]string{"SKILLCERT_SUBMIT_QUEUE": "off"})
		away := testenv.Start(t, dsn, testenv.Options{Env: map[string]string{
			"SKILLCERT_SUBMIT_QUEUE": "off", "SKILLCERT_SUBMIT_CONCURRENCY": "1", "SKILLCERT_SUBMIT_WAIT": "10s"}})
		away.Clock.Set(regNow)
		p, code := e.plan(t, planSpec{Level: 5, Seats: 1})
		if err := away.Core.Plans.Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
		c, id := e.readyDraft(t, code)
		release, err := away.Core.AdmitSubmit(t.Context()) // the one slot of the replica the second tap reaches
		if err != nil {
			t.Fatal(err)
		}
		second := *c
		second.Base = away.URL
		answer := make(chan *testenv.Response, 1)
		go func() { answer <- submit(t, &second, id) }()
		deadline := time.Now().Add(5 * time.Second)
		for away.Core.SubmitsWaiting(p.ID) == 0 { // read as a draft, waiting for the slot
			if time.Now().After(deadline) {
				t.Fatal("the second tap never waited at the gate")
			}
			time.Sleep(time.Millisecond)
		}
		regOK(t, submit(t, c, id), http.StatusOK) // the first tap, elsewhere, takes the seat
		away.Core.Plans.SetSeatsTaken(p.ID, 1)    // as the change feed tells
		release()
		res := <-answer
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"status":"submitted"`) {
			t.Fatalf("the second tap: %d %s", res.Status, res.Body)
		}
		if n := e.seatsTaken(t, p.ID); n != 1 {
			t.Fatalf("%d seats taken, want 1", n)
		}
	})
}
