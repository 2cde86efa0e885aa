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

// NormalizeCode turns a registration code as people type or say it into a
// comparable one: NFKC folds full-width letters and digits (ＲＧＺＮ２５ＧＤ from a
// Chinese input method) to ASCII, every space, dash (- – — ― − and the like)
// and punctuation mark (anywhere: WeChat's speech recognition ends a sentence
// with "。" and may put commas between letters) is dropped, Chinese digits
// (二五, 〇, 幺, 两) become ASCII digits ("R G Z N 二五 G D" read aloud), and
// ASCII letters are upper-cased. It is the one normalisation every door (API,
// mini-program, web, chat by text or voice) goes through.
func NormalizeCode(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || unicode.IsPunct(r) || r == '\u2212' {
			return -1
		}
		if d, ok := chineseDigits[r]; ok {
			return d
		}
		return r
	}, norm.NFKC.String(s))
	return upperASCII(s)
}

// chineseDigits are the digits as speech recognition and people write them.
var chineseDigits = map[rune]rune{
	'零': '0', '〇': '0', '一': '1', '幺': '1', '二': '2', '两': '2', '三': '3', '四': '4',
	'五': '5', '六': '6', '七': '7', '八': '8', '九': '9',
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
