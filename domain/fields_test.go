package domain

import "testing"

func TestValidYearsInOccupation(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want bool
	}{{-1, false}, {0, true}, {1, true}, {60, true}, {61, false}} {
		if got := ValidYearsInOccupation(tt.n); got != tt.want {
			t.Errorf("ValidYearsInOccupation(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}
