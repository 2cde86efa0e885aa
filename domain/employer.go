package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// MaxEmployerLength is the most characters (runes) 所在单位 may have.
const MaxEmployerLength = 25

// NormalizeEmployer returns the comparison key of an employer name, so that
// harmless differences do not raise the employer warning: full-width characters
// become half-width, all whitespace and round brackets (（）and ()) are removed,
// 有限责任公司 becomes 有限公司 and ASCII letters are lower-cased. The key is for
// comparing only, never for display.
func NormalizeEmployer(s string) string {
	s = width.Narrow.String(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '(', r == ')', r == '（', r == '）':
			return -1
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "有限责任公司", "有限公司")
}

// SameEmployer reports whether two employer names denote the same employer after
// normalisation. An empty name matches nothing.
func SameEmployer(a, b string) bool {
	na := NormalizeEmployer(a)
	return na != "" && na == NormalizeEmployer(b)
}

// ValidEmployer reports whether s is an acceptable 所在单位: 1 to 25 characters after
// trimming, no control characters.
func ValidEmployer(s string) bool {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < 1 || n > MaxEmployerLength || !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}
