package handlers_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// fullWidth turns ASCII letters and digits into their full-width forms, as a
// Chinese input method types them.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			r += 0xFF01 - '!'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestCodesAsPeopleTypeThem: full-width, lower-case, spaced and dashed codes find
// their plan through the API and count as no failed guess.
func TestCodesAsPeopleTypeThem(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, map[string]string{"SKILLCERT_CODE_GUESS_LIMIT": "2"})
		plan, code := e.plan(t, planSpec{})
		c := e.candidate(t)
		typed := []string{fullWidth(code), strings.ToLower(fullWidth(code)), code[:4] + "-" + code[4:],
			" " + code[:4] + "\u3000" + code[4:] + " ", fullWidth(code[:4]) + "－" + fullWidth(code[4:]), code[:4] + "—" + code[4:]}
		for _, in := range typed {
			res := lookup(t, c, in, "")
			var l core.CodeLookup
			if res.Status != http.StatusOK {
				t.Fatalf("lookup %q: %d %s", in, res.Status, res.Body)
			}
			res.JSON(t, &l)
			if l.Plan.ID != plan.ID {
				t.Fatalf("lookup %q: plan %d", in, l.Plan.ID)
			}
		}
		// None counted: the limit of 2 failures is untouched, a real failure still counts.
		wantError(t, lookup(t, c, "ZZZZ2222", ""), http.StatusNotFound, "code_not_found")
		if res := lookup(t, c, fullWidth(code), ""); res.Status != http.StatusOK {
			t.Fatalf("after one failure: %d %s", res.Status, res.Body)
		}
		d := regOK(t, c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": fullWidth(code)}), http.StatusCreated)
		if d.Plan.ID != plan.ID {
			t.Fatalf("draft on plan %d", d.Plan.ID)
		}
	})
}

// TestIdentityOtherDocuments: for documents whose number carries no 性别 and
// 出生日期 both are asked for and validated; for the others the number decides.
// At submit one age rule applies to every type: 16 on the evaluation date.
func TestIdentityOtherDocuments(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		c := testenv.SignIn(t, e.app)
		body := func(idType, number, gender, birth string) map[string]any {
			return map[string]any{"name": "陈大文", "id_type": idType, "id_number": number, "gender": gender,
				"birth_date": birth, "privacy_consent": true, "consent_version": "test-1"}
		}
		bind := func(b map[string]any) *testenv.Response {
			return c.Do(t, http.MethodPut, "/api/v1/me/identity", b)
		}
		passport := testenv.RandomIDNumber(domain.IDTypePassport)
		// Missing both: two field errors at once, in Chinese.
		res := bind(body(domain.IDTypePassport, passport, "", ""))
		if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), `"gender"`) ||
			!strings.Contains(string(res.Body), `"birth_date"`) || !strings.Contains(string(res.Body), "请选择性别") {
			t.Fatalf("missing: %d %s", res.Status, res.Body)
		}
		wantFieldCode(t, bind(body(domain.IDTypePassport, passport, "未知", "1990-05-01")), http.StatusBadRequest, "gender_invalid", "gender")
		wantFieldCode(t, bind(body(domain.IDTypeHKMacaoPermit, "H12345678", "男", "1990-02-30")), http.StatusBadRequest, "birth_date_invalid", "birth_date")
		wantFieldCode(t, bind(body(domain.IDTypeTaiwanPermit, "12345678", "女", "2026-03-11")), http.StatusBadRequest, "birth_date_future", "birth_date")
		wantFieldCode(t, bind(body(domain.IDTypeTaiwanPermit, "12345678", "女", "1990/05/01")), http.StatusBadRequest, "birth_date_invalid", "birth_date")
		// A type whose number carries them: what is typed is ignored (locked).
		rp := testenv.CompleteIDNumber("81000020010203002")
		var me core.Me
		res = bind(body(domain.IDTypeHMTResidencePermit, rp, "男", "1970-01-01"))
		if res.Status != http.StatusOK {
			t.Fatalf("residence permit: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &me)
		if me.Gender != "女" || me.BirthDate != "2001-02-03" {
			t.Fatalf("derived: %+v", me)
		}
		// Meta says which types derive them.
		var meta struct {
			Derived []string `json:"id_types_deriving_identity"`
			MinAge  int      `json:"min_age"`
		}
		c.Get(t, "/api/v1/meta").JSON(t, &meta)
		if !slices.Equal(meta.Derived, []string{"01", "02", "05"}) || meta.MinAge != 16 {
			t.Fatalf("meta: %+v", meta)
		}

		// The age rule at submit: the plan evaluates on 2026-03-28.
		_, code := e.plan(t, planSpec{})
		for _, tc := range []struct {
			birth string
			ok    bool
		}{{"2010-03-29", false}, {"2010-03-28", true}} {
			k := testenv.SignIn(t, e.app)
			if res := k.Do(t, http.MethodPut, "/api/v1/me/identity",
				body(domain.IDTypePassport, testenv.RandomIDNumber(domain.IDTypePassport), "男", tc.birth)); res.Status != http.StatusOK {
				t.Fatalf("bind: %d %s", res.Status, res.Body)
			}
			d := e.draft(t, k, code)
			ready(t, k, d.ID, domain.BasisWorkYears)
			res := submit(t, k, d.ID)
			if tc.ok {
				regOK(t, res, http.StatusOK)
				continue
			}
			wantError(t, res, http.StatusConflict, "under_age")
			if !strings.Contains(string(res.Body), "年满16周岁") || res.ErrorField() != "birth_date" {
				t.Fatalf("under age: %s", res.Body)
			}
		}
		// An identity bound before the fields existed: submit asks to complete it,
		// and completing it is allowed even once locked.
		k := testenv.SignIn(t, e.app)
		number := testenv.RandomIDNumber(domain.IDTypeTaiwanPermit)
		if res := k.Do(t, http.MethodPut, "/api/v1/me/identity", body(domain.IDTypeTaiwanPermit, number, "女", "1985-01-01")); res.Status != http.StatusOK {
			t.Fatal(res.Status)
		}
		if _, err := e.app.DB.W.Exec("UPDATE candidates SET gender = '', birth_date = '' WHERE id = ?", getMe(t, k).ID); err != nil {
			t.Fatal(err)
		}
		d := e.draft(t, k, code)
		ready(t, k, d.ID, domain.BasisWorkYears)
		wantError(t, submit(t, k, d.ID), http.StatusConflict, "identity_incomplete")
		if res := k.Do(t, http.MethodPut, "/api/v1/me/identity", body(domain.IDTypeTaiwanPermit, number, "女", "1985-01-01")); res.Status != http.StatusOK {
			t.Fatalf("complete: %d %s", res.Status, res.Body)
		}
		regOK(t, submit(t, k, d.ID), http.StatusOK)
	})
}

// TestFormTellsTheTruth: required marks per basis from the submit's rule, a
// return limits changes to what the reviewer named, an empty draft is 未提交.
func TestFormTellsTheTruth(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		plan, code := e.plan(t, planSpec{Level: 5})
		c := e.candidate(t)
		var meta struct {
			Required map[string][]string `json:"required_fields"`
		}
		c.Get(t, "/api/v1/meta").JSON(t, &meta)
		if !slices.Contains(meta.Required[""], "phone") || !slices.Contains(meta.Required[""], "years_in_occupation") ||
			slices.Contains(meta.Required[domain.BasisLevel5], "years_in_occupation") ||
			!slices.Contains(meta.Required[domain.BasisLevel5], "phone") {
			t.Fatalf("meta required: %+v", meta.Required)
		}
		d := e.draft(t, c, code)
		if d.StatusName != "未提交" || !slices.Equal(d.RequiredFields, meta.Required[""]) || d.EditableItems != nil {
			t.Fatalf("new draft: %+v", d)
		}
		// The submit refuses exactly what is marked (phone included).
		form := formFor(domain.BasisLevel5)
		form["education"] = "41"
		delete(form, "phone")
		v := regOK(t, put(t, c, d.ID, form), http.StatusOK)
		if v.StatusName != "已保存" || !slices.Equal(v.RequiredFields, meta.Required[domain.BasisLevel5]) {
			t.Fatalf("saved: %+v", v)
		}
		attachmentOK(t, upload(t, c, d.ID, "diploma", "毕业证.pdf", samplePDF))
		res := submit(t, c, d.ID)
		wantFieldError(t, res, http.StatusBadRequest, "incomplete", "phone")
		regOK(t, put(t, c, d.ID, map[string]any{"phone": "13800138000"}), http.StatusOK)
		regOK(t, submit(t, c, d.ID), http.StatusOK)

		// Returned, naming 文化程度 and the diploma: only those may change.
		if _, err := e.app.DB.W.Exec("UPDATE registrations SET status = 'returned', return_fields = 'education,diploma', review_note = '学历证书不清晰' WHERE id = ?", d.ID); err != nil {
			t.Fatal(err)
		}
		v = regOK(t, c.Get(t, regPath(d.ID, "")), http.StatusOK)
		if !slices.Contains(v.LockedFields, "phone") || slices.Contains(v.LockedFields, "education") ||
			!slices.Equal(v.EditableItems, []string{"diploma"}) || !strings.Contains(v.LockNote, "文化程度") {
			t.Fatalf("returned view: %+v", v)
		}
		res = put(t, c, d.ID, map[string]any{"education": "31", "phone": "13900139000", "employer": "广州某某科技有限公司"})
		wantFieldCode(t, res, http.StatusBadRequest, "field_locked", "phone")
		v = regOK(t, c.Get(t, regPath(d.ID, "")), http.StatusOK)
		if v.Education != "31" || v.Phone != "13800138000" {
			t.Fatalf("partial save on a return: %+v", v)
		}
		// The whole form sent back unchanged but for the named field is fine.
		regOK(t, put(t, c, d.ID, map[string]any{"education": "41", "phone": "13800138000"}), http.StatusOK)
		// Attachments: the named item only.
		var list struct{ Items []core.AttachmentView }
		c.Get(t, regPath(d.ID, "/attachments")).JSON(t, &list)
		attachmentOK(t, upload(t, c, d.ID, "diploma", "毕业证2.pdf", append(samplePDF, 'x')))
		wantError(t, upload(t, c, d.ID, "self_proof", "说明.pdf", samplePDF), http.StatusConflict, "item_locked")
		if res := c.Do(t, http.MethodDelete, regPath(d.ID, fmt.Sprintf("/attachments/%d", list.Items[0].ID)), nil); res.Status != http.StatusNoContent {
			t.Fatalf("delete a named item's file: %d %s", res.Status, res.Body)
		}
		regOK(t, submit(t, c, d.ID), http.StatusOK)
		if e.seatsTaken(t, plan.ID) != 1 {
			t.Fatal("seat count")
		}
	})
}

// wantFieldCode wants an error answer listing a field with a code.
func wantFieldCode(t testing.TB, res *testenv.Response, status int, code, field string) {
	t.Helper()
	var e struct {
		Error struct {
			Fields []struct{ Field, Code, Message string }
		}
	}
	if res.Status == status {
		res.JSON(t, &e)
		for _, f := range e.Error.Fields {
			if f.Field == field && f.Code == code && f.Message != "" {
				return
			}
		}
	}
	t.Fatalf("want %d with %s at %q, got %d %s", status, code, field, res.Status, res.Body)
}
