package domain

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultOptions(t *testing.T) {
	o, err := LoadOptions("")
	if err != nil {
		t.Fatal(err)
	}
	edu := []Option{
		{"10", "研究生"}, {"21", "大学本科"}, {"31", "大学专科"}, {"41", "中等专科"}, {"47", "技工学校"},
		{"61", "高中"}, {"71", "初中"}, {"81", "小学"}, {"90", "其他"},
	}
	if len(o.Education) != len(edu) {
		t.Fatalf("education = %v", o.Education)
	}
	for i := range edu {
		if o.Education[i] != edu[i] {
			t.Errorf("education[%d] = %v, want %v", i, o.Education[i], edu[i])
		}
	}
	tests := []struct {
		name string
		has  func(string) bool
		get  func(string) string
		code string
		want string
	}{
		{"education", o.HasEducation, o.EducationName, "31", "大学专科"},
		{"education unknown", o.HasEducation, o.EducationName, "99", ""},
		{"source employee", o.HasCandidateSource, o.CandidateSourceName, "employee", "本企业职工"},
		{"source student", o.HasCandidateSource, o.CandidateSourceName, "student", "院校学生"},
		{"source public", o.HasCandidateSource, o.CandidateSourceName, "public", "社会人员"},
		{"source other", o.HasCandidateSource, o.CandidateSourceName, "other", "其他"},
		{"relation employee", o.HasLaborRelation, o.LaborRelationName, "employee", "本企业职工"},
		{"relation dispatched", o.HasLaborRelation, o.LaborRelationName, "dispatched", "劳务派遣"},
		{"relation flexible", o.HasLaborRelation, o.LaborRelationName, "flexible", "灵活就业"},
		{"relation other", o.HasLaborRelation, o.LaborRelationName, "other", "其他"},
		{"relation by name", o.HasLaborRelation, o.LaborRelationName, "劳务派遣", ""},
		{"feedback", o.HasFeedbackCategory, o.FeedbackCategoryName, "exam_discipline", "考场纪律"},
		{"feedback fees", o.HasFeedbackCategory, o.FeedbackCategoryName, "fees", "收费问题"},
		{"feedback certs", o.HasFeedbackCategory, o.FeedbackCategoryName, "certificates", "证书发放"},
		{"feedback org", o.HasFeedbackCategory, o.FeedbackCategoryName, "exam_organization", "考务组织"},
		{"basis", o.HasBasis, o.BasisName, "title_or_cert", "以职称或技能证书报考"},
		{"basis level5", o.HasBasis, o.BasisName, "level5", "报名五级"},
		{"empty", o.HasBasis, o.BasisName, "", ""},
	}
	for _, tt := range tests {
		if got := tt.get(tt.code); got != tt.want {
			t.Errorf("%s: name(%q) = %q, want %q", tt.name, tt.code, got, tt.want)
		}
		if got := tt.has(tt.code); got != (tt.want != "") {
			t.Errorf("%s: has(%q) = %v", tt.name, tt.code, got)
		}
	}
	if !strings.Contains(o.EmployerWarning, "请确认并上传相关自证材料") {
		t.Errorf("employer warning = %q", o.EmployerWarning)
	}
	// The option bases and the basis rules agree.
	for _, r := range BasisRules() {
		if o.BasisName(r.Code) != r.Name {
			t.Errorf("basis %s: options name %q, rule name %q", r.Code, o.BasisName(r.Code), r.Name)
		}
	}
}

func TestDefaultOptionsAreFresh(t *testing.T) {
	a := DefaultOptions()
	a.Education[0].Name = "changed"
	if DefaultOptions().Education[0].Name != "研究生" {
		t.Error("DefaultOptions shares its slices")
	}
}

func TestFindOption(t *testing.T) {
	list := DefaultOptions().LaborRelations
	for _, tt := range []struct {
		in, want string
	}{
		{"dispatched", "dispatched"}, {"劳务派遣", "dispatched"}, {" 其他 ", "other"}, {"", ""}, {"派遣", ""},
	} {
		got, ok := FindOption(list, tt.in)
		if got.Code != tt.want || ok != (tt.want != "") {
			t.Errorf("FindOption(%q) = %v, %v", tt.in, got, ok)
		}
	}
}

func TestLoadOptionsOverride(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	srcOK := `{"candidate_sources": [
		{"code": "employee", "name": "本单位职工"}, {"code": "other", "name": "其他"}]}`
	o, err := LoadOptions(write("ok.json", srcOK))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.CandidateSources) != 2 || o.CandidateSourceName("employee") != "本单位职工" || o.HasCandidateSource("student") {
		t.Errorf("override not applied: %v", o.CandidateSources)
	}
	if o.EducationName("21") != "大学本科" || o.LaborRelationName("flexible") != "灵活就业" {
		t.Error("lists absent from the file lost their defaults")
	}

	o, err = LoadOptions(write("warn.json", `{"employer_warning": "单位信息与省人社系统不符。"}`))
	if err != nil || o.EmployerWarning != "单位信息与省人社系统不符。" {
		t.Errorf("warning override: %q, %v", o.EmployerWarning, err)
	}

	bad := []struct{ name, body, errHas string }{
		{"unknown key", `{"educations": []}`, "unknown field"},
		{"empty list", `{"education": []}`, "empty list"},
		{"duplicate", `{"education": [{"code": "10", "name": "a"}, {"code": "10", "name": "b"}]}`, "duplicate"},
		{"no name", `{"education": [{"code": "10", "name": " "}]}`, "must be set"},
		{"spaced code", `{"education": [{"code": " 10", "name": "研究生"}]}`, "must be set"},
		{"unknown basis", `{"bases": [{"code": "by_age", "name": "按年龄"}]}`, "no rules"},
		{"fixed source missing", `{"candidate_sources": [{"code": "employee", "name": "本企业职工"}]}`, "candidate_source"},
		{"fixed relation missing", `{"labor_relations": [{"code": "other", "name": "其他"}]}`, "labor_relation"},
		{"no warning", `{"employer_warning": ""}`, "employer_warning"},
		{"not JSON", `{"education": `, "decode"},
		{"trailing data", `{} {}`, "after the JSON object"},
	}
	for _, tt := range bad {
		if _, err := LoadOptions(write(tt.name+".json", tt.body)); err == nil || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.errHas)
		}
	}
	if _, err := LoadOptions(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file accepted")
	}
	// A province may drop a basis: level5 alone is fine.
	if o, err := LoadOptions(write("bases.json", `{"bases": [{"code": "level5", "name": "报名五级"}]}`)); err != nil || o.HasBasis("education") {
		t.Errorf("bases override: %v, %v", o.Bases, err)
	}
}
