package domain

import (
	"strings"
	"testing"
)

func TestApplyBasis(t *testing.T) {
	noEmployer := map[string]any{
		FieldYearsInOccupation: 0, FieldCandidateSource: "other", FieldEmployer: "无", FieldLaborRelation: "other",
	}
	employee := map[string]any{FieldCandidateSource: "employee", FieldLaborRelation: "employee"}
	tests := []struct {
		level       Level
		basis       string
		want        map[string]any
		field, code string
		msgHas      string
	}{
		{Level5, BasisLevel5, noEmployer, "", "", ""},
		{Level3, BasisEducation, noEmployer, "", "", ""},
		{Level4, BasisEducation, noEmployer, "", "", ""},
		{Level1, BasisWorkYears, employee, "", "", ""},
		{Level5, BasisWorkYears, employee, "", "", ""},
		{Level2, BasisTitleOrCert, employee, "", "", ""},
		{Level3, " title_or_cert ", employee, "", "", ""},
		{Level4, BasisLevel5, nil, FieldBasis, "basis_level_not_allowed", "“报名五级”仅限五级/初级工报考，本评价计划为四级/中级工"},
		{Level1, BasisLevel5, nil, FieldBasis, "basis_level_not_allowed", "五级/初级工"},
		{Level5, BasisEducation, nil, FieldBasis, "basis_level_not_allowed", "“以学历报考”仅限三级/高级工、四级/中级工报考"},
		{Level2, BasisEducation, nil, FieldBasis, "basis_level_not_allowed", "本评价计划为二级/技师"},
		{Level1, BasisEducation, nil, FieldBasis, "basis_level_not_allowed", "以学历报考"},
		{Level3, "", nil, FieldBasis, "basis_required", "请选择报考依据"},
		{Level3, "age", nil, FieldBasis, "basis_invalid", "报考依据不正确"},
		{0, BasisWorkYears, nil, FieldLevel, "level_invalid", "评价等级"},
		{6, BasisLevel5, nil, FieldLevel, "level_invalid", "评价等级"},
	}
	for _, tt := range tests {
		got, err := ApplyBasis(tt.level, tt.basis)
		if tt.code != "" {
			if err == nil || de(err).Kind != KindInvalid || de(err).Field != tt.field || de(err).Code != tt.code ||
				!strings.Contains(de(err).Message, tt.msgHas) {
				t.Errorf("ApplyBasis(%d, %q) = %v, %+v; want %s/%s %q", tt.level, tt.basis, got, err, tt.field, tt.code, tt.msgHas)
			}
			continue
		}
		if err != nil || len(got) != len(tt.want) {
			t.Errorf("ApplyBasis(%d, %q) = %v, %v; want %v", tt.level, tt.basis, got, err, tt.want)
			continue
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("ApplyBasis(%d, %q)[%s] = %#v, want %#v", tt.level, tt.basis, k, got[k], v)
			}
		}
	}
	// The map is the caller's to keep.
	m, _ := ApplyBasis(Level5, BasisLevel5)
	m[FieldEmployer] = "changed"
	if again, _ := ApplyBasis(Level5, BasisLevel5); again[FieldEmployer] != "无" {
		t.Error("ApplyBasis shares its map")
	}
}

func TestBasisLevelsMatrix(t *testing.T) {
	allowed := map[string][]bool{ // index = level
		BasisLevel5:      {false, false, false, false, false, true},
		BasisEducation:   {false, false, false, true, true, false},
		BasisWorkYears:   {false, true, true, true, true, true},
		BasisTitleOrCert: {false, true, true, true, true, true},
	}
	for basis, row := range allowed {
		r, ok := LookupBasis(basis)
		if !ok {
			t.Fatalf("LookupBasis(%q) failed", basis)
		}
		for l := Level(0); l <= 6; l++ {
			want := int(l) < len(row) && row[l]
			if got := r.AllowsLevel(l); got != want {
				t.Errorf("%s.AllowsLevel(%d) = %v, want %v", basis, l, got, want)
			}
			_, err := ApplyBasis(l, basis)
			if (err == nil) != want {
				t.Errorf("ApplyBasis(%d, %s) error = %v", l, basis, err)
			}
		}
	}
}

func TestBasisRules(t *testing.T) {
	rules := BasisRules()
	codes := []string{BasisLevel5, BasisEducation, BasisWorkYears, BasisTitleOrCert}
	names := []string{"报名五级", "以学历报考", "以工作年限报考", "以职称或技能证书报考"}
	employer := []bool{false, false, true, true}
	if len(rules) != 4 {
		t.Fatalf("BasisRules() = %v", rules)
	}
	for i, r := range rules {
		if r.Code != codes[i] || r.Name != names[i] || r.EmployerInvolved != employer[i] {
			t.Errorf("rule %d = %+v", i, r)
		}
		if EmployerCheckApplies(r.Code) != employer[i] {
			t.Errorf("EmployerCheckApplies(%q) = %v", r.Code, !employer[i])
		}
		if r.EmployerInvolved {
			if _, fixed := r.Fixed[FieldEmployer]; fixed {
				t.Errorf("%s fixes the employer", r.Code)
			}
		}
	}
	if EmployerCheckApplies("unknown") {
		t.Error("EmployerCheckApplies(unknown) = true")
	}
	rules[0].Fixed[FieldEmployer] = "changed"
	rules[1].Levels[0] = Level1
	if r, _ := LookupBasis(BasisLevel5); r.Fixed[FieldEmployer] != "无" {
		t.Error("BasisRules shares the fixed map")
	}
	if r, _ := LookupBasis(BasisEducation); r.Levels[0] != Level3 {
		t.Error("BasisRules shares the levels slice")
	}
	if _, ok := LookupBasis("nope"); ok {
		t.Error("LookupBasis(nope) succeeded")
	}
}
