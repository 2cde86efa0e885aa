package core

import (
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
