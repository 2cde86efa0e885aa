package domain

import (
	"unicode/utf8"
)

// bidiControls are the Unicode bidirectional formatting characters: they make
// text display in another order than it is stored (U+202E turns "txt.exe" into
// what looks like "exe.txt"), so no field of ours takes them.
var bidiControls = map[rune]bool{
	'\u061C': true, '\u200E': true, '\u200F': true,
	'\u202A': true, '\u202B': true, '\u202C': true, '\u202D': true, '\u202E': true,
	'\u2066': true, '\u2067': true, '\u2068': true, '\u2069': true,
}

// ValidText is the one rule every text field of every door obeys (the API,
// the console, the web pages, the chat): valid UTF-8 (never silently turned into
// U+FFFD) and no bidirectional control characters. It returns the field error
// to answer, or nil.
func ValidText(field, s string) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "invalid_utf8", "内容包含无法识别的字符，请重新输入（请使用 UTF-8 编码）")
	}
	for _, r := range s {
		if bidiControls[r] {
			return Invalid(field, "bidi_control", "内容包含不允许的文字方向控制字符，请删除后重新输入")
		}
	}
	return nil
}
