package domain

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// NormalizeMobile turns a typed or pasted mobile number into its 11 digits:
// full-width digits become ASCII, spaces and dashes go, and a +86, 0086 or 86
// country prefix is removed. It does not validate; use ValidMobile on the result.
func NormalizeMobile(s string) string {
	s = width.Narrow.String(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '-', r == '\u2010', r == '\u2011', r == '\u2013', r == '\u2014':
			return -1
		}
		return r
	}, s)
	switch {
	case strings.HasPrefix(s, "+86"):
		s = s[3:]
	case strings.HasPrefix(s, "0086") && len(s) == 15:
		s = s[4:]
	case strings.HasPrefix(s, "86") && len(s) == 13:
		s = s[2:]
	}
	return s
}

// ValidMobile reports whether s is a mainland mobile number as stored: 11 ASCII
// digits, the first 1 and the second 3–9. Normalise input with NormalizeMobile first.
func ValidMobile(s string) bool {
	return len(s) == 11 && allDigits(s) && s[0] == '1' && s[1] >= '3' && s[1] <= '9'
}
