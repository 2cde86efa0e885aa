package domain

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"440308199001011234", "440308********1234"},
		{" 11010519491231002X ", "110105********002X"},
		{"", ""},
		{"A", "*"},
		{"AB1", "***"},
		{"E123", "E**3"},
		{"E1234", "E***4"},
		{"E12345", "E***45"},
		{"12345678", "1****678"},   // type 04
		{"H12345678", "H*****678"}, // type 03, 8 digits
		{"M1234567890", "M1******890"},
		{"E12345678901", "E1******8901"},
		{"ABCDEFGHIJKLMNOPQRST", "AB**************QRST"}, // 20-character passport
		{"护照号码一二三四", "护****二三四"},
	}
	for _, tt := range tests {
		got := MaskIDNumber(tt.in)
		if got != tt.want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
		n := utf8.RuneCountInString(strings.TrimSpace(tt.in))
		shown := n - strings.Count(got, "*")
		if utf8.RuneCountInString(got) != n {
			t.Errorf("MaskIDNumber(%q) changed the length", tt.in)
		}
		if n != 18 && shown > n/2 {
			t.Errorf("MaskIDNumber(%q) reveals %d of %d", tt.in, shown, n)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812341234", "138****1234"},
		{"+86 138-1234-1234", "138****1234"},
		{"", ""},
		{"12345", "1***5"},
		{"020-12345678", "020****5678"}, // 11 characters once normalised
		{"5551234", "5****34"},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
