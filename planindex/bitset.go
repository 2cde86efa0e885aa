package planindex

import (
	"math/bits"
	"sync/atomic"
)

// bitset is a set of positions 0..n-1, 64 to a word. The plan read model keeps
// one per level, city, occupation name and status; a search ANDs them, so any
// filter combination costs a few passes over n/64 words.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int32) { b[i>>6] |= 1 << (uint(i) & 63) }

func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

// setAtomic and clearAtomic change one bit while readers may be reading.
func (b bitset) setAtomic(i int32)   { atomic.OrUint64(&b[i>>6], 1<<(uint(i)&63)) }
func (b bitset) clearAtomic(i int32) { atomic.AndUint64(&b[i>>6], ^uint64(1<<(uint(i)&63))) }

// fill sets positions 0..n-1.
func (b bitset) fill(n int) {
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n & 63; r != 0 && len(b) > 0 {
		b[len(b)-1] = 1<<uint(r) - 1
	}
}

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// ascending appends to out the positions of set bits from `from` upward,
// skipping the first *skip of them, until out holds max positions.
func (b bitset) ascending(from int32, skip *int, out []int32, max int) []int32 {
	if from < 0 {
		from = 0
	}
	for wi := int(from >> 6); wi < len(b) && len(out) < max; wi++ {
		w := b[wi]
		if wi == int(from>>6) {
			w &= ^uint64(0) << (uint(from) & 63)
		}
		if c := bits.OnesCount64(w); c <= *skip {
			*skip -= c
			continue
		}
		for w != 0 && len(out) < max {
			t := bits.TrailingZeros64(w)
			w &= w - 1
			if *skip > 0 {
				*skip--
				continue
			}
			out = append(out, int32(wi*64+t))
		}
	}
	return out
}

// descending is ascending's mirror: positions from `from` downward.
func (b bitset) descending(from int32, skip *int, out []int32, max int) []int32 {
	if from < 0 || len(b) == 0 {
		return out
	}
	if last := int32(len(b)*64 - 1); from > last {
		from = last
	}
	for wi := int(from >> 6); wi >= 0 && len(out) < max; wi-- {
		w := b[wi]
		if wi == int(from>>6) {
			if r := uint(from)&63 + 1; r < 64 {
				w &= 1<<r - 1
			}
		}
		if c := bits.OnesCount64(w); c <= *skip {
			*skip -= c
			continue
		}
		for w != 0 && len(out) < max {
			t := 63 - bits.LeadingZeros64(w)
			w &^= 1 << uint(t)
			if *skip > 0 {
				*skip--
				continue
			}
			out = append(out, int32(wi*64+t))
		}
	}
	return out
}
