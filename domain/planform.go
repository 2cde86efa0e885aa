package domain

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PlanForm is an evaluation plan (评价计划) as an institution types it in the
// console: every DOMAIN.md field, as text.
type PlanForm struct {
	PlanNo            string // 评价计划编号
	PlanName          string // 评价计划名称
	OccupationName    string // 职业名称
	WorkType          string // 工种名称 (无 when empty)
	Level             string // 评价等级
	SeatsTotal        string // 最大允许报名人数
	City              string // 考试地点: city
	District          string // 考试地点: district
	Address           string // 考试地点: address
	RegStart          string // 报名开始日期
	RegDeadline       string // 报名截止日期
	EvalStart         string // 评价开始日期
	EvalEnd           string // 评价结束日期
	ContactName       string // 评价业务联系人
	ContactPhone      string // 联系电话
	SupervisionRegion string // 业务监管地
}

// PlanChoices are the lists some plan fields must be picked from: the
// 业务监管地 (province level and cities), the cities of the 考试地点 and the
// occupation catalogue (职业名称). Values are compared exactly, so a region typed
// with ASCII brackets or a city without 市 is refused.
type PlanChoices struct {
	Regions, Cities, Occupations []Option
}

// PlanChoicesOf returns the plan pickers of the option lists, with extra
// occupations (added by admins) after the catalogue's.
func PlanChoicesOf(o Options, extraOccupations []Option) PlanChoices {
	occ := make([]Option, 0, len(o.Occupations)+len(extraOccupations))
	occ = append(occ, o.Occupations...)
	for _, e := range extraOccupations {
		if !hasOption(occ, e.Code) {
			occ = append(occ, e)
		}
	}
	return PlanChoices{Regions: o.SupervisionRegions, Cities: o.Cities, Occupations: occ}
}

// PlanFields is a validated PlanForm.
type PlanFields struct {
	PlanForm
	LevelValue Level
	Seats      int
}

// MaxPlanSeats is the largest 最大允许报名人数 the console accepts.
const MaxPlanSeats = 100000

var (
	planNoPattern   = regexp.MustCompile(`^[0-9A-Za-z-]{1,40}$`)
	landlinePattern = regexp.MustCompile(`^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|[48]00-?\d{3}-?\d{4})$`)
)

// planText lists the text fields with their label, whether they are required and
// their most characters.
func (f *PlanForm) planText() []struct {
	field, label string
	value        *string
	required     bool
	max          int
} {
	return []struct {
		field, label string
		value        *string
		required     bool
		max          int
	}{
		{"plan_name", "评价计划名称", &f.PlanName, true, 100},
		{"occupation_name", "职业名称", &f.OccupationName, true, 50},
		{"work_type", "工种名称", &f.WorkType, false, 50},
		{"city", "考试地点（市）", &f.City, true, 30},
		{"district", "考试地点（区/县）", &f.District, false, 30},
		{"address", "考试详细地址", &f.Address, true, 150},
		{"contact_name", "评价业务联系人", &f.ContactName, true, 30},
		{"supervision_region", "业务监管地", &f.SupervisionRegion, true, 50},
	}
}

// ValidatePlanForm trims and checks every field of a plan and returns the plan
// with its level and seats parsed. Every bad field is reported, with a stable
// key (the form field name) and a Chinese message.
func ValidatePlanForm(in PlanForm, ch PlanChoices) (PlanFields, error) {
	f := in
	var fe []FieldError
	bad := func(field, code, msg string) { fe = append(fe, FieldError{Field: field, Code: code, Message: msg}) }

	f.PlanNo = strings.TrimSpace(f.PlanNo)
	if f.PlanNo == "" {
		bad("plan_no", "required", "请填写评价计划编号")
	} else if !planNoPattern.MatchString(f.PlanNo) {
		bad("plan_no", "plan_no_format", "评价计划编号只能由字母、数字和“-”组成，最多40位")
	}
	for _, t := range f.planText() {
		*t.value = strings.TrimSpace(*t.value)
		switch v := *t.value; {
		case v == "" && t.required:
			bad(t.field, "required", "请填写"+t.label)
		case utf8.RuneCountInString(v) > t.max:
			bad(t.field, "too_long", t.label+"最多"+strconv.Itoa(t.max)+"个字")
		case strings.IndexFunc(v, unicode.IsControl) >= 0:
			bad(t.field, "bad_chars", t.label+"含有不可见字符")
		}
	}
	picked := []struct {
		field, label, value string
		list                []Option
	}{
		{"occupation_name", "职业名称", f.OccupationName, ch.Occupations},
		{"city", "考试地点（市）", f.City, ch.Cities},
		{"supervision_region", "业务监管地", f.SupervisionRegion, ch.Regions},
	}
	for _, p := range picked {
		if p.value != "" && !hasOption(p.list, p.value) && !hasFieldError(fe, p.field) {
			bad(p.field, "not_in_list", "请从列表中选择"+p.label)
		}
	}
	if f.WorkType == "" {
		f.WorkType = EmployerNone
	}
	out := PlanFields{PlanForm: f}
	if l, err := ParseLevel(f.Level); err != nil {
		de, _ := AsError(err)
		bad("level", de.Code, de.Message)
	} else {
		out.LevelValue = l
	}
	if n, err := strconv.Atoi(strings.TrimSpace(f.SeatsTotal)); err != nil || n < 1 || n > MaxPlanSeats {
		bad("seats_total", "seats_invalid", "最大允许报名人数应为1至"+strconv.Itoa(MaxPlanSeats)+"之间的整数")
	} else {
		out.Seats = n
	}
	checkPlanDates(&out.PlanForm, bad)
	f.ContactPhone = strings.TrimSpace(f.ContactPhone)
	out.ContactPhone = f.ContactPhone
	if f.ContactPhone == "" {
		bad("contact_phone", "required", "请填写联系电话")
	} else if !ValidMobile(f.ContactPhone) && !landlinePattern.MatchString(f.ContactPhone) {
		bad("contact_phone", "phone_invalid", "联系电话应为11位手机号码或带区号的固定电话，如020-87000000")
	}
	if err := InvalidFields(fe); err != nil {
		return PlanFields{}, err
	}
	return out, nil
}

// checkPlanDates checks the four dates: real dates with 报名开始 ≤ 报名截止 ≤
// 评价开始 ≤ 评价结束.
func checkPlanDates(f *PlanForm, bad func(field, code, msg string)) {
	dates := []struct {
		field, label string
		value        *string
	}{
		{"reg_start", "报名开始日期", &f.RegStart},
		{"reg_deadline", "报名截止日期", &f.RegDeadline},
		{"eval_start", "评价开始日期", &f.EvalStart},
		{"eval_end", "评价结束日期", &f.EvalEnd},
	}
	ok := true
	for _, d := range dates {
		*d.value = strings.TrimSpace(*d.value)
		if !ValidDate(*d.value) {
			bad(d.field, "date_invalid", d.label+"应为有效日期，格式如 2025-11-13")
			ok = false
		}
	}
	if !ok {
		return
	}
	for i := 1; i < len(dates); i++ {
		prev, cur := dates[i-1], dates[i]
		if *cur.value < *prev.value {
			bad(cur.field, "date_order", cur.label+"不能早于"+prev.label)
		}
	}
}

func hasFieldError(fe []FieldError, field string) bool {
	for _, e := range fe {
		if e.Field == field {
			return true
		}
	}
	return false
}
