package handlers_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/internal/testenv"
)

// Issue 19: admission control. While every submit slot of the replica is
// busy, a submit waits SKILLCERT_SUBMIT_WAIT for one and is then answered 503
// busy with a Chinese message and a Retry-After of 1–3 s, quickly, and nothing
// is saved; a refusal of a full plan needs no slot; once a slot frees the same
// submit goes through.
func TestSubmitBusyWhenEverySlotIsTaken(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, map[string]string{"SKILLCERT_SUBMIT_CONCURRENCY": "2", "SKILLCERT_SUBMIT_WAIT": "150ms"})
		plan, code := e.plan(t, planSpec{})
		full, fullCode := e.plan(t, planSpec{Seats: 1, Taken: 1})
		c, id := e.readyDraft(t, code)
		cf, idf := e.readyDraft(t, fullCode)

		ctx := context.Background()
		var held []func()
		for range 2 {
			release, err := e.app.Core.AdmitSubmit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, release)
		}
		start := time.Now()
		res := submit(t, c, id)
		took := time.Since(start)
		wantError(t, res, http.StatusServiceUnavailable, "busy")
		if !strings.Contains(string(res.Body), "报名人数较多，请稍后重试") {
			t.Fatalf("busy message: %s", res.Body)
		}
		if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 3 {
			t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
		}
		if took < 150*time.Millisecond || took > 3*time.Second {
			t.Fatalf("busy answer after %v, want after the 150ms wait and quickly", took)
		}
		if e.seatsTaken(t, plan.ID) != 0 {
			t.Fatal("a busy submit took a seat")
		}
		// A full plan is refused before the gate: no wait, no slot.
		wantError(t, submit(t, cf, idf), http.StatusConflict, "plan_full")
		if e.seatsTaken(t, full.ID) != 1 {
			t.Fatal("seats of the full plan changed")
		}
		if n := e.app.Core.SubmitsRefusedBusy(); n != 1 {
			t.Fatalf("refused busy: %d", n)
		}

		// A slot frees while a submit waits: it goes through.
		var wg sync.WaitGroup
		wg.Add(1)
		var late int
		go func() {
			defer wg.Done()
			late = submit(t, c, id).Status
		}()
		time.Sleep(30 * time.Millisecond)
		held[0]()
		wg.Wait()
		held[1]()
		if late != http.StatusOK || e.seatsTaken(t, plan.ID) != 1 {
			t.Fatalf("after a slot freed: %d, seats %d", late, e.seatsTaken(t, plan.ID))
		}
	})
}

// Issue 19 item 1: the submits waiting at the gate for a plan's seats leave
// together, answered plan_full, as soon as the read model learns the plan full
// (here as the change feed would tell it of another replica's submits), not one
// slot at a time after the winners; a submit to another plan keeps its place
// and goes through once a slot frees.
func TestSubmitWaitersLeaveWhenThePlanFills(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, map[string]string{"SKILLCERT_SUBMIT_CONCURRENCY": "1", "SKILLCERT_SUBMIT_WAIT": "8s"})
		plan, code := e.plan(t, planSpec{Seats: 3})
		_, otherCode := e.plan(t, planSpec{})
		c1, id1 := e.readyDraft(t, code)
		c2, id2 := e.readyDraft(t, code)
		c3, id3 := e.readyDraft(t, otherCode)

		release, err := e.app.Core.AdmitSubmit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		type answer struct {
			res *testenv.Response
			at  time.Time
		}
		onPlan := make(chan answer, 2)
		other := make(chan answer, 1)
		go func() { r := submit(t, c1, id1); onPlan <- answer{r, time.Now()} }()
		go func() { r := submit(t, c2, id2); onPlan <- answer{r, time.Now()} }()
		go func() { r := submit(t, c3, id3); other <- answer{r, time.Now()} }()
		time.Sleep(300 * time.Millisecond) // all three wait at the gate
		select {
		case a := <-onPlan:
			t.Fatalf("a submit did not wait at the gate: %d %s", a.res.Status, a.res.Body)
		case a := <-other:
			t.Fatalf("a submit did not wait at the gate: %d %s", a.res.Status, a.res.Body)
		default:
		}

		// Another replica takes the three seats; the feed tells this one.
		if _, err := e.app.DB.W.ExecContext(context.Background(),
			"UPDATE plans SET seats_taken = seats_total WHERE id = ?", plan.ID); err != nil {
			t.Fatal(err)
		}
		filled := time.Now()
		e.app.Core.Plans.SetSeatsTaken(plan.ID, 3)

		for range 2 {
			select {
			case a := <-onPlan:
				wantError(t, a.res, http.StatusConflict, "plan_full")
				if d := a.at.Sub(filled); d > time.Second {
					t.Fatalf("plan_full %v after the plan filled", d)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("the waiters of the filled plan still wait while the slot is held")
			}
		}
		select {
		case a := <-other:
			t.Fatalf("the submit to the other plan left the queue: %d %s", a.res.Status, a.res.Body)
		case <-time.After(100 * time.Millisecond):
		}
		release()
		select {
		case a := <-other:
			if a.res.Status != http.StatusOK {
				t.Fatalf("the other plan's submit after the slot freed: %d %s", a.res.Status, a.res.Body)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the other plan's submit never went through")
		}
		if n := e.app.Core.SubmitsFullFromMemory(); n < 2 {
			t.Fatalf("refused full from memory: %d, want 2", n)
		}
		if n := e.app.Core.SubmitsRefusedBusy(); n != 0 {
			t.Fatalf("refused busy: %d", n)
		}
	})
}
