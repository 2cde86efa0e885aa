package domain

import (
	"crypto/rand"
	"strings"
)

// CodeAlphabet is the alphabet of registration codes (报名码): digits and capital
// letters without the look-alikes 0/O and 1/I/L.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLength is the length of a registration code.
const CodeLength = 8

// NormalizeCode turns typed input into a comparable registration code: surrounding
// spaces are removed and ASCII letters upper-cased (input is case-insensitive).
func NormalizeCode(s string) string { return upperASCII(strings.TrimSpace(s)) }

// ValidCodeFormat reports whether a normalised code has 8 characters of CodeAlphabet.
// It says nothing about whether the code was issued.
func ValidCodeFormat(code string) bool {
	if len(code) != CodeLength {
		return false
	}
	for i := 0; i < len(code); i++ {
		if strings.IndexByte(CodeAlphabet, code[i]) < 0 {
			return false
		}
	}
	return true
}

// GenerateCode returns a new random registration code from crypto/rand. Bytes at or
// above the largest multiple of the alphabet size are discarded, so every
// character is equally likely (no modulo bias).
func GenerateCode() string {
	const n = len(CodeAlphabet)
	const limit = 256 - 256%n // accept bytes below this multiple of n
	out := make([]byte, 0, CodeLength)
	buf := make([]byte, 2*CodeLength)
	for len(out) < CodeLength {
		rand.Read(buf) // never returns an error (crypto/rand, Go 1.24+)
		for _, b := range buf {
			if int(b) < limit && len(out) < CodeLength {
				out = append(out, CodeAlphabet[int(b)%n])
			}
		}
	}
	return string(out)
}
