package handlers_test

import (
	"database/sql"
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

func lookup(t testing.TB, c *testenv.Client, code string, ip string) *testenv.Response {
	t.Helper()
	req := jsonRequest(t, c, http.MethodPost, "/api/v1/registration-codes/lookup", map[string]string{"code": code})
	if ip != "" {
		req.Header.Set("X-Forwarded-For", ip)
	}
	return c.Send(t, req)
}

func TestRegistrationCodeLookup(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		plan, code := e.plan(t, planSpec{Seats: 60, Taken: 5})
		c := e.candidate(t)

		// Typed in lower case with spaces around: the confirmation of step 4.
		res := lookup(t, c, "  "+strings.ToLower(code)+" ", "")
		if res.Status != http.StatusOK {
			t.Fatalf("lookup: %d %s", res.Status, res.Body)
		}
		var got core.CodeLookup
		res.JSON(t, &got)
		p := got.Plan
		if p.PlanNo != plan.PlanNo || p.InstitutionName != "广东岭南现代技师学院" || p.OccupationName != "人工智能训练师" ||
			p.WorkType != "无" || p.LevelName != "二级/技师" || p.SeatsTotal != 60 || p.EvalStart != "2026-03-28" ||
			p.EvalEnd != "2026-03-28" || p.RegDeadline != "2026-03-20" || p.ContactName != "林老师" ||
			p.ContactPhone != "020-87000000" || p.SupervisionRegion != "广东省（省本级）" {
			t.Fatalf("confirmation fields: %s", res.Body)
		}
		if got.SeatsLeft != 55 || !got.Open || got.Registration != nil || !strings.Contains(string(res.Body), `"registration":null`) {
			t.Fatalf("seats/open/registration: %s", res.Body)
		}

		// Once a draft exists the lookup shows it.
		d := e.draft(t, c, code)
		res = lookup(t, c, code, "")
		res.JSON(t, &got)
		if got.Registration == nil || got.Registration.ID != d.ID || got.Registration.Status != "draft" {
			t.Fatalf("existing registration: %s", res.Body)
		}

		// Wrong lengths are 400 at the field.
		for in, want := range map[string]string{"": "code_required", "  ": "code_required", "ABC": "code_length", code + "X": "code_length"} {
			res := lookup(t, c, in, "")
			wantError(t, res, http.StatusBadRequest, want)
			if res.ErrorField() != "code" {
				t.Errorf("%q: field %q", in, res.ErrorField())
			}
		}

		// Unknown, revoked, expired codes and codes of unpublished plans: 404.
		revoked := e.code(t, plan.ID, sql.NullTime{})
		if _, err := e.app.DB.W.Exec("UPDATE registration_codes SET state = 'revoked' WHERE code = ?", revoked); err != nil {
			t.Fatal(err)
		}
		expired := e.code(t, plan.ID, sql.NullTime{Time: regNow.Add(-time.Minute).UTC(), Valid: true})
		_, draftCode := e.plan(t, planSpec{State: repo.PlanDraft})
		for _, bad := range []string{"ZZZZZZZZ", "0OOOOOO0", revoked, expired, draftCode} {
			res := lookup(t, c, bad, "")
			wantError(t, res, http.StatusNotFound, "code_not_found")
			if !strings.Contains(string(res.Body), "报名码不存在或已失效") {
				t.Errorf("message: %s", res.Body)
			}
		}
		// A code expiring later still works.
		later := e.code(t, plan.ID, sql.NullTime{Time: regNow.Add(time.Hour).UTC(), Valid: true})
		if res := lookup(t, c, later, ""); res.Status != http.StatusOK {
			t.Fatalf("unexpired code: %d %s", res.Status, res.Body)
		}

		// Without a session: 401.
		if res := lookup(t, e.app.Client(), code, ""); res.Status != http.StatusUnauthorized {
			t.Fatalf("no session: %d", res.Status)
		}
	})
}

func TestRegistrationCodeGuessLimit(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, map[string]string{"SKILLCERT_CODE_GUESS_LIMIT": "3",
			"SKILLCERT_CODE_GUESS_IP_LIMIT": "5", "SKILLCERT_TRUSTED_PROXIES": "127.0.0.1"})
		_, code := e.plan(t, planSpec{})
		a, b := e.candidate(t), e.candidate(t)

		// Successes do not count.
		for i := 0; i < 5; i++ {
			if res := lookup(t, a, code, "10.0.0.1"); res.Status != http.StatusOK {
				t.Fatalf("lookup %d: %d %s", i, res.Status, res.Body)
			}
		}
		// Three failures of a from 10.0.0.1 ...
		for i := 0; i < 3; i++ {
			wantError(t, lookup(t, a, "ZZZZZZZZ", "10.0.0.1"), http.StatusNotFound, "code_not_found")
		}
		// ... block a everywhere, even with the right code, with the wait time.
		res := lookup(t, a, code, "10.0.0.2")
		wantError(t, res, http.StatusTooManyRequests, "code_guess_limited")
		m := res.Map(t)
		secs, _ := m["retry_after_seconds"].(float64)
		if secs <= 0 || secs > 600 || res.Header.Get("Retry-After") == "" {
			t.Fatalf("wait time: %s %v", res.Body, res.Header)
		}
		// Draft creation is behind the same limit.
		wantError(t, a.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code}),
			http.StatusTooManyRequests, "code_guess_limited")
		// The IP's own, more generous limit: two failures of b from 10.0.0.1 fill
		// it (refused lookups counted nowhere), and it blocks 10.0.0.1 for every
		// candidate; b elsewhere is fine.
		for i := 0; i < 2; i++ {
			wantError(t, lookup(t, b, "ZZZZZZZZ", "10.0.0.1"), http.StatusNotFound, "code_not_found")
		}
		wantError(t, lookup(t, b, code, "10.0.0.1"), http.StatusTooManyRequests, "code_guess_limited")
		if res := lookup(t, b, code, "10.0.0.3"); res.Status != http.StatusOK {
			t.Fatalf("b from another address: %d %s", res.Status, res.Body)
		}
		// Wrong lengths are not guesses: they never reach the limit.
		wantError(t, lookup(t, b, "AB", "10.0.0.3"), http.StatusBadRequest, "code_length")

		// The window passes.
		e.app.Clock.Set(regNow.Add(core.CodeGuessWindow + time.Second))
		if res := lookup(t, a, code, "10.0.0.1"); res.Status != http.StatusOK {
			t.Fatalf("after the window: %d %s", res.Status, res.Body)
		}
	})
}

func TestRegistrationDraft(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		plan, code := e.plan(t, planSpec{})
		number := testenv.RandomIDNumber("")
		c := testenv.SignInWithIdentity(t, e.app, "李四", domain.IDTypeResidentCard, number)

		d := e.draft(t, c, code)
		if d.Status != "draft" || d.StatusName != "未提交" || !d.Editable || d.Plan.ID != plan.ID ||
			d.Identity.Name != "李四" || d.Identity.IDTypeName != "居民身份证" || d.Identity.IDNumberMasked != domain.MaskIDNumber(number) ||
			d.Identity.Gender == "" || d.Identity.BirthDate == "" || len(d.LockedFields) != 0 || len(d.Warnings) != 0 {
			t.Fatalf("draft: %+v", d)
		}
		// Idempotent: the same registration, 200.
		again := regOK(t, c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": strings.ToLower(code)}), http.StatusOK)
		if again.ID != d.ID {
			t.Fatalf("second draft %d, want %d", again.ID, d.ID)
		}
		var uses int
		if err := e.app.DB.R.Get(&uses, "SELECT use_count FROM registration_codes WHERE code = ?", code); err != nil || uses != 1 {
			t.Fatalf("use count %d %v", uses, err)
		}

		// No identity yet: told to bind it.
		bare := testenv.SignIn(t, e.app)
		wantError(t, bare.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code}),
			http.StatusConflict, "identity_required")

		// Past the deadline: no new drafts (the lookup still confirms, closed).
		_, closed := e.plan(t, planSpec{Start: "2026-02-01", Deadline: "2026-03-09"})
		var lk core.CodeLookup
		lookup(t, c, closed, "").JSON(t, &lk)
		if lk.Open || lk.Plan.Status != core.PlanStatusClosed {
			t.Fatalf("closed plan lookup: %+v", lk)
		}
		wantError(t, c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": closed}),
			http.StatusConflict, "deadline_passed")
		// Not yet open: a draft may be prepared.
		_, upcoming := e.plan(t, planSpec{Start: "2026-03-15", Deadline: "2026-03-30"})
		e.draft(t, c, upcoming)

		// One ID number, one registration per plan: c moves to another number,
		// another account binds c's old one and tries the same plan.
		if res := putIdentity(t, c, "李四", domain.IDTypeResidentCard, testenv.RandomIDNumber("")); res.Status != http.StatusOK {
			t.Fatalf("rebind: %d %s", res.Status, res.Body)
		}
		other := testenv.SignInWithIdentity(t, e.app, "李四", domain.IDTypeResidentCard, number)
		wantError(t, other.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code}),
			http.StatusConflict, "id_number_registered")
	})
}
