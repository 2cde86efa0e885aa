package handlers_test

import (
	"net/http"
	"strings"
	"testing"

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
