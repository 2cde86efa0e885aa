package domain

import (
	"strings"
	"time"
	"unicode"
)

// Limits of WeChat subscribe message fields; longer values are refused (47003).
const (
	WxThingMax           = 20 // thing: characters
	WxPhraseMax          = 5  // phrase: Chinese characters
	WxCharacterStringMax = 32 // character_string: ASCII characters
	WxNameMax            = 10 // name: Chinese characters (or 20 ASCII characters)
	wxNameASCIIMax       = 20
)

// WxThing formats a "thing" field: whitespace runs become one space and a value
// over 20 characters is cut to 19 plus "…".
func WxThing(s string) string {
	r := []rune(squashSpace(s))
	if len(r) <= WxThingMax {
		return string(r)
	}
	return string(r[:WxThingMax-1]) + "…"
}

// WxPhrase formats a "phrase" field: only Chinese characters are kept, at most 5.
func WxPhrase(s string) string {
	return string(firstRunes(keepRunes(s, isHan), WxPhraseMax))
}

// WxCharacterString formats a "character_string" field: only visible ASCII
// (letters, digits, symbols; no spaces) is kept, at most 32 characters.
func WxCharacterString(s string) string {
	return string(firstRunes(keepRunes(s, isVisibleASCII), WxCharacterStringMax))
}

// WxName formats a "name" field: at most 10 characters, or 20 when the name is
// entirely printable ASCII; whitespace runs become one space.
func WxName(s string) string {
	s = squashSpace(s)
	if strings.IndexFunc(s, func(r rune) bool { return !isPrintableASCII(r) }) < 0 {
		return string(firstRunes([]rune(s), wxNameASCIIMax))
	}
	return string(firstRunes([]rune(s), WxNameMax))
}

// WxTime formats a "time" field in Beijing time, e.g. "2025年11月13日 09:00".
func WxTime(t time.Time) string { return FormatCNTime(t) }

// squashSpace trims s and turns every run of whitespace (newlines included) into one space.
func squashSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func keepRunes(s string, keep func(rune) bool) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func firstRunes(r []rune, n int) []rune {
	if len(r) > n {
		return r[:n]
	}
	return r
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isPrintableASCII(r rune) bool { return r >= 0x20 && r < 0x7f }

func isVisibleASCII(r rune) bool { return r > 0x20 && r < 0x7f }
