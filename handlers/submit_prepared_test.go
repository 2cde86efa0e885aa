package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
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

// The submits of a plan that run as one commit group are written together,
// in a few statements (issue 19 item 1), with the answers each would have had
// alone: on both engines, of five drafts queued as one group on a plan with
// three seats left, the first three are submitted (one version each, one
// outbox event each, the answer what a read answers) and two get plan_full;
// and when one member's identity changed after its checks, the group is
// written member by member instead, and that member carries the identity as
// it is now.
func TestSubmitGroupWrittenAtOnce(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		ctx := context.Background()
		db := e.app.DB.R
		version := func(id int64) int64 {
			var v int64
			if err := db.GetContext(ctx, &v, db.Rebind("SELECT version FROM registrations WHERE id = ?"), id); err != nil {
				t.Fatal(err)
			}
			return v
		}
		p, code := e.plan(t, planSpec{Level: 5, Seats: 3})
		var ms []member
		for range 5 {
			c := e.candidate(t)
			id := e.draft(t, c, code).ID
			ready(t, c, id, domain.BasisLevel5)
			ms = append(ms, member{c, id})
		}
		before := make([]int64, len(ms))
		for i, m := range ms {
			before[i] = version(m.id)
		}
		groups := e.app.Core.SubmitGroupStats()
		answers := queueAsOneGroup(t, e, p.ID, ms)
		if w, d := groupsSince(e, groups); w != 1 || d != 0 {
			t.Fatalf("%d groups written at once and %d declined, want 1 and 0", w, d)
		}
		accepted := 0
		for i, res := range answers {
			if res.Status != http.StatusOK {
				wantError(t, res, http.StatusConflict, "plan_full")
				if v := version(ms[i].id); v != before[i] {
					t.Errorf("refused draft %d: version %d → %d", i, before[i], v)
				}
				continue
			}
			accepted++
			if v := regOK(t, res, http.StatusOK); v.Status != string(domain.StatusSubmitted) {
				t.Errorf("member %d: status %s", i, v.Status)
			}
			if again := ms[i].c.Get(t, regPath(ms[i].id, "")); !bytes.Equal(res.Body, again.Body) {
				t.Errorf("member %d answered\n%s\na read answers\n%s", i, res.Body, again.Body)
			}
			if v := version(ms[i].id); v != before[i]+1 {
				t.Errorf("member %d: version %d → %d, want one write", i, before[i], v)
			}
			var events int
			if err := db.GetContext(ctx, &events, db.Rebind("SELECT COUNT(*) FROM outbox WHERE registration_id = ? AND event_kind = ?"),
				ms[i].id, domain.ActionSubmit.EventKind()); err != nil || events != 1 {
				t.Errorf("member %d: %d submit events (%v)", i, events, err)
			}
		}
		if accepted != 3 || e.seatsTaken(t, p.ID) != 3 {
			t.Fatalf("%d accepted, %d seats taken; want 3 and 3", accepted, e.seatsTaken(t, p.ID))
		}
		// Each winner has its own submit time (the review queue's order is
		// the seats' order), though the test's clock stands still.
		var times []time.Time
		if err := db.SelectContext(ctx, &times, db.Rebind("SELECT submitted_at FROM registrations WHERE plan_id = ? AND status = ? ORDER BY submitted_at"),
			p.ID, domain.StatusSubmitted); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(times); i++ {
			if !times[i].After(times[i-1]) {
				t.Errorf("winners share a submit time: %v", times)
			}
		}

		// One member's name corrected after its checks: its pin fails, the
		// group is written member by member, and every member is submitted,
		// that one with the name bound now.
		p2, code2 := e.plan(t, planSpec{Level: 5, Seats: 10})
		ms = ms[:0]
		var changedID int64
		var changed *testenv.Client
		for i := range 4 {
			number := testenv.RandomIDNumber("")
			c := testenv.SignInWithIdentity(t, e.app, "郑"+string([]rune("一二三四")[i]), domain.IDTypeResidentCard, number)
			id := e.draft(t, c, code2).ID
			ready(t, c, id, domain.BasisLevel5)
			ms = append(ms, member{c, id})
			if i == 2 {
				changedID, changed = id, c
				e.app.Core.OnSubmitChecked(func(regID int64) {
					if regID == changedID {
						e.app.Core.OnSubmitChecked(nil)
						if res := changed.Do(t, http.MethodPut, "/api/v1/me/identity", testenv.IdentityBody("郑改", domain.IDTypeResidentCard, number)); res.Status != http.StatusOK {
							t.Errorf("correct the name: %d %s", res.Status, res.Body)
						}
					}
				})
				t.Cleanup(func() { e.app.Core.OnSubmitChecked(nil) })
			}
		}
		groups = e.app.Core.SubmitGroupStats()
		answers = queueAsOneGroup(t, e, p2.ID, ms)
		if w, d := groupsSince(e, groups); w != 0 || d != 1 {
			t.Fatalf("a group with a moved pin: %d written at once, %d declined; want 0 and 1", w, d)
		}
		for i, res := range answers {
			v := regOK(t, res, http.StatusOK)
			if ms[i].id == changedID && v.Identity.Name != "郑改" {
				t.Errorf("the corrected member's answer shows %q", v.Identity.Name)
			}
			// Member by member, each answer's seat count is as of its turn:
			// the rest is what a read answers.
			read := regOK(t, ms[i].c.Get(t, regPath(ms[i].id, "")), http.StatusOK)
			if v.Status != read.Status || v.Identity != read.Identity {
				t.Errorf("member %d answered %s %+v, a read answers %s %+v", i, v.Status, v.Identity, read.Status, read.Identity)
			}
		}
		if n := e.seatsTaken(t, p2.ID); n != 4 {
			t.Fatalf("%d seats taken, want 4", n)
		}

		// One member's required attachment removed after its checks (its
		// registration's version moves): the group is written member by
		// member, and that member is refused as incomplete.
		p3, code3 := e.plan(t, planSpec{Level: 5, Seats: 10})
		ms = ms[:0]
		for range 3 {
			c := e.candidate(t)
			id := e.draft(t, c, code3).ID
			ready(t, c, id, domain.BasisLevel5)
			ms = append(ms, member{c, id})
		}
		var list struct{ Items []core.AttachmentView }
		ms[1].c.Get(t, regPath(ms[1].id, "/attachments")).JSON(t, &list)
		if len(list.Items) == 0 {
			t.Fatal("a ready draft without attachments")
		}
		e.app.Core.OnSubmitChecked(func(regID int64) {
			if regID == ms[1].id {
				e.app.Core.OnSubmitChecked(nil)
				if res := ms[1].c.Do(t, http.MethodDelete, regPath(ms[1].id, fmt.Sprintf("/attachments/%d", list.Items[0].ID)), nil); res.Status != http.StatusNoContent {
					t.Errorf("delete an attachment: %d %s", res.Status, res.Body)
				}
			}
		})
		groups = e.app.Core.SubmitGroupStats()
		answers = queueAsOneGroup(t, e, p3.ID, ms)
		if w, d := groupsSince(e, groups); w != 0 || d != 1 {
			t.Fatalf("a group with a moved registration: %d written at once, %d declined; want 0 and 1", w, d)
		}
		regOK(t, answers[0], http.StatusOK)
		wantError(t, answers[1], http.StatusBadRequest, "incomplete")
		regOK(t, answers[2], http.StatusOK)
		if n := e.seatsTaken(t, p3.ID); n != 2 {
			t.Fatalf("%d seats taken, want 2", n)
		}
	})
}

// member is a candidate with a ready draft, for queueAsOneGroup.
type member struct {
	c  *testenv.Client
	id int64
}

// groupsSince tells how many commit groups were written set-based and how
// many declined since before.
func groupsSince(e *regEnv, before core.SubmitGroupStats) (written, declined int64) {
	st := e.app.Core.SubmitGroupStats()
	return st.Written - before.Written, st.Declined - before.Declined
}

// queueAsOneGroup queues the submits of ms's ready drafts of a plan as one
// commit group (HoldSubmitGroups) and returns each submit's answer, in ms's
// order.
func queueAsOneGroup(t *testing.T, e *regEnv, planID int64, ms []member) []*testenv.Response {
	t.Helper()
	release := e.app.Core.HoldSubmitGroups()
	defer release()
	out := make([]*testenv.Response, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = submit(t, m.c, m.id)
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for e.app.Core.SubmitsQueued(planID) < len(ms) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d submits queued", e.app.Core.SubmitsQueued(planID), len(ms))
		}
		time.Sleep(time.Millisecond)
	}
	release()
	wg.Wait()
	return out
}

// Issue 19 item 1: with SKILLCERT_SUBMIT_QUEUE on (the default), the draft
// submits queued in a plan's commit queue are read by their group's
// leader together, in one read whatever their number, and
// only as many as the plan has seats left. On both engines: of five drafts
// queued on a plan with three seats, one read covers three submits, the two
// past the seats are answered plan_full without being read, and the read
// model knows the three seats taken by the time the answers come. A read that
// panics leaves each member to read its own in its transaction: every one is
// submitted, nothing is lost.
func TestQueuedSubmitsReadTogether(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, map[string]string{"SKILLCERT_SUBMIT_QUEUE": "on"}) // whatever the suite's environment says
		ms := func(code string, n int) []member {
			var out []member
			for range n {
				c, id := e.readyDraft(t, code)
				out = append(out, member{c, id})
			}
			return out
		}

		p, code := e.plan(t, planSpec{Level: 5, Seats: 3})
		before := e.app.Core.SubmitGroupStats()
		answers := queueAsOneGroup(t, e, p.ID, ms(code, 5))
		after := e.app.Core.SubmitGroupStats()
		if reads, read := after.Reads-before.Reads, after.ReadSubmits-before.ReadSubmits; reads != 1 || read != 3 {
			t.Errorf("%d submits read in %d group reads, want 3 in 1", read, reads)
		}
		if taken, total, ok := e.app.Core.Plans.Seats(p.ID); !ok || taken != 3 || total != 3 {
			t.Errorf("the read model after the answers: %d of %d seats taken (%v), want 3 of 3", taken, total, ok)
		}
		accepted := 0
		for _, res := range answers { // the first three queued win, whichever they are
			if res.Status == http.StatusOK {
				accepted++
				continue
			}
			wantError(t, res, http.StatusConflict, "plan_full")
		}
		if accepted != 3 {
			t.Errorf("%d accepted, want 3", accepted)
		}

		// The group's read panics: each member reads its own.
		p2, code2 := e.plan(t, planSpec{Level: 5, Seats: 10})
		group := ms(code2, 3)
		e.app.Core.OnSubmitChecked(func(int64) {
			e.app.Core.OnSubmitChecked(nil)
			panic("a group read that panics")
		})
		t.Cleanup(func() { e.app.Core.OnSubmitChecked(nil) })
		for i, res := range queueAsOneGroup(t, e, p2.ID, group) {
			if v := regOK(t, res, http.StatusOK); v.Status != string(domain.StatusSubmitted) {
				t.Errorf("member %d after the panic: %s", i, v.Status)
			}
		}
		if n := e.seatsTaken(t, p2.ID); n != 3 {
			t.Fatalf("%d seats taken after the panic, want 3", n)
		}
	})
}

// A plan that fills just before the server stops still tells its drafts: the
// plan-full notice, which waits a second after the fill, goes at once when
// the server shuts down, before the database closes.
func TestPlanFullNoticeSurvivesShutdown(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		_, code := e.plan(t, planSpec{Level: 5, Seats: 1})
		holder, other := e.candidate(t), e.candidate(t)
		h := e.draft(t, holder, code).ID
		o := e.draft(t, other, code).ID
		ready(t, holder, h, domain.BasisLevel5)
		regOK(t, submit(t, holder, h), http.StatusOK) // the last seat
		start := time.Now()
		e.app.Shutdown()
		if d := time.Since(start); d > 900*time.Millisecond {
			t.Errorf("shutdown waited %v for the notice's second", d)
		}
		db, err := repo.Open(context.Background(), dsn, repo.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.R.Get(&n, db.R.Rebind("SELECT COUNT(*) FROM outbox WHERE event_kind = ? AND registration_id = ?"),
			domain.EventPlanFullForDraft, o); err != nil || n != 1 {
			t.Fatalf("%d plan-full notices to the other draft after shutdown (%v), want 1", n, err)
		}
	})
}
