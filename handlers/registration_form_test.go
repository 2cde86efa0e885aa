package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// badSave is a 400 answer of a partial save: the fields at fault and the state saved.
type badSave struct {
	Error struct {
		Code   string              `json:"code"`
		Fields []domain.FieldError `json:"fields"`
	} `json:"error"`
	Registration *core.RegistrationView `json:"registration"`
}

func badFields(t *testing.T, res *testenv.Response) (map[string]string, core.RegistrationView) {
	t.Helper()
	if res.Status != http.StatusBadRequest {
		t.Fatalf("want 400, got %d %s", res.Status, res.Body)
	}
	var b badSave
	res.JSON(t, &b)
	if b.Registration == nil {
		t.Fatalf("no registration beside the error: %s", res.Body)
	}
	out := map[string]string{}
	for _, f := range b.Error.Fields {
		if !hasHan(f.Message) {
			t.Errorf("%s: message not Chinese: %q", f.Field, f.Message)
		}
		out[f.Field] = f.Code
	}
	return out, *b.Registration
}

func TestRegistrationBasisByLevel(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		c := e.candidate(t)
		noEmployer := []string{"years_in_occupation", "candidate_source", "labor_relation", "employer"}
		employee := []string{"candidate_source", "labor_relation"}
		for _, lv := range domain.Levels() {
			_, code := e.plan(t, planSpec{Level: int(lv)})
			d := e.draft(t, c, code)
			for _, basis := range []string{domain.BasisLevel5, domain.BasisEducation, domain.BasisWorkYears, domain.BasisTitleOrCert} {
				rule, _ := domain.LookupBasis(basis)
				res := put(t, c, d.ID, map[string]any{"basis": basis, "education": "31", "years_in_occupation": 7,
					"employer": "广州某某科技有限公司", "candidate_source": "public", "labor_relation": "flexible"})
				if !rule.AllowsLevel(lv) {
					bad, saved := badFields(t, res)
					if bad["basis"] != "basis_level_not_allowed" || saved.Basis == basis {
						t.Fatalf("%s at level %d: %v %+v", basis, lv, bad, saved)
					}
					continue
				}
				v := regOK(t, res, http.StatusOK)
				switch basis {
				case domain.BasisLevel5, domain.BasisEducation:
					if !slices.Equal(v.LockedFields, noEmployer) || *v.YearsInOccupation != 0 || v.CandidateSource != "other" ||
						v.LaborRelation != "other" || v.Employer != "无" || v.Education != "31" {
						t.Fatalf("%s at level %d: %+v", basis, lv, v)
					}
				default:
					if !slices.Equal(v.LockedFields, employee) || *v.YearsInOccupation != 7 || v.CandidateSource != "employee" ||
						v.LaborRelation != "employee" || v.Employer != "广州某某科技有限公司" {
						t.Fatalf("%s at level %d: %+v", basis, lv, v)
					}
				}
				// The checklist follows the basis and 文化程度 (大专: 学信网 required).
				var cl core.Checklist
				c.Get(t, regPath(d.ID, "/checklist")).JSON(t, &cl)
				want := domain.Checklist(basis, "31", false)
				if len(cl.Items) != len(want) {
					t.Fatalf("%s checklist: %+v", basis, cl)
				}
				for i, it := range want {
					got := cl.Items[i]
					if got.Key != it.Key || got.Required != it.Required || got.Satisfied || got.Name == "" || !hasHan(got.Hint) {
						t.Fatalf("%s checklist item %d: %+v want %+v", basis, i, got, it)
					}
				}
			}
		}
	})
}

func TestRegistrationFormValidation(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		_, code := e.plan(t, planSpec{Level: 3})
		c := e.candidate(t)
		d := e.draft(t, c, code)

		// A valid save first.
		v := regOK(t, put(t, c, d.ID, formFor(domain.BasisWorkYears)), http.StatusOK)
		if v.Phone != "13800138000" || v.PhoneMasked != "138****8000" || !v.CommitmentAccepted || v.CommitmentAcceptedAt == nil {
			t.Fatalf("saved: %+v", v)
		}
		acceptedAt := *v.CommitmentAcceptedAt

		// Every field wrong at once: each is listed, nothing changes.
		cases := []map[string]any{
			{"basis": "nonsense", "education": "99", "years_in_occupation": 61, "candidate_source": "x",
				"labor_relation": "y", "phone": "12345", "employer": strings.Repeat("某", 26), "commitment_accepted": "yes"},
			{"years_in_occupation": -1, "phone": "23800138000", "employer": "有\x01控制符"},
			{"years_in_occupation": "abc", "employer": map[string]any{"a": 1}},
			{"years_in_occupation": 5.5, "basis": true},
		}
		wants := []map[string]string{
			{"basis": "basis_invalid", "education": "education_invalid", "years_in_occupation": "years_invalid",
				"candidate_source": "candidate_source_invalid", "labor_relation": "labor_relation_invalid",
				"phone": "invalid_phone", "employer": "employer_invalid", "commitment_accepted": "wrong_type"},
			{"years_in_occupation": "years_invalid", "phone": "invalid_phone", "employer": "employer_invalid"},
			{"years_in_occupation": "years_invalid", "employer": "wrong_type"},
			{"years_in_occupation": "years_invalid", "basis": "wrong_type"},
		}
		for i, body := range cases {
			// candidate_source and labor_relation are fixed by work_years: clear the basis
			// for the first case so their own checks run.
			if i == 0 {
				regOK(t, put(t, c, d.ID, map[string]any{"basis": ""}), http.StatusOK)
			}
			bad, saved := badFields(t, put(t, c, d.ID, body))
			if len(bad) != len(wants[i]) {
				t.Fatalf("case %d: %v, want %v", i, bad, wants[i])
			}
			for f, code := range wants[i] {
				if bad[f] != code {
					t.Fatalf("case %d %s: %q, want %q (%v)", i, f, bad[f], code, bad)
				}
			}
			if saved.Phone != "13800138000" || saved.Employer != "广州某某科技有限公司" || *saved.YearsInOccupation != 6 || saved.Education != "21" {
				t.Fatalf("case %d changed valid data: %+v", i, saved)
			}
			if i == 0 {
				regOK(t, put(t, c, d.ID, map[string]any{"basis": domain.BasisWorkYears}), http.StatusOK)
			}
		}
		// The order of fields follows the form; the first names the error.
		res := put(t, c, d.ID, map[string]any{"employer": strings.Repeat("某", 26), "education": "99"})
		if res.ErrorField() != "education" {
			t.Fatalf("first field: %s", res.Body)
		}

		// A partial save keeps the valid fields.
		bad, saved := badFields(t, put(t, c, d.ID, map[string]any{"education": "31", "phone": "+86 139-0013-9000",
			"years_in_occupation": 99, "employer": "深圳某某有限公司"}))
		if len(bad) != 1 || bad["years_in_occupation"] != "years_invalid" {
			t.Fatalf("partial: %v", bad)
		}
		got := regOK(t, c.Get(t, regPath(d.ID, "")), http.StatusOK)
		for _, r := range []core.RegistrationView{saved, got} {
			if r.Education != "31" || r.Phone != "13900139000" || r.Employer != "深圳某某有限公司" || *r.YearsInOccupation != 6 {
				t.Fatalf("partial save kept: %+v", r)
			}
		}

		// The commitment keeps its first time; null and "" clear fields.
		v = regOK(t, put(t, c, d.ID, map[string]any{"commitment_accepted": true, "years_in_occupation": nil, "employer": ""}), http.StatusOK)
		if !v.CommitmentAcceptedAt.Equal(acceptedAt) || v.YearsInOccupation != nil || v.Employer != "" {
			t.Fatalf("commitment/clear: %+v", v)
		}
		v = regOK(t, put(t, c, d.ID, map[string]any{"commitment_accepted": false, "years_in_occupation": "12"}), http.StatusOK)
		if v.CommitmentAccepted || v.CommitmentAcceptedAt != nil || *v.YearsInOccupation != 12 {
			t.Fatalf("commitment withdrawn: %+v", v)
		}

		// The basis decides its fields whatever is sent, and frees them again.
		v = regOK(t, put(t, c, d.ID, map[string]any{"basis": domain.BasisEducation, "years_in_occupation": 9,
			"employer": "某公司", "candidate_source": "student"}), http.StatusOK)
		if *v.YearsInOccupation != 0 || v.Employer != "无" || v.CandidateSource != "other" || v.LaborRelation != "other" {
			t.Fatalf("fixed by 以学历报考: %+v", v)
		}
		v = regOK(t, put(t, c, d.ID, map[string]any{"basis": domain.BasisWorkYears}), http.StatusOK)
		if v.YearsInOccupation != nil || v.Employer != "" || v.CandidateSource != "employee" || v.LaborRelation != "employee" {
			t.Fatalf("freed by 以工作年限报考: %+v", v)
		}

		// Not the candidate's registration: 404, for every route.
		other := e.candidate(t)
		for _, r := range []struct{ method, path string }{
			{http.MethodGet, ""}, {http.MethodPut, ""}, {http.MethodGet, "/checklist"}, {http.MethodPost, "/submit"},
			{http.MethodPost, "/cancel"}, {http.MethodGet, "/attachments"},
		} {
			var body any
			if r.method == http.MethodPut {
				body = map[string]any{"education": "21"}
			}
			wantError(t, other.Do(t, r.method, regPath(d.ID, r.path), body), http.StatusNotFound, "registration_not_found")
		}
		wantError(t, other.Get(t, regPath(999999, "")), http.StatusNotFound, "registration_not_found")
		if res := c.Get(t, "/api/v1/registrations/abc"); res.Status != http.StatusBadRequest {
			t.Fatalf("bad id: %d", res.Status)
		}
	})
}

func TestRegistrationEmployerCheck(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		number := testenv.RandomIDNumber("")
		c := testenv.SignInWithIdentity(t, e.app, "孙九", domain.IDTypeResidentCard, number)
		csv := "证件号码,工作单位,起始日期\n" +
			number + ",旧单位有限公司,2015-01-01\n" +
			strings.ToLower(number) + ",广州ABC科技有限责任公司,2020/07/01\n"
		if _, err := e.app.Core.ImportEmployment(context.Background(), strings.NewReader(csv), false); err != nil {
			t.Fatal(err)
		}
		_, code := e.plan(t, planSpec{Level: 4})
		_, code5 := e.plan(t, planSpec{Level: 5})
		drafts := map[int]int64{4: e.draft(t, c, code).ID, 5: e.draft(t, c, code5).ID}
		warning := e.app.Core.Options().EmployerWarning

		selfProof := func(id int64) (listed, required bool) {
			var cl core.Checklist
			c.Get(t, regPath(id, "/checklist")).JSON(t, &cl)
			for _, it := range cl.Items {
				if it.Key == domain.AttachSelfProof {
					return true, it.Required
				}
			}
			return false, false
		}
		for _, tc := range []struct {
			level           int
			basis, employer string
			warn            bool
		}{
			{4, domain.BasisWorkYears, " 广州abc科技 有限公司 ", false}, // spaces, case, 有限责任公司
			{4, domain.BasisWorkYears, "广州ABC科技（有限公司）", false},  // brackets
			{4, domain.BasisWorkYears, "广州ＡＢＣ科技有限公司", false},    // full-width letters
			{4, domain.BasisWorkYears, "深圳另一家科技有限公司", true},     // different
			{4, domain.BasisTitleOrCert, "深圳另一家科技有限公司", true},   // different
			{4, domain.BasisWorkYears, "旧单位有限公司", true},         // only the latest record counts
			{4, domain.BasisEducation, "深圳另一家科技有限公司", false},    // no employer involved
			{5, domain.BasisWorkYears, "深圳另一家科技有限公司", true},     // different
			{5, domain.BasisLevel5, "深圳另一家科技有限公司", false},       // no employer involved
		} {
			id := drafts[tc.level]
			v := regOK(t, put(t, c, id, map[string]any{"basis": tc.basis, "employer": tc.employer}), http.StatusOK)
			got := len(v.Warnings) == 1 && v.Warnings[0].Code == "employer_mismatch" && v.Warnings[0].Message == warning
			if got != tc.warn || (!tc.warn && len(v.Warnings) != 0) {
				t.Fatalf("%s %q: warnings %+v", tc.basis, tc.employer, v.Warnings)
			}
			if listed, required := selfProof(id); listed != tc.warn || required {
				t.Fatalf("%s %q: self proof listed=%v required=%v", tc.basis, tc.employer, listed, required)
			}
			// The warning stays on the registration until the next save.
			if g := regOK(t, c.Get(t, regPath(id, "")), http.StatusOK); len(g.Warnings) != len(v.Warnings) {
				t.Fatalf("GET warnings: %+v", g.Warnings)
			}
		}
		// No record in the register: no warning.
		c2 := e.candidate(t)
		d2 := e.draft(t, c2, code)
		if v := regOK(t, put(t, c2, d2.ID, map[string]any{"basis": domain.BasisWorkYears, "employer": "任意公司"}), http.StatusOK); len(v.Warnings) != 0 {
			t.Fatalf("no record: %+v", v.Warnings)
		}
		// The register holds only blind indexes.
		var n int
		if err := e.app.DB.R.Get(&n, "SELECT COUNT(*) FROM employment_register WHERE id_number_idx = ?", e.app.Core.IDNumberIndex(number)); err != nil || n != 2 {
			t.Fatalf("register rows %d %v", n, err)
		}
		if s := dumpTables(t, e.app.DB); strings.Contains(s, number) {
			t.Fatal("an ID number is stored in plain text")
		}
	})
}
