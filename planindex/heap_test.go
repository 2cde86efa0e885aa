package planindex_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/repo"
)

// TestReadModelHeap reports the live heap of the read model of 100,000
// generated plans after a full load and a search mix (as the startup bench
// does). It runs only when SKILLCERT_HEAP_PLANS is set (to a plan count);
// SKILLCERT_HEAP_PROFILE names a file for the heap profile:
//
//	SKILLCERT_HEAP_PLANS=100000 SKILLCERT_HEAP_PROFILE=/tmp/heap.pb.gz go test -run TestReadModelHeap -v ./planindex/
//	go tool pprof -top -sample_index=inuse_space /tmp/heap.pb.gz
func TestReadModelHeap(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SKILLCERT_HEAP_PLANS"))
	if n <= 0 {
		t.Skip("set SKILLCERT_HEAP_PLANS to a plan count")
	}
	ctx := context.Background()
	db, now := plansDB(t, filepath.Join(t.TempDir(), "h.db"), repo.Options{}, n, 42, nil)
	base := liveHeap()
	c := core.New(core.Deps{DB: db, Now: func() time.Time { return now }})
	t0 := time.Now()
	if err := c.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	built := time.Since(t0)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	peak := ms.HeapInuse
	queries := []core.PlanQuery{{}, {Level: 2}, {Level: 5, Status: "open"}, {City: "广州市"}, {Occupation: "电工"},
		{Occupation: "师"}, {Status: "closed", Page: 500}, {Page: 200, PageSize: 50}, {Sort: "newest"},
		{Status: "upcoming", Sort: "eval_start"}, {Occupation: "焊", City: "佛山市"}}
	for i := range 500 {
		q := queries[i%len(queries)]
		if q.Page == 0 {
			q.Page = 1 + i/len(queries)
		}
		if _, err := c.SearchPlans(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	live := liveHeap() - base
	t.Logf("%d plans: read model built in %v; live heap of the read model %.1f MB (%d B/plan); heap in use right after the build %.1f MB",
		n, built.Round(time.Millisecond), float64(live)/1e6, live/uint64(n), float64(peak)/1e6)
	if f := os.Getenv("SKILLCERT_HEAP_PROFILE"); f != "" {
		out, err := os.Create(f)
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		if err := pprof.Lookup("heap").WriteTo(out, 0); err != nil {
			t.Fatal(err)
		}
	}
	runtime.KeepAlive(c)
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
