package domain

import "testing"

func TestCertNo(t *testing.T) {
	tests := []struct {
		no    string
		level Level
		ok    bool
	}{
		{"S000000000000002000001", 2, true}, // 16th character is 2
		{"Y440000000000005123456", 5, true},
		{"S000000000000001000001", 1, true},
		{"S000000000000002000001", 3, false}, // level differs
		{"S000000000000006000001", 6, false}, // not a level digit
		{"S000000000000000000001", 0, false},
		{"X000000000000002000001", 2, false},
		{"s000000000000002000001", 2, false}, // normalise first
		{"S00000000000000200000", 2, false},  // 21 characters
		{"S0000000000000020000012", 2, false},
		{"S00000000000000200000A", 2, false},
		{"", 2, false},
	}
	for _, tt := range tests {
		if got := ValidCertNo(tt.no, tt.level); got != tt.ok {
			t.Errorf("ValidCertNo(%q, %d) = %v, want %v", tt.no, tt.level, got, tt.ok)
		}
	}
	if l, ok := CertNoLevel("Y440000000000004123456"); !ok || l != Level4 {
		t.Errorf("CertNoLevel = %d, %v", l, ok)
	}
	if got := NormalizeCertNo(" s000000000000002000001 "); got != "S000000000000002000001" {
		t.Errorf("NormalizeCertNo = %q", got)
	}
}
