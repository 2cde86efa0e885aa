package domain

import (
	"crypto/rand"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CodeAlphabet is the alphabet of registration codes (报名码): digits and capital
// letters without the look-alikes 0/O and 1/I/L.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLength is the length of a registration code.
const CodeLength = 8

// NormalizeCode turns a registration code as people type it into a comparable
// one: NFKC folds full-width letters and digits (ＲＧＺＮ２５ＧＤ from a Chinese input
// method) to ASCII, every space and dash (- – — ― − and the like, anywhere) is
// dropped, and ASCII letters are upper-cased. It is the one normalisation every
// door (API, mini-program, chat) goes through.
func NormalizeCode(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || r == '\u2212' {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
	return upperASCII(s)
}

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
