package feed_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"skillcert/feed"
)

// table is a feed table in memory: rows appear when "committed".
type table struct {
	mu   sync.Mutex
	rows map[int64]bool
}

func (tb *table) commit(ids ...int64) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, id := range ids {
		tb.rows[id] = true
	}
}

func (tb *table) source() feed.Source[int64] {
	sorted := func() []int64 {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		return slices.Sorted(maps.Keys(tb.rows))
	}
	return feed.Source[int64]{
		ID: func(id int64) int64 { return id },
		After: func(_ context.Context, after int64, limit int) ([]int64, error) {
			var out []int64
			for _, id := range sorted() {
				if id > after && len(out) < limit {
					out = append(out, id)
				}
			}
			return out, nil
		},
		In: func(_ context.Context, ids []int64) ([]int64, error) {
			var out []int64
			for _, id := range sorted() {
				if slices.Contains(ids, id) {
					out = append(out, id)
				}
			}
			return out, nil
		},
		Bounds: func(context.Context) (int64, int64, error) {
			ids := sorted()
			if len(ids) == 0 {
				return 0, 0, nil
			}
			return ids[0], ids[len(ids)-1], nil
		},
		IDs: func(_ context.Context, after, upTo int64) ([]int64, error) {
			var out []int64
			for _, id := range sorted() {
				if id > after && id <= upTo {
					out = append(out, id)
				}
			}
			return out, nil
		},
	}
}

// TestLateCommitsAreRead: an id skipped because its transaction had not
// committed is read when it does, from a start at the head as from a read;
// one that never appears is let go after GapTimeout.
func TestLateCommitsAreRead(t *testing.T) {
	ctx := context.Background()
	tb := &table{rows: map[int64]bool{}}
	tb.commit(1, 2, 4) // 3 is pending
	src := tb.source()
	now := time.Now()
	c, err := src.Head(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Max != 4 || len(c.Gaps) != 1 || c.Gaps[3].IsZero() {
		t.Fatalf("head: max %d gaps %v", c.Max, c.Gaps)
	}
	tb.commit(6) // 5 pending too
	c, rows, _, err := src.Read(ctx, c, now)
	if err != nil || !slices.Equal(rows, []int64{6}) || len(c.Gaps) != 2 {
		t.Fatalf("read: %v %v gaps %v", rows, err, c.Gaps)
	}
	tb.commit(3, 5)
	c, rows, _, err = src.Read(ctx, c, now.Add(time.Second))
	slices.Sort(rows)
	if err != nil || !slices.Equal(rows, []int64{3, 5}) || len(c.Gaps) != 0 {
		t.Fatalf("late commits: %v %v gaps %v", rows, err, c.Gaps)
	}
	tb.commit(8) // 7 rolled back: never appears
	c, _, _, _ = src.Read(ctx, c, now.Add(2*time.Second))
	if _, ok := c.Gaps[7]; !ok {
		t.Fatalf("7 not followed: %v", c.Gaps)
	}
	c, _, _, _ = src.Read(ctx, c, now.Add(3*time.Second+feed.GapTimeout))
	if len(c.Gaps) != 0 || c.Max != 8 {
		t.Fatalf("after GapTimeout: max %d gaps %v", c.Max, c.Gaps)
	}
}
