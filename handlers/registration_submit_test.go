package handlers_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// incomplete is the answer of a submit that lacks something.
type incomplete struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Missing core.Missing `json:"missing"`
}

// outboxCount counts the outbox events of a kind for a registration.
func (e *regEnv) outboxCount(t *testing.T, kind string, regID int64) int {
	t.Helper()
	var n int
	if err := e.app.DB.R.Get(&n, "SELECT COUNT(*) FROM outbox WHERE event_kind = ? AND registration_id = ?", kind, regID); err != nil {
		t.Fatal(err)
	}
	return n
}

// readyDraft is a candidate with a complete draft on a code's plan.
func (e *regEnv) readyDraft(t *testing.T, code string) (*testenv.Client, int64) {
	t.Helper()
	c := e.candidate(t)
	d := e.draft(t, c, code)
	ready(t, c, d.ID, domain.BasisWorkYears)
	return c, d.ID
}

func TestRegistrationSubmit(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		plan, code := e.plan(t, planSpec{})
		c := e.candidate(t)
		d := e.draft(t, c, code)

		// Nothing filled in: every field and the required item are missing.
		var inc incomplete
		res := submit(t, c, d.ID)
		wantError(t, res, http.StatusBadRequest, "incomplete")
		res.JSON(t, &inc)
		if !slices.Equal(inc.Missing.Fields, []string{"basis", "education", "years_in_occupation", "candidate_source",
			"labor_relation", "phone", "employer", "commitment_accepted"}) || !slices.Equal(inc.Missing.Items, []string{"diploma"}) {
			t.Fatalf("missing: %s", res.Body)
		}
		// The form complete, the attachments not: only the items (大学本科: 学信网 too).
		regOK(t, put(t, c, d.ID, formFor(domain.BasisTitleOrCert)), http.StatusOK)
		res = submit(t, c, d.ID)
		res.JSON(t, &inc)
		if len(inc.Missing.Fields) != 0 || !slices.Equal(inc.Missing.Items, []string{"diploma", "chsi_record", "title_cert"}) {
			t.Fatalf("missing items: %s", res.Body)
		}
		// Without the commitment.
		ready(t, c, d.ID, domain.BasisTitleOrCert)
		regOK(t, put(t, c, d.ID, map[string]any{"commitment_accepted": false}), http.StatusOK)
		res = submit(t, c, d.ID)
		res.JSON(t, &inc)
		if !slices.Equal(inc.Missing.Fields, []string{"commitment_accepted"}) || len(inc.Missing.Items) != 0 {
			t.Fatalf("missing commitment: %s", res.Body)
		}
		regOK(t, put(t, c, d.ID, map[string]any{"commitment_accepted": true}), http.StatusOK)

		// Submitted: a seat is taken, the status moves, an event is queued.
		v := regOK(t, submit(t, c, d.ID), http.StatusOK)
		if v.Status != "submitted" || v.StatusName != "已提交（待审核）" || v.Editable || v.SubmittedAt == nil || v.Plan.SeatsLeft != 59 {
			t.Fatalf("submitted: %+v", v)
		}
		if e.seatsTaken(t, plan.ID) != 1 || e.outboxCount(t, domain.EventRegistrationSubmitted, d.ID) != 1 {
			t.Fatal("seat or event missing")
		}
		var pv core.PlanView
		e.app.Client().Get(t, fmt.Sprintf("/api/v1/plans/%d", plan.ID)).JSON(t, &pv)
		if pv.SeatsLeft != 59 {
			t.Fatalf("plan read model: %d seats left", pv.SeatsLeft)
		}
		// Again: the same answer, no second seat, no second event.
		again := regOK(t, submit(t, c, d.ID), http.StatusOK)
		if again.Status != "submitted" || !again.SubmittedAt.Equal(*v.SubmittedAt) || e.seatsTaken(t, plan.ID) != 1 ||
			e.outboxCount(t, domain.EventRegistrationSubmitted, d.ID) != 1 {
			t.Fatalf("second submit: %+v", again)
		}
		// No longer editable.
		wantError(t, put(t, c, d.ID, map[string]any{"education": "31"}), http.StatusConflict, "not_editable")

		// Records: newest first.
		_, code2 := e.plan(t, planSpec{Level: 5})
		d2 := e.draft(t, c, code2)
		var page core.Page[core.RegistrationView]
		c.Get(t, "/api/v1/registrations").JSON(t, &page)
		if page.Total != 2 || len(page.Items) != 2 || page.Items[0].ID != d2.ID || page.Items[1].StatusName != "已提交（待审核）" ||
			page.Items[1].Plan.PlanNo != plan.PlanNo || page.Page != 1 || page.PageSize != 20 {
			t.Fatalf("records: %+v", page)
		}
		c.Get(t, "/api/v1/registrations?page=2&page_size=1").JSON(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID != d.ID {
			t.Fatalf("records page 2: %+v", page)
		}
		wantError(t, c.Get(t, "/api/v1/registrations?page_size=500"), http.StatusBadRequest, "invalid")
		var empty core.Page[core.RegistrationView]
		e.candidate(t).Get(t, "/api/v1/registrations").JSON(t, &empty)
		if empty.Total != 0 || empty.Items == nil {
			t.Fatalf("no records: %+v", empty)
		}
	})
}

func TestRegistrationSubmitWindow(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		// Sessions last a week: the window is within days of regNow (2026-03-10 10:00).
		plan, code := e.plan(t, planSpec{Start: "2026-03-11", Deadline: "2026-03-12"})
		a, ida := e.readyDraft(t, code)
		b, idb := e.readyDraft(t, code)
		late, idl := e.readyDraft(t, code)

		// Before the window opens.
		wantError(t, submit(t, a, ida), http.StatusConflict, "not_open")
		e.app.Clock.Set(time.Date(2026, 3, 10, 23, 59, 59, 0, domain.Beijing))
		wantError(t, submit(t, a, ida), http.StatusConflict, "not_open")
		e.app.Clock.Set(time.Date(2026, 3, 11, 0, 0, 0, 0, domain.Beijing))
		regOK(t, submit(t, a, ida), http.StatusOK)

		// The last second of the deadline day, Beijing time, and the first after it.
		e.app.Clock.Set(time.Date(2026, 3, 12, 23, 59, 59, 0, domain.Beijing))
		regOK(t, submit(t, b, idb), http.StatusOK)
		e.app.Clock.Set(time.Date(2026, 3, 13, 0, 0, 0, 0, domain.Beijing))
		wantError(t, submit(t, late, idl), http.StatusConflict, "deadline_passed")
		if e.seatsTaken(t, plan.ID) != 2 {
			t.Fatalf("seats %d", e.seatsTaken(t, plan.ID))
		}

		// A plan closed or withdrawn by its institution.
		e.app.Clock.Set(regNow)
		closed, closedCode := e.plan(t, planSpec{})
		cc, idc := e.readyDraft(t, closedCode)
		if _, err := e.app.DB.W.Exec("UPDATE plans SET state = 'closed' WHERE id = ?", closed.ID); err != nil {
			t.Fatal(err)
		}
		wantError(t, submit(t, cc, idc), http.StatusConflict, "deadline_passed")
		if _, err := e.app.DB.W.Exec("UPDATE plans SET state = 'cancelled' WHERE id = ?", closed.ID); err != nil {
			t.Fatal(err)
		}
		wantError(t, submit(t, cc, idc), http.StatusConflict, "not_open")

		// A full plan.
		full, fullCode := e.plan(t, planSpec{Seats: 2})
		for i := 0; i < 2; i++ {
			c, id := e.readyDraft(t, fullCode)
			regOK(t, submit(t, c, id), http.StatusOK)
		}
		c3, id3 := e.readyDraft(t, fullCode)
		wantError(t, submit(t, c3, id3), http.StatusConflict, "plan_full")
		if e.seatsTaken(t, full.ID) != 2 {
			t.Fatal("seats exceeded")
		}
	})
}

func TestRegistrationCancelAndResubmit(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		plan, code := e.plan(t, planSpec{Deadline: "2026-03-12"})
		a, ida := e.readyDraft(t, code)
		regOK(t, submit(t, a, ida), http.StatusOK)

		// Cancel before the deadline frees the seat.
		v := regOK(t, a.Do(t, http.MethodPost, regPath(ida, "/cancel"), nil), http.StatusOK)
		if v.Status != "cancelled" || v.StatusName != "已撤销" || v.Editable || e.seatsTaken(t, plan.ID) != 0 ||
			e.outboxCount(t, domain.EventRegistrationCancelled, ida) != 1 {
			t.Fatalf("cancelled: %+v", v)
		}
		// Again: unchanged. Submitting a cancelled registration: refused.
		regOK(t, a.Do(t, http.MethodPost, regPath(ida, "/cancel"), nil), http.StatusOK)
		wantError(t, submit(t, a, ida), http.StatusConflict, "status_conflict")
		if e.seatsTaken(t, plan.ID) != 0 || e.outboxCount(t, domain.EventRegistrationCancelled, ida) != 1 {
			t.Fatal("second cancel changed something")
		}
		// A draft can be withdrawn any time.
		x := e.candidate(t)
		dx := e.draft(t, x, code)
		regOK(t, x.Do(t, http.MethodPost, regPath(dx.ID, "/cancel"), nil), http.StatusOK)

		// Returned (退回修改, as the console does it): editable, resubmitted with its seat.
		b, idb := e.readyDraft(t, code)
		regOK(t, submit(t, b, idb), http.StatusOK)
		if _, err := e.app.DB.W.Exec(`UPDATE registrations SET status = 'returned', review_note = '所在单位与社保证明不一致',
			return_fields = 'employer', reviewed_at = ? WHERE id = ?`, regNow.UTC(), idb); err != nil {
			t.Fatal(err)
		}
		r := regOK(t, b.Get(t, regPath(idb, "")), http.StatusOK)
		if r.StatusName != "退回修改" || !r.Editable || r.ReviewNote != "所在单位与社保证明不一致" ||
			!slices.Equal(r.ReturnFields, []string{"employer"}) || r.ReviewedAt == nil {
			t.Fatalf("returned: %+v", r)
		}
		regOK(t, put(t, b, idb, map[string]any{"employer": "广州另一家科技有限公司"}), http.StatusOK)
		// Even after the deadline: the seat is held and the reviewer asked for it.
		e.app.Clock.Set(time.Date(2026, 3, 13, 9, 0, 0, 0, domain.Beijing))
		r = regOK(t, submit(t, b, idb), http.StatusOK)
		if r.Status != "submitted" || r.Employer != "广州另一家科技有限公司" || e.seatsTaken(t, plan.ID) != 1 ||
			e.outboxCount(t, domain.EventRegistrationSubmitted, idb) != 2 {
			t.Fatalf("resubmitted: %+v, seats %d", r, e.seatsTaken(t, plan.ID))
		}
		// After the deadline a seat-holding registration cannot be withdrawn.
		wantError(t, b.Do(t, http.MethodPost, regPath(idb, "/cancel"), nil), http.StatusConflict, "deadline_passed")
		if e.seatsTaken(t, plan.ID) != 1 {
			t.Fatal("seat freed after the deadline")
		}
		// Approved: not the candidate's to withdraw.
		e.app.Clock.Set(regNow)
		if _, err := e.app.DB.W.Exec("UPDATE registrations SET status = 'approved' WHERE id = ?", idb); err != nil {
			t.Fatal(err)
		}
		wantError(t, b.Do(t, http.MethodPost, regPath(idb, "/cancel"), nil), http.StatusConflict, "status_conflict")
		// Someone else's: 404.
		wantError(t, a.Do(t, http.MethodPost, regPath(idb, "/cancel"), nil), http.StatusNotFound, "registration_not_found")
	})
}
