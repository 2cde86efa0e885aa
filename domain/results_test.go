package domain

import "testing"

func TestSubjects(t *testing.T) {
	tests := []struct {
		in   string
		want Subject
	}{
		{"theory", SubjectTheory}, {"理论", SubjectTheory},
		{"practical", SubjectPractical}, {"实操", SubjectPractical},
		{" comprehensive ", SubjectComprehensive}, {"综合", SubjectComprehensive},
		{"", ""}, {"口试", ""},
	}
	for _, tt := range tests {
		got, err := ParseSubject(tt.in)
		if tt.want == "" {
			if err == nil || de(err).Field != FieldSubject {
				t.Errorf("ParseSubject(%q) = %q, %v; want an error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want || !got.Valid() || got.Name() == "" {
			t.Errorf("ParseSubject(%q) = %q, %v", tt.in, got, err)
		}
	}
	if s := Subjects(); len(s) != 3 || s[1] != SubjectPractical || SubjectPractical.Name() != "实操" {
		t.Errorf("Subjects() = %v", s)
	}
	if o := SubjectOptions(); len(o) != 3 || o[2] != (Option{"comprehensive", "综合"}) {
		t.Errorf("SubjectOptions() = %v", o)
	}
}

func TestParseScore(t *testing.T) {
	pts := func(f float64) *float64 { return &f }
	tests := []struct {
		in     string
		result Result
		points *float64
		code   string
	}{
		{"合格", ResultPass, nil, ""},
		{"不合格", ResultFail, nil, ""},
		{"pass", ResultPass, nil, ""},
		{" fail ", ResultFail, nil, ""},
		{"60", ResultPass, pts(60), ""},
		{"59.99", ResultFail, pts(59.99), ""},
		{"59.5", ResultFail, pts(59.5), ""},
		{"100", ResultPass, pts(100), ""},
		{"0", ResultFail, pts(0), ""},
		{"85.5", ResultPass, pts(85.5), ""},
		{"", "", nil, "result_required"},
		{"101", "", nil, "result_invalid"},
		{"-1", "", nil, "result_invalid"},
		{"60.123", "", nil, "result_invalid"},
		{"1e2", "", nil, "result_invalid"},
		{"NaN", "", nil, "result_invalid"},
		{"Inf", "", nil, "result_invalid"},
		{".5", "", nil, "result_invalid"},
		{"良好", "", nil, "result_invalid"},
	}
	for _, tt := range tests {
		got, err := ParseScore(tt.in)
		if tt.code != "" {
			if err == nil || de(err).Code != tt.code || de(err).Field != FieldResult {
				t.Errorf("ParseScore(%q) = %+v, %v; want %s", tt.in, got, err, tt.code)
			}
			continue
		}
		if err != nil || got.Result != tt.result || (got.Points == nil) != (tt.points == nil) ||
			(got.Points != nil && *got.Points != *tt.points) {
			t.Errorf("ParseScore(%q) = %+v, %v", tt.in, got, err)
		}
	}
}

func TestResult(t *testing.T) {
	if ResultPass.Name() != "合格" || ResultFail.Name() != "不合格" || Result("x").Valid() || !ResultFail.Valid() {
		t.Error("result names")
	}
	if ResultForPoints(60) != ResultPass || ResultForPoints(59.9) != ResultFail {
		t.Error("pass mark")
	}
}
