package domain

import (
	"fmt"
	"strings"
	"time"
)

// Identity fields asked for when the document's number does not carry them.
const (
	FieldGender    = "gender"
	FieldBirthDate = "birth_date"
)

// MinAge is the youngest a candidate may be on the evaluation date: the legal
// working age (《劳动法》第十五条, 16 周岁).
const MinAge = 16

// IDTypesDerivingIdentity lists the document types whose number carries the
// gender and birth date (the form shows them locked); for the others the
// candidate fills both in. GET /api/v1/meta serves this list.
func IDTypesDerivingIdentity() []string {
	var out []string
	for _, t := range idTypes {
		if IDTypeEncodesIdentity(t.Code) {
			out = append(out, t.Code)
		}
	}
	return out
}

// CompleteIdentity fills the gender and birth date of a parsed document. For the
// types whose number carries them the number decides (what was typed is
// ignored); for the others both are required: gender 男 or 女, the birth date a
// real YYYY-MM-DD date in the past (not before MinBirthYear). All bad fields are
// reported at once.
func CompleteIdentity(doc *IDDocument, gender, birthDate string, now time.Time) error {
	if IDTypeEncodesIdentity(doc.Type) {
		return nil
	}
	var fe []FieldError
	switch g := strings.TrimSpace(gender); g {
	case GenderMale, GenderFemale:
		doc.Gender = g
	case "":
		fe = append(fe, FieldError{Field: FieldGender, Code: "gender_required", Message: "请选择性别"})
	default:
		fe = append(fe, FieldError{Field: FieldGender, Code: "gender_invalid", Message: "性别应为“男”或“女”"})
	}
	b := strings.TrimSpace(birthDate)
	switch {
	case b == "":
		fe = append(fe, FieldError{Field: FieldBirthDate, Code: "birth_date_required", Message: "请填写出生日期"})
	case !ValidDate(b):
		fe = append(fe, FieldError{Field: FieldBirthDate, Code: "birth_date_invalid",
			Message: "出生日期不是有效日期，请按“年-月-日”填写，如 1990-05-01"})
	case b < fmt.Sprintf("%04d-01-01", MinBirthYear):
		fe = append(fe, FieldError{Field: FieldBirthDate, Code: "birth_date_invalid",
			Message: fmt.Sprintf("出生年份不能早于%d年，请核对", MinBirthYear)})
	case b >= TodayBeijing(now):
		fe = append(fe, FieldError{Field: FieldBirthDate, Code: "birth_date_future", Message: "出生日期应早于今天，请核对"})
	default:
		doc.BirthDate = b
	}
	return InvalidFields(fe)
}

// CheckMinAge applies the one age rule of every document type: the candidate is
// at least MinAge on the evaluation date (both YYYY-MM-DD). A missing birth date
// is its own error (identity_incomplete), so the candidate knows to complete the
// identity first.
func CheckMinAge(birthDate, evalDate string) error {
	if !ValidDate(birthDate) {
		return NewError(KindConflict, "identity_incomplete",
			"身份信息缺少出生日期，请先在“我的”中补充性别和出生日期后再提交")
	}
	if !ValidDate(evalDate) {
		return nil // a plan without an evaluation date has nothing to compare with
	}
	// The 16th birthday; 29 February falls on 1 March in common years.
	b, _ := ParseDate(birthDate)
	sixteen := b.AddDate(MinAge, 0, 0).Format(DateLayout)
	if sixteen > evalDate {
		e, _ := ParseDate(evalDate)
		err := NewError(KindConflict, "under_age", fmt.Sprintf(
			"报考人员在评价日期（%s）须年满%d周岁（出生日期%s），暂不能报名",
			FormatCN(e), MinAge, FormatCN(b)))
		err.Field = FieldBirthDate
		return err
	}
	return nil
}
