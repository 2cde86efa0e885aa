package domain

import (
	"strings"
	"unicode/utf8"
)

// MaskIDNumber hides the middle of an ID document number for display and logs.
// An 18-character number keeps its first 6 and last 4 characters
// (440308********1234). Shorter documents keep the first 1–2 and last 1–4
// characters and never reveal more than half; 1–3 characters are hidden entirely.
func MaskIDNumber(s string) string {
	r := []rune(strings.TrimSpace(s))
	switch n := len(r); {
	case n == 18:
		return maskRunes(r, 6, 4)
	case n < 4:
		return strings.Repeat("*", n)
	default:
		keep := n / 2
		head := 1
		if keep >= 5 {
			head = 2
		}
		return maskRunes(r, head, min(4, keep-head))
	}
}

// MaskPhone hides the middle of a phone number: a mainland mobile keeps its first 3
// and last 4 digits (138****1234). The number is normalised first (see
// NormalizeMobile); other numbers are masked like a short ID document.
func MaskPhone(s string) string {
	n := NormalizeMobile(s)
	if utf8.RuneCountInString(n) == 11 {
		return maskRunes([]rune(n), 3, 4)
	}
	return MaskIDNumber(n)
}

// maskRunes keeps head runes and tail runes of r and replaces the rest by '*'.
func maskRunes(r []rune, head, tail int) string {
	var b strings.Builder
	b.WriteString(string(r[:head]))
	b.WriteString(strings.Repeat("*", len(r)-head-tail))
	b.WriteString(string(r[len(r)-tail:]))
	return b.String()
}
