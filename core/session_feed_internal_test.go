package core

import (
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"skillcert/repo"
)

// TestSessionCacheEndsWin: a lookup that read the database before a session
// ended (here or by the feed) cannot put it back into the cache; one that read
// it after can. Nothing is trusted until the feed has been read, nor after a
// restart from the feed's head.
func TestSessionCacheEndsWin(t *testing.T) {
	var sc sessionCache
	now := time.Now()
	s := repo.Session{CandidateID: 7, ExpiresAt: now.Add(time.Hour)}
	sc.put("a", s, now, time.Now())
	if _, ok := sc.get("a", now); ok {
		t.Fatal("trusted before the feed was read")
	}
	sc.applied(nil, time.Now(), false)
	if id, ok := sc.get("a", now); !ok || id != 7 {
		t.Fatalf("remembered session: %d %v", id, ok)
	}

	before := time.Now()
	sc.forget("a")
	sc.put("a", s, now, before) // a lookup that started before the sign-out
	if _, ok := sc.get("a", now); ok {
		t.Fatal("a read from before the sign-out put the session back")
	}

	readB := time.Now()
	sc.put("b", s, now, readB)
	sc.applied([]repo.SessionRevocation{{ID: 1, TokenHash: "b"}}, time.Now(), false)
	sc.put("b", s, now, readB) // the same lookup, answered after the feed told
	if _, ok := sc.get("b", now); ok {
		t.Fatal("the feed's end was undone by an older read")
	}

	sc.put("c", s, now, time.Now())
	head := time.Now()
	sc.put("d", s, now, time.Now()) // read after the head's read began
	sc.applied(nil, head, true)
	if _, ok := sc.get("c", now); ok {
		t.Fatal("a restart from the feed's head kept a session read before it")
	}
	if _, ok := sc.get("d", now); !ok {
		t.Fatal("a restart from the feed's head dropped a session read after it began")
	}
	sc.put("c", s, now, time.Now())
	if _, ok := sc.get("c", now.Add(SessionHold)); ok {
		t.Fatal("held past SessionHold")
	}
	sc.feedAt = time.Now().Add(-SessionFeedTrust - time.Millisecond)
	if _, ok := sc.get("c", now); ok {
		t.Fatal("trusted with the feed unread for longer than SessionFeedTrust")
	}
}

// TestSessionCacheChecks: only sessions used since their read and within half
// of SessionHold of its end are due; a check holds the valid ones again and
// drops the others, but neither brings back a session that ended here after
// the check's read began nor drops one read again since.
func TestSessionCacheChecks(t *testing.T) {
	var sc sessionCache
	now := time.Now()
	s := repo.Session{CandidateID: 7, ExpiresAt: now.Add(time.Hour)}
	sc.applied(nil, time.Now(), false)
	for _, h := range []string{"used", "idle", "gone", "ended", "newer"} {
		sc.put(h, s, now, time.Now())
	}
	for _, h := range []string{"used", "gone", "ended", "newer"} {
		if _, ok := sc.get(h, now); !ok {
			t.Fatalf("%s not remembered", h)
		}
	}
	if due := sc.due(now.Add(SessionHold/2-time.Second), 100); len(due) != 0 {
		t.Fatalf("due with more than half the hold left: %v", due)
	}
	later := now.Add(SessionHold/2 + time.Second)
	due := sc.due(later, 100)
	slices.Sort(due)
	if want := []string{"ended", "gone", "newer", "used"}; !slices.Equal(due, want) {
		t.Fatalf("due %v, want %v", due, want)
	}
	if n := len(sc.due(later, 2)); n != 2 {
		t.Fatalf("due bounded to 2: %d", n)
	}

	readAt := time.Now()
	sc.forget("ended")                                      // ended here after the check's read began
	sc.put("newer", s, later, time.Now())                   // read again by a request since
	found := map[string]repo.Session{"used": s, "ended": s} // "gone" and "newer" not found
	kept, dropped := sc.checked(due, found, later, readAt)
	if kept != 2 || dropped != 2 {
		t.Fatalf("kept %d dropped %d", kept, dropped)
	}
	if due := sc.due(now.Add(SessionHold+SessionHold/2), 100); len(due) != 0 {
		t.Errorf("due right after the check: %v; a session held again is due only once used again", due)
	}
	end := now.Add(SessionHold + time.Second) // past the first hold
	if _, ok := sc.get("used", end); !ok {
		t.Error("a checked session is not held again")
	}
	if _, ok := sc.get("gone", later); ok {
		t.Error("a session the check did not find is still trusted")
	}
	if _, ok := sc.get("ended", later); ok {
		t.Error("the check brought back a session that ended after its read began")
	}
	if _, ok := sc.get("newer", later); !ok {
		t.Error("the check dropped a session read again after its read began")
	}
	if _, ok := sc.get("idle", end); ok {
		t.Error("a session not used since its read was held past SessionHold")
	}
	due = sc.due(now.Add(SessionHold+SessionHold/2), 100)
	slices.Sort(due)
	if want := []string{"newer", "used"}; !slices.Equal(due, want) {
		t.Errorf("due once used again: %v, want %v", due, want)
	}
}

// TestSessionCacheChecksInParallel: requests, sign-outs and checks on one
// cache at once (run with -race); a session signed out is never trusted
// afterwards, whatever check ran around it.
func TestSessionCacheChecksInParallel(t *testing.T) {
	var sc sessionCache
	now := time.Now()
	s := repo.Session{CandidateID: 7, ExpiresAt: now.Add(time.Hour)}
	sc.applied(nil, time.Now(), false)
	const n = 200
	hash := func(i int) string { return "h" + strconv.Itoa(i) }
	for i := 0; i < n; i++ {
		sc.put(hash(i), s, now, time.Now())
	}
	later := now.Add(SessionHold/2 + time.Second)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n; i++ {
				sc.get(hash(i), later)
			}
		}()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i += 2 {
			sc.forget(hash(i))
		}
	}()
	go func() {
		defer wg.Done()
		for k := 0; k < 20; k++ {
			readAt := time.Now()
			due := sc.due(later, n)
			found := map[string]repo.Session{}
			for _, h := range due {
				found[h] = s // the database still finds them all
			}
			sc.checked(due, found, later, readAt)
		}
	}()
	wg.Wait()
	for i := 0; i < n; i += 2 {
		if _, ok := sc.get(hash(i), later); ok {
			t.Fatalf("%s trusted after its sign-out", hash(i))
		}
	}
}
