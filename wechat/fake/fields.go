package fake

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Subscribe-message keyword types and WeChat's rules for their values. A key is
// its type followed by digits: "thing1", "character_string12".
var (
	dateCN  = `\d{4}年(0?[1-9]|1[0-2])月(0?[1-9]|[12]\d|3[01])日`
	dateNum = `\d{4}[-/](0?[1-9]|1[0-2])[-/](0?[1-9]|[12]\d|3[01])`
	clock   = `([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?`
	dateAny = `(` + dateCN + `|` + dateNum + `)`

	timeRe   = regexp.MustCompile(`^(` + dateAny + `( ?` + clock + `)?|` + clock + `)$`)
	dateRe   = regexp.MustCompile(`^` + dateAny + `( ?` + clock + `)?$`)
	numberRe = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
	letterRe = regexp.MustCompile(`^[A-Za-z]+$`)
	amountRe = regexp.MustCompile(`^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$`)
	phoneRe  = regexp.MustCompile(`^[\d+\-() ]+$`)
	keyRe    = regexp.MustCompile(`^([a-z_]+?)(\d+)$`)
)

// fieldRules maps a keyword type to its check.
var fieldRules = map[string]func(string) bool{
	"thing":            func(v string) bool { return runes(v) <= 20 },
	"number":           func(v string) bool { return len(v) <= 32 && numberRe.MatchString(v) },
	"letter":           func(v string) bool { return len(v) <= 32 && letterRe.MatchString(v) },
	"symbol":           func(v string) bool { return runes(v) <= 5 && !strings.ContainsFunc(v, isWordRune) },
	"character_string": func(v string) bool { return runes(v) <= 32 && !strings.ContainsFunc(v, isHan) },
	"time":             timeRe.MatchString,
	"date":             dateRe.MatchString,
	"amount":           amountRe.MatchString,
	"phone_number":     func(v string) bool { return len(v) <= 17 && phoneRe.MatchString(v) },
	"car_number":       func(v string) bool { return runes(v) <= 8 },
	"name":             validName,
	"phrase":           func(v string) bool { return runes(v) <= 5 && allHan(v) },
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func allHan(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return true
}

// validName: at most 10 Chinese characters, or at most 20 letters for a name in
// Latin letters.
func validName(v string) bool {
	latin := true
	for _, r := range v {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || r == ' ' || r == '.' || r == '-')) {
			latin = false
			break
		}
	}
	if latin {
		return len(v) <= 20
	}
	return runes(v) <= 10
}

// checkData returns the first key (in sorted order) whose value breaks WeChat's
// rules, or "". Every value must be non-empty. Subscribe messages only take typed
// keys; official-account templates also take untyped ones ("first", "keyword1",
// "remark"), which are not length-checked.
func checkData(data map[string]string, subscribe bool) string {
	for _, k := range slices.Sorted(maps.Keys(data)) {
		v := data[k]
		if strings.TrimSpace(v) == "" {
			return k
		}
		m := keyRe.FindStringSubmatch(k)
		var rule func(string) bool
		if m != nil {
			rule = fieldRules[m[1]]
		}
		if rule == nil {
			if subscribe {
				return k
			}
			continue
		}
		if !rule(v) {
			return k
		}
	}
	return ""
}
