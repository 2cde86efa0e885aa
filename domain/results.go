package domain

import (
	"math"
	"strconv"
	"strings"
)

// Subject is an exam subject (科目), stored as its code.
type Subject string

// Exam subjects.
const (
	SubjectTheory        Subject = "theory"        // 理论
	SubjectPractical     Subject = "practical"     // 实操
	SubjectComprehensive Subject = "comprehensive" // 综合
)

var subjects = []Option{
	{string(SubjectTheory), "理论"},
	{string(SubjectPractical), "实操"},
	{string(SubjectComprehensive), "综合"},
}

// Subjects returns every subject.
func Subjects() []Subject {
	return []Subject{SubjectTheory, SubjectPractical, SubjectComprehensive}
}

// SubjectOptions returns the subjects as options (code and name).
func SubjectOptions() []Option { return append([]Option(nil), subjects...) }

// Valid reports whether s is a known subject.
func (s Subject) Valid() bool { return hasOption(subjects, string(s)) }

// Name returns the Chinese name of the subject, e.g. "实操"; "" when unknown.
func (s Subject) Name() string { return optionName(subjects, string(s)) }

// ParseSubject reads a subject from its code or its Chinese name; the error names
// the field "subject".
func ParseSubject(s string) (Subject, error) {
	if o, ok := FindOption(subjects, s); ok {
		return Subject(o.Code), nil
	}
	return "", Invalid(FieldSubject, "subject_invalid", "科目不正确，应为理论、实操或综合")
}

// Result is the outcome of one subject (合格 / 不合格), stored as its code.
type Result string

// Subject results.
const (
	ResultPass Result = "pass" // 合格
	ResultFail Result = "fail" // 不合格
	// ResultAbsent: the candidate had a seat and did not arrive (缺考). Set by the
	// results import for seats without a check-in once their session is over.
	ResultAbsent Result = "absent"
)

// PassMark is the lowest passing score out of 100.
const PassMark = 60

// Name returns the Chinese name of the result, "合格" or "不合格"; "" when unknown.
func (r Result) Name() string {
	switch r {
	case ResultPass:
		return "合格"
	case ResultFail:
		return "不合格"
	case ResultAbsent:
		return "缺考"
	}
	return ""
}

// Valid reports whether r is a known result.
func (r Result) Valid() bool { return r.Name() != "" }

// Score is the recorded outcome of one subject: a result and, when the institution
// gave one, the score out of 100 it came from.
type Score struct {
	Result Result   `json:"result"`
	Points *float64 `json:"points,omitempty"`
}

// ResultForPoints returns the result of a score out of 100: pass from PassMark.
func ResultForPoints(points float64) Result {
	if points >= PassMark {
		return ResultPass
	}
	return ResultFail
}

// ParseScore reads a subject outcome as recorded by an institution: "合格" / "不合格"
// (or the codes "pass" / "fail"), or a score from 0 to 100 with at most two
// decimals, 60 and above passing. The error names the field "result".
func ParseScore(s string) (Score, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "合格", string(ResultPass):
		return Score{Result: ResultPass}, nil
	case "不合格", string(ResultFail):
		return Score{Result: ResultFail}, nil
	case "缺考", string(ResultAbsent):
		return Score{Result: ResultAbsent}, nil
	case "":
		return Score{}, Invalid(FieldResult, "result_required", "请填写成绩或结果（合格/不合格）")
	}
	p, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(p) || p < 0 || p > 100 || !atMostTwoDecimals(s) {
		return Score{}, Invalid(FieldResult, "result_invalid",
			"成绩应为0至100之间的分数（最多两位小数），或“合格”/“不合格”")
	}
	return Score{Result: ResultForPoints(p), Points: &p}, nil
}

// atMostTwoDecimals reports whether a plain decimal number has at most two digits
// after the point and no exponent or sign.
func atMostTwoDecimals(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	return allDigits(whole) && len(frac) <= 2 && (frac == "" || allDigits(frac))
}
