package planindex

import (
	"math/rand/v2"
	"testing"
)

// TestBitsetWalks checks the page walks against a plain list on random sets.
func TestBitsetWalks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		n := 1 + r.IntN(300)
		b := newBitset(n)
		var want []int32
		for i := 0; i < n; i++ {
			if r.IntN(3) == 0 {
				b.set(int32(i))
				want = append(want, int32(i))
			}
		}
		if b.count() != len(want) {
			t.Fatalf("count %d, want %d", b.count(), len(want))
		}
		from := int32(r.IntN(n + 1))
		skip0, max := r.IntN(20), 1+r.IntN(20)
		var asc, desc []int32
		for _, p := range want {
			if p >= from {
				asc = append(asc, p)
			}
		}
		for i := len(want) - 1; i >= 0; i-- {
			if want[i] <= from-1 {
				desc = append(desc, want[i])
			}
		}
		check := func(name string, got, all []int32, skipLeft, skipWant int) {
			var exp []int32
			if skipWant < len(all) {
				exp = all[skipWant:min(len(all), skipWant+max)]
			}
			if len(got) != len(exp) {
				t.Fatalf("%s: got %v, want %v", name, got, exp)
			}
			for i := range got {
				if got[i] != exp[i] {
					t.Fatalf("%s: got %v, want %v", name, got, exp)
				}
			}
			if skipWant <= len(all) && skipLeft != 0 {
				t.Fatalf("%s: %d left to skip", name, skipLeft)
			}
		}
		skip := skip0
		check("ascending", b.ascending(from, &skip, nil, max), asc, skip, skip0)
		skip = skip0
		check("descending", b.descending(from-1, &skip, nil, max), desc, skip, skip0)
	}
	full := newBitset(130)
	full.fill(130)
	if full.count() != 130 {
		t.Fatalf("fill: %d", full.count())
	}
	full.clearAtomic(3)
	full.setAtomic(3)
	full.clearAtomic(129)
	if full.count() != 129 || full.has(129) || !full.has(3) {
		t.Fatal("atomic set/clear")
	}
}
