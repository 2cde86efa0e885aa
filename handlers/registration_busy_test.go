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
