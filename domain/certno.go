package domain

import "strings"

// CertNoLength is the length of a certificate number: Y or S and 21 digits.
const CertNoLength = 22

// certNoLevelIndex is the 0-based index of the level digit: the 16th character.
const certNoLevelIndex = 15

// NormalizeCertNo removes surrounding spaces and upper-cases the letters of a typed
// certificate number.
func NormalizeCertNo(s string) string { return upperASCII(strings.TrimSpace(s)) }

// CertNoLevel returns the level a certificate number encodes: the number must match
// ^[YS]\d{21}$ and its 16th character must be a level digit (1–5).
func CertNoLevel(no string) (Level, bool) {
	if len(no) != CertNoLength || (no[0] != 'Y' && no[0] != 'S') || !allDigits(no[1:]) {
		return 0, false
	}
	l := Level(no[certNoLevelIndex] - '0')
	return l, l.Valid()
}

// ValidCertNo reports whether no is a well-formed certificate number (^[YS]\d{21}$)
// whose 16th character is the digit of level.
func ValidCertNo(no string, level Level) bool {
	l, ok := CertNoLevel(no)
	return ok && l == level
}
