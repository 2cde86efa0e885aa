package handlers_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// yearKinds are the issue-25 events, each with its own subscribe template.
var yearKinds = map[string]string{
	domain.EventDeadlineIn3Days: "TPL-D3", domain.EventDeadlineIn1Day: "TPL-D1",
	domain.EventReturnPending: "TPL-RET", domain.EventPlanFullForDraft: "TPL-FULL", domain.EventSeatFreed: "TPL-SEAT",
}

// twoReplicas starts two servers on one database, each with its dispatcher and
// reminder scheduler, sharing the fake WeChat; their clocks are set together.
func twoReplicas(t *testing.T, dsn string, at time.Time) (*regEnv, *testenv.App) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "templates.json")
	var parts []string
	for k, tpl := range yearKinds {
		parts = append(parts, `"`+k+`":{"subscribe":{"template_id":"`+tpl+`"}}`)
	}
	if err := os.WriteFile(file, []byte(`{"events":{`+strings.Join(parts, ",")+`}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SKILLCERT_NOTIFY_TEMPLATES": file, "SKILLCERT_PUSH_ENABLED": "true",
		"SKILLCERT_PUSH_POLL": "20ms", "SKILLCERT_REMINDER_POLL": "1h", "SKILLCERT_LOGIN_RATE": "100000"}
	e := newRegEnv(t, dsn, env)
	b := testenv.Start(t, dsn, testenv.Options{Env: env})
	e.app.Clock.Set(at)
	b.Clock.Set(at)
	return e, b
}

// subscribed is a candidate who accepted every issue-25 template a few times.
func subscribed(t *testing.T, e *regEnv) *testenv.Client {
	t.Helper()
	c := e.candidate(t)
	wx := testenv.WeChat(t)
	results := map[string]string{}
	for _, tpl := range yearKinds {
		wx.GrantSubscribe(c.OpenID, tpl, 3)
		results[tpl] = "accept"
	}
	for range 3 {
		if res := c.Do(t, http.MethodPost, "/api/v1/me/subscriptions", map[string]any{"results": results}); res.Status != http.StatusOK {
			t.Fatalf("subscriptions: %d %s", res.Status, res.Body)
		}
	}
	return c
}

// sentOf lists the template ids sent to a candidate, in order.
func sentOf(t *testing.T, c *testenv.Client) []string {
	var out []string
	for _, m := range sentTo(testenv.WeChat(t), c.OpenID) {
		out = append(out, m.TemplateID)
	}
	return out
}

// TestDeadlineRemindersOnceWithTwoReplicas: two schedulers and two dispatchers
// under a controlled clock send each reminder exactly once.
func TestDeadlineRemindersOnceWithTwoReplicas(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		start := time.Date(2026, 3, 15, 10, 0, 0, 0, domain.Beijing)
		e, b := twoReplicas(t, dsn, start)
		_, code := e.plan(t, planSpec{}) // deadline 2026-03-20
		drafter, returned, done := subscribed(t, e), subscribed(t, e), subscribed(t, e)
		d := e.draft(t, drafter, code)
		r := e.draft(t, returned, code)
		ready(t, returned, r.ID, domain.BasisWorkYears)
		regOK(t, submit(t, returned, r.ID), http.StatusOK)
		x := e.draft(t, done, code)
		ready(t, done, x.ID, domain.BasisWorkYears)
		regOK(t, submit(t, done, x.ID), http.StatusOK) // submitted: never reminded
		reviewed := time.Date(2026, 3, 16, 10, 0, 0, 0, domain.Beijing)
		exec(t, e.app.DB, "UPDATE registrations SET status = 'returned', reviewed_at = ?, review_note = '请补充社保证明' WHERE id = ?", reviewed.UTC(), r.ID)

		ctx := context.Background()
		run := func(at time.Time) {
			t.Helper()
			e.app.Clock.Set(at)
			b.Clock.Set(at)
			var wg sync.WaitGroup
			for _, app := range []*testenv.App{e.app, b, e.app, b} { // two schedulers, twice each, at once
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := app.Core.EnqueueRegistrationReminders(ctx); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			// Let the dispatchers finish before the clock moves on: their leases
			// follow the same clock, and a day's jump would expire them mid-send.
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				var busy int
				if err := e.app.DB.R.Get(&busy, "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"); err != nil {
					t.Fatal(err)
				}
				if busy == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d outbox rows still busy", busy)
				}
			}
		}
		count := func(kind string) int {
			var n int
			if err := e.app.DB.R.Get(&n, "SELECT COUNT(*) FROM outbox WHERE event_kind = ?", kind); err != nil {
				t.Fatal(err)
			}
			return n
		}
		run(time.Date(2026, 3, 17, 8, 59, 0, 0, domain.Beijing)) // 3 days before, too early
		if count(domain.EventDeadlineIn3Days) != 0 || count(domain.EventReturnPending) != 0 {
			t.Fatal("reminded too early")
		}
		run(time.Date(2026, 3, 17, 9, 0, 0, 0, domain.Beijing))
		run(time.Date(2026, 3, 17, 9, 30, 0, 0, domain.Beijing))
		if count(domain.EventDeadlineIn3Days) != 1 || count(domain.EventReturnPending) != 0 {
			t.Fatalf("09:00: %d, %d", count(domain.EventDeadlineIn3Days), count(domain.EventReturnPending))
		}
		run(time.Date(2026, 3, 17, 10, 0, 0, 0, domain.Beijing)) // a day after the return
		run(time.Date(2026, 3, 18, 9, 0, 0, 0, domain.Beijing))  // 2 days before: nothing new
		run(time.Date(2026, 3, 19, 9, 0, 0, 0, domain.Beijing))  // 1 day before
		run(time.Date(2026, 3, 19, 23, 0, 0, 0, domain.Beijing))
		for kind, want := range map[string]int{domain.EventDeadlineIn3Days: 1, domain.EventDeadlineIn1Day: 1, domain.EventReturnPending: 1} {
			if got := count(kind); got != want {
				t.Fatalf("%s: %d rows, want %d", kind, got, want)
			}
		}
		waitSent(t, testenv.WeChat(t), drafter.OpenID, 2)
		waitSent(t, testenv.WeChat(t), returned.OpenID, 1)
		time.Sleep(200 * time.Millisecond) // a duplicate would have come by now
		if got := sentOf(t, drafter); len(got) != 2 || got[0] != "TPL-D3" || got[1] != "TPL-D1" {
			t.Fatalf("drafter got %v", got)
		}
		if got := sentOf(t, returned); len(got) != 1 || got[0] != "TPL-RET" {
			t.Fatalf("returned got %v", got)
		}
		if got := sentOf(t, done); len(got) != 0 {
			t.Fatalf("submitted candidate got %v", got)
		}
		for _, m := range sentTo(testenv.WeChat(t), drafter.OpenID) {
			if !strings.Contains(m.Data["thing4"], "截止") {
				t.Errorf("deadline reminder says %q", m.Data["thing4"])
			}
		}
		// The registration says what is due.
		v := regOK(t, drafter.Get(t, regPath(d.ID, "")), http.StatusOK)
		if !strings.Contains(v.Due, "待提交") || !strings.Contains(v.Due, "草稿不占名额") {
			t.Fatalf("due: %q", v.Due)
		}
	})
}

// TestSeatFreedWatchers: drafts are told when their plan fills up; 有空位提醒我
// is offered with plan_full; a freed seat tells each watcher once, in the order
// they asked, and reserves nothing.
func TestSeatFreedWatchers(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e, _ := twoReplicas(t, dsn, regNow)
		plan, code := e.plan(t, planSpec{Seats: 1})
		holder, first, second := subscribed(t, e), subscribed(t, e), subscribed(t, e)
		h := e.draft(t, holder, code)
		f := e.draft(t, first, code)
		s := e.draft(t, second, code)
		ready(t, holder, h.ID, domain.BasisWorkYears)
		ready(t, first, f.ID, domain.BasisWorkYears)
		ready(t, second, s.ID, domain.BasisWorkYears)
		watchPath := "/api/v1/plans/" + itoa(plan.ID) + "/seat-watch"
		wantError(t, second.Do(t, http.MethodPost, watchPath, nil), http.StatusConflict, "plan_not_full")

		regOK(t, submit(t, holder, h.ID), http.StatusOK) // the last seat
		// Both drafts hear that the plan is full.
		waitSent(t, testenv.WeChat(t), first.OpenID, 1)
		waitSent(t, testenv.WeChat(t), second.OpenID, 1)

		// plan_full offers the watch; second asks first, then first.
		res := submit(t, first, f.ID)
		wantError(t, res, http.StatusConflict, "plan_full")
		var offer struct {
			PlanID    int64 `json:"plan_id"`
			SeatWatch bool  `json:"seat_watch"`
		}
		res.JSON(t, &offer)
		if offer.PlanID != plan.ID || !offer.SeatWatch {
			t.Fatalf("plan_full offer: %s", res.Body)
		}
		for _, c := range []*testenv.Client{second, first, second} { // asking twice is one watch
			if res := c.Do(t, http.MethodPost, watchPath, nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"watching":true`) {
				t.Fatalf("watch: %d %s", res.Status, res.Body)
			}
		}
		// The holder cancels: each watcher once, second before first.
		cancelReg(t, holder, h.ID)
		var rows []struct {
			CandidateID int64 `db:"candidate_id"`
			Payload     string
		}
		if err := e.app.DB.R.Select(&rows, "SELECT candidate_id, payload FROM outbox WHERE event_kind = ? ORDER BY id", domain.EventSeatFreed); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].CandidateID != second.CandidateID || rows[1].CandidateID != first.CandidateID ||
			!strings.Contains(rows[0].Payload, "名额不作保留") {
			t.Fatalf("seat events: %+v", rows)
		}
		waitSent(t, testenv.WeChat(t), first.OpenID, 2)
		waitSent(t, testenv.WeChat(t), second.OpenID, 2)
		// Not reserved: first submits before second and takes the seat.
		regOK(t, submit(t, first, f.ID), http.StatusOK)
		wantError(t, submit(t, second, s.ID), http.StatusConflict, "plan_full")
		// A later freed seat tells nobody: the watches were answered.
		cancelReg(t, first, f.ID)
		var n int
		if err := e.app.DB.R.Get(&n, "SELECT COUNT(*) FROM outbox WHERE event_kind = ?", domain.EventSeatFreed); err != nil || n != 2 {
			t.Fatalf("%d seat events after a second free (%v)", n, err)
		}
		time.Sleep(200 * time.Millisecond)
		for _, c := range []*testenv.Client{first, second} {
			if got := sentOf(t, c); len(got) != 2 || got[0] != "TPL-FULL" || got[1] != "TPL-SEAT" {
				t.Fatalf("sent %v", got)
			}
		}
		if got := sentOf(t, holder); len(got) != 0 {
			t.Fatalf("holder got %v", got)
		}
		var w core.SeatWatch
		second.Get(t, watchPath).JSON(t, &w)
		if w.Watching {
			t.Fatal("watch still pending after its event")
		}
	})
}
