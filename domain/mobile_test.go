package domain

import "testing"

func TestNormalizeMobile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812341234", "13812341234"},
		{" 138 1234 1234 ", "13812341234"},
		{"138-1234-1234", "13812341234"},
		{"+8613812341234", "13812341234"},
		{"+86 138 1234 1234", "13812341234"},
		{"8613812341234", "13812341234"},
		{"008613812341234", "13812341234"},
		{"１３８１２３４１２３４", "13812341234"},
		{"＋86－138－1234－1234", "13812341234"},
		{"18612341234", "18612341234"}, // starts with 86 but is already 11 digits
		{"861234", "861234"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeMobile(tt.in); got != tt.want {
			t.Errorf("NormalizeMobile(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidMobile(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"13812341234", true},
		{"19912341234", true},
		{"16612341234", true},
		{"12812341234", false}, // second digit 2
		{"10812341234", false},
		{"23812341234", false},
		{"1381234123", false},
		{"138123412345", false},
		{"1381234123a", false},
		{"138 1234 123", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidMobile(tt.in); got != tt.want {
			t.Errorf("ValidMobile(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
