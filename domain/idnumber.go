package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Genders as the form shows them, derived from 18-character ID numbers.
const (
	GenderMale   = "男"
	GenderFemale = "女"
)

// MinBirthYear is the earliest birth year an ID number may carry. It only catches
// typos in the century; GB 11643's own example (440524188001010014) is born in 1880.
const MinBirthYear = 1850

// IDDocument is a validated ID document. Gender and BirthDate are filled only for
// the types whose number encodes them (01, 02, 05) and are "" otherwise.
type IDDocument struct {
	Type      string `json:"id_type"`    // one of the IDType* codes
	Number    string `json:"id_number"`  // normalised: trimmed, upper case
	Gender    string `json:"gender"`     // GenderMale, GenderFemale or ""
	BirthDate string `json:"birth_date"` // "YYYY-MM-DD" or ""
}

// ParseIDDocument validates an ID document number for its type and returns it
// normalised (surrounding spaces removed, ASCII letters in upper case, so a final x
// becomes X), with the gender and birth date the number encodes. now decides what
// "in the future" means, in Beijing time. Errors name the field "id_type" or
// "id_number" and say in Chinese what is wrong.
func ParseIDDocument(idType, number string, now time.Time) (IDDocument, error) {
	idType = strings.TrimSpace(idType)
	if idType == "" {
		return IDDocument{}, Invalid(FieldIDType, "id_type_required", "请选择证件类型")
	}
	if !ValidIDType(idType) {
		return IDDocument{}, Invalid(FieldIDType, "id_type_invalid", "证件类型不正确，请重新选择")
	}
	doc := IDDocument{Type: idType, Number: upperASCII(strings.TrimSpace(number))}
	if doc.Number == "" {
		return IDDocument{}, Invalid(FieldIDNumber, "id_number_required", "请填写证件号码")
	}
	var err error
	switch idType {
	case IDTypeResidentCard, IDTypeHMTResidencePermit, IDTypeForeignPermanent:
		err = parse18(&doc, now)
	case IDTypeHKMacaoPermit:
		if !validHKMacaoPermit(doc.Number) {
			err = idNumberError("id_number_format", "港澳居民来往内地通行证号码应为H或M开头，后接8位或10位数字")
		}
	case IDTypeTaiwanPermit:
		if len(doc.Number) != 8 || !allDigits(doc.Number) {
			err = idNumberError("id_number_format", "台湾居民来往大陆通行证号码应为8位数字")
		}
	case IDTypePassport:
		if len(doc.Number) < 5 || len(doc.Number) > 20 || !allAlnum(doc.Number) {
			err = idNumberError("id_number_format", "护照号码应为5至20位字母或数字")
		}
	}
	if err != nil {
		return IDDocument{}, err
	}
	return doc, nil
}

func idNumberError(code, message string) *Error { return Invalid(FieldIDNumber, code, message) }

// parse18 checks an 18-character number (types 01, 02, 05) and fills gender and birth date.
func parse18(doc *IDDocument, now time.Time) error {
	n := doc.Number
	typeName := IDTypeName(doc.Type)
	if c := utf8.RuneCountInString(n); c != 18 {
		return idNumberError("id_number_length", fmt.Sprintf("%s号码应为18位，当前为%d位", typeName, c))
	}
	if !allDigits(n[:17]) || !(isDigit(n[17]) || n[17] == 'X') {
		return idNumberError("id_number_format", typeName+"号码前17位应为数字，最后一位应为数字或字母X")
	}
	if err := checkIDPrefix(doc.Type, n); err != nil {
		return err
	}
	if err := checkIDBirth(n[6:14], now); err != nil {
		return err
	}
	if c, _ := IDCheckChar(n[:17]); c != n[17] {
		return idNumberError("id_number_check_digit", "证件号码校验位（最后一位）不正确，请核对号码是否输入有误")
	}
	if (n[16]-'0')%2 == 1 {
		doc.Gender = GenderMale
	} else {
		doc.Gender = GenderFemale
	}
	doc.BirthDate = n[6:10] + "-" + n[10:12] + "-" + n[12:14]
	return nil
}

// checkIDPrefix applies the region or prefix rule of each 18-character type.
func checkIDPrefix(idType, n string) error {
	switch idType {
	case IDTypeResidentCard:
		p := n[:2]
		if p == "81" || p == "82" || p == "83" {
			return idNumberError("id_number_region",
				"以81、82、83开头的号码属于港澳台居民居住证，请将证件类型选为“港澳台居民居住证”")
		}
		if !provinceCodes[p] {
			return idNumberError("id_number_region",
				fmt.Sprintf("身份证号码前两位地区码（%s）不存在，请核对", p))
		}
	case IDTypeHMTResidencePermit:
		if _, ok := hmtPrefixes[n[:6]]; !ok {
			return idNumberError("id_number_prefix",
				"港澳台居民居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头")
		}
	case IDTypeForeignPermanent:
		if n[0] != '9' {
			return idNumberError("id_number_prefix", "外国人永久居留身份证号码应以9开头")
		}
	}
	return nil
}

// checkIDBirth checks the YYYYMMDD birth date of an ID number: a real date, not
// before MinBirthYear and not after today in Beijing.
func checkIDBirth(ymd string, now time.Time) error {
	shown := ymd[:4] + "年" + ymd[4:6] + "月" + ymd[6:8] + "日"
	iso := ymd[:4] + "-" + ymd[4:6] + "-" + ymd[6:8]
	if !ValidDate(iso) {
		return idNumberError("id_number_birth_date",
			fmt.Sprintf("证件号码中的出生日期（%s）不是有效日期，请核对", shown))
	}
	if iso < fmt.Sprintf("%04d-01-01", MinBirthYear) {
		return idNumberError("id_number_birth_date",
			fmt.Sprintf("证件号码中的出生年份（%s年）早于%d年，请核对", ymd[:4], MinBirthYear))
	}
	if iso > TodayBeijing(now) {
		return idNumberError("id_number_birth_future",
			fmt.Sprintf("证件号码中的出生日期（%s）晚于今天，请核对", shown))
	}
	return nil
}

func validHKMacaoPermit(n string) bool {
	if len(n) != 9 && len(n) != 11 {
		return false
	}
	return (n[0] == 'H' || n[0] == 'M') && allDigits(n[1:])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// allDigits reports whether s is non-empty and made of ASCII digits only.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// allAlnum reports whether s is made of ASCII digits and upper-case letters only.
func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// upperASCII upper-cases ASCII letters only, leaving every other rune alone.
func upperASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
