package domain

import (
	"strings"
	"testing"
)

func TestCodeAlphabet(t *testing.T) {
	for _, c := range "01OIL" {
		if strings.ContainsRune(CodeAlphabet, c) {
			t.Errorf("alphabet contains look-alike %q", c)
		}
	}
	seen := map[rune]bool{}
	for _, c := range CodeAlphabet {
		if seen[c] {
			t.Errorf("alphabet repeats %q", c)
		}
		seen[c] = true
	}
	if len(CodeAlphabet) != 31 {
		t.Errorf("alphabet has %d characters", len(CodeAlphabet))
	}
}

func TestNormalizeAndValidCode(t *testing.T) {
	tests := []struct {
		in, norm string
		valid    bool
	}{
		{"ABCD2345", "ABCD2345", true},
		{" abcd2345 ", "ABCD2345", true},
		{"zzzz9999", "ZZZZ9999", true},
		{"ABCD234", "ABCD234", false},
		{"ABCD23456", "ABCD23456", false},
		{"ABCD2340", "ABCD2340", false}, // 0
		{"ABCD234O", "ABCD234O", false}, // O
		{"ABCD2341", "ABCD2341", false}, // 1
		{"ABCD234l", "ABCD234L", false}, // l
		{"ABCD234i", "ABCD234I", false}, // i
		{"ABC 2345", "ABC2345", false},
		{"ＡBCD2345", "ABCD2345", true},
		{"ＲＧＺＮ２５ＧＤ", "RGZN25GD", true},   // full-width, as Chinese input methods type it
		{"ｒｇｚｎ２５ｇｄ", "RGZN25GD", true},   // full-width lower case
		{"RGZN-25GD", "RGZN25GD", true},  // dashes people add for readability
		{"RGZN－２５－GD", "RGZN25GD", true}, // full-width dash
		{"RGZN—25–GD", "RGZN25GD", true}, // em and en dashes
		{"RGZN\u3000 25\tGD", "RGZN25GD", true},
		{"RGZN−25GD", "RGZN25GD", true},       // minus sign
		{"R G Z N 二五 G D", "RGZN25GD", true},  // read aloud, as speech recognition writes it
		{"RGZN25GD。", "RGZN25GD", true},       // recognition ends a sentence with a full stop
		{"R，G，Z，N，两五，G，D。", "RGZN25GD", true}, // and puts commas between letters
		{"ＲＧＺＮ 二 ５ ｇｄ", "RGZN25GD", true},     // mixed widths and digits
		{"报名码", "报名码", false},
		{"", "", false},
	}
	for _, tt := range tests {
		n := NormalizeCode(tt.in)
		if n != tt.norm {
			t.Errorf("NormalizeCode(%q) = %q, want %q", tt.in, n, tt.norm)
		}
		if got := ValidCodeFormat(n); got != tt.valid {
			t.Errorf("ValidCodeFormat(%q) = %v, want %v", n, got, tt.valid)
		}
	}
}

func TestGenerateCode(t *testing.T) {
	const rounds = 4000
	counts := map[rune]int{}
	seen := map[string]bool{}
	for i := 0; i < rounds; i++ {
		c := GenerateCode()
		if !ValidCodeFormat(c) || NormalizeCode(c) != c {
			t.Fatalf("GenerateCode() = %q", c)
		}
		seen[c] = true
		for _, r := range c {
			counts[r]++
		}
	}
	if len(seen) < rounds-1 {
		t.Errorf("only %d distinct codes in %d", len(seen), rounds)
	}
	// 32000 characters over 31 symbols: about 1032 each. Every symbol must appear and
	// none may be far off (a loose bound; the point is catching a broken generator).
	if len(counts) != len(CodeAlphabet) {
		t.Errorf("%d of %d symbols used", len(counts), len(CodeAlphabet))
	}
	for r, n := range counts {
		if n < 800 || n > 1300 {
			t.Errorf("symbol %q appears %d times", r, n)
		}
	}
}
