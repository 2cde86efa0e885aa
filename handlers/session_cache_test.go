package handlers_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// TestSessionCache: a replica remembers the sessions it looked up and trusts
// them while it follows the session revocation feed. A sign-out recorded by
// another replica (in the feed) is refused here within SessionFeedTrust; a
// change made by hand outside the feed within SessionHold; expiry and a
// logout on this replica at once. A replica that cannot read the feed trusts
// nothing it remembers.
func TestSessionCache(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		ctx := context.Background()
		now := time.Now()
		app.Clock.Set(now)
		revokeByHand := func(c *testenv.Client) {
			t.Helper()
			if _, err := app.DB.W.Exec(app.DB.W.Rebind(`UPDATE candidate_sessions SET revoked_at = ? WHERE candidate_id = ?`), now.UTC(), c.CandidateID); err != nil {
				t.Fatal(err)
			}
		}
		// refusedWithin waits for the replica to refuse c's token.
		refusedWithin := func(c *testenv.Client, within time.Duration) time.Duration {
			t.Helper()
			start := time.Now()
			for c.Get(t, "/api/v1/me").Status != 401 {
				if time.Since(start) > within {
					t.Fatalf("the session is still accepted %s after it ended", time.Since(start))
				}
				time.Sleep(20 * time.Millisecond)
			}
			return time.Since(start)
		}
		waitTrusted := func(c *testenv.Client) {
			t.Helper()
			// The feed is read from its head at start; until then nothing is trusted.
			deadline := time.Now().Add(core.SessionFeedTrust)
			for {
				if r := c.Get(t, "/api/v1/me"); r.Status != 200 {
					t.Fatalf("me: %d %s", r.Status, r.Body)
				}
				revokeByHand(c)
				if r := c.Get(t, "/api/v1/me"); r.Status == 200 {
					return // remembered: the hand-made change is not read
				}
				if time.Now().After(deadline) {
					t.Fatal("the replica never trusts a session it remembers")
				}
				c = testenv.SignIn(t, app) // that one is gone; try with another
				time.Sleep(50 * time.Millisecond)
			}
		}

		// Changed by hand, outside the feed: still trusted here, until SessionHold.
		c := testenv.SignIn(t, app)
		waitTrusted(c)
		remembered, read := testenv.MetricValue(t, app.Metrics(t), "skillcert_sessions_remembered_total"), testenv.MetricValue(t, app.Metrics(t), "skillcert_session_reads_total")
		if remembered < 2 {
			t.Errorf("sessions remembered %v: want the requests above counted", remembered)
		}
		if age := testenv.MetricValue(t, app.Metrics(t), "skillcert_session_feed_age_seconds"); age > core.SessionFeedTrust.Seconds() {
			t.Errorf("session feed age %v s while the feed is followed", age)
		}
		app.Clock.Set(now.Add(core.SessionHold + time.Second))
		if r := c.Get(t, "/api/v1/me"); r.Status != 401 {
			t.Fatalf("past SessionHold a session revoked by hand must fail: %d", r.Status)
		}
		if n := testenv.MetricValue(t, app.Metrics(t), "skillcert_session_reads_total"); n != read+1 {
			t.Errorf("session reads %v, want %v: the request past SessionHold reads its session", n, read+1)
		}
		app.Clock.Set(now)

		// Another replica's sign-out goes through the feed: refused here
		// within SessionFeedTrust, although remembered.
		d := testenv.SignIn(t, app)
		if r := d.Get(t, "/api/v1/me"); r.Status != 200 {
			t.Fatalf("me: %d", r.Status)
		}
		if err := app.DB.RevokeSession(ctx, core.HashToken(d.Token), now.UTC()); err != nil {
			t.Fatal(err)
		}
		t.Logf("a sign-out elsewhere refused here after %s", refusedWithin(d, core.SessionFeedTrust).Round(time.Millisecond))

		// A logout here ends the session at once, cached or not.
		l := testenv.SignIn(t, app)
		l.Get(t, "/api/v1/me")
		if r := l.Do(t, "POST", "/api/v1/auth/logout", nil); r.Status != 204 {
			t.Fatalf("logout: %d", r.Status)
		}
		if r := l.Get(t, "/api/v1/me"); r.Status != 401 {
			t.Fatalf("after logout: %d", r.Status)
		}

		// Expiry is checked against the session's end even when cached.
		e := testenv.SignIn(t, app)
		app.Clock.Set(now.Add(core.SessionTTL - time.Second))
		e.Get(t, "/api/v1/me")
		app.Clock.Set(now.Add(core.SessionTTL + time.Second))
		if r := e.Get(t, "/api/v1/me"); r.Status != 401 {
			t.Fatalf("an expired session was trusted from the cache: %d", r.Status)
		}
		app.Clock.Set(now)

		// The feed unreadable: within SessionFeedTrust the replica reads every
		// session from the database, so a change by hand is seen at once.
		f := testenv.SignIn(t, app)
		if r := f.Get(t, "/api/v1/me"); r.Status != 200 {
			t.Fatalf("me: %d", r.Status)
		}
		if _, err := app.DB.W.Exec(`DROP TABLE session_revocations`); err != nil {
			t.Fatal(err)
		}
		time.Sleep(core.SessionFeedTrust + 500*time.Millisecond)
		if r := f.Get(t, "/api/v1/me"); r.Status != 200 {
			t.Fatalf("a valid session with the feed unreadable: %d", r.Status)
		}
		revokeByHand(f)
		if r := f.Get(t, "/api/v1/me"); r.Status != 401 {
			t.Fatalf("with the feed unreadable a remembered session was trusted: %d", r.Status)
		}
	})
}

// TestSessionLookupsTogether: requests that arrive together with sessions this
// replica does not remember are looked up together, each answered as by a
// lookup of its own: valid sessions in, revoked, expired and unknown ones out.
func TestSessionLookupsTogether(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		now := time.Now()
		app.Clock.Set(now)
		const n = 90
		clients := make([]*testenv.Client, n)
		for i := range clients {
			clients[i] = testenv.SignIn(t, app)
		}
		// Every third revoked elsewhere, every third but one expired, the rest
		// valid; then past the time a replica trusts what it remembers.
		for i, c := range clients {
			switch i % 3 {
			case 1:
				if _, err := app.DB.W.Exec(app.DB.W.Rebind(`UPDATE candidate_sessions SET revoked_at = ? WHERE candidate_id = ?`), now.UTC(), c.CandidateID); err != nil {
					t.Fatal(err)
				}
			case 2:
				if _, err := app.DB.W.Exec(app.DB.W.Rebind(`UPDATE candidate_sessions SET expires_at = ? WHERE candidate_id = ?`), now.UTC().Add(time.Second), c.CandidateID); err != nil {
					t.Fatal(err)
				}
			}
		}
		app.Clock.Set(now.Add(core.SessionHold + time.Second))
		unknown := *clients[0]
		unknown.Token = "not-a-token-of-anyone"
		all := append(clients, &unknown)
		status := make([]int, len(all))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, c := range all {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				status[i] = c.Get(t, "/api/v1/me").Status
			}()
		}
		close(start)
		wg.Wait()
		for i, s := range status {
			want := 401
			if i < n && i%3 == 0 {
				want = 200
			}
			if s != want {
				t.Errorf("request %d: %d, want %d", i, s, want)
			}
		}
	})
}

// TestSessionCheckAhead: the sessions in use on a replica are read again, in
// batches, before the end of their hold (CheckHeldSessions), so their next
// requests past that end are still trusted from memory instead of each reading
// its session; a session changed by hand meanwhile is forgotten by the check,
// and a session not used since its read is left to expire.
func TestSessionCheckAhead(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		ctx := context.Background()
		now := time.Now()
		app.Clock.Set(now)
		reads := func() float64 {
			t.Helper()
			return testenv.MetricValue(t, app.Metrics(t), "skillcert_session_reads_total")
		}
		me := func(c *testenv.Client, want int) {
			t.Helper()
			if r := c.Get(t, "/api/v1/me"); r.Status != want {
				t.Fatalf("me: %d %s, want %d", r.Status, r.Body, want)
			}
		}
		active, changed, idle := testenv.SignIn(t, app), testenv.SignIn(t, app), testenv.SignIn(t, app)
		// Remembered and trusted: wait until the feed is followed.
		deadline := time.Now().Add(2 * core.SessionFeedTrust)
		for {
			before := reads()
			me(active, 200)
			if reads() == before {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the replica never trusts a session it remembers")
			}
			time.Sleep(50 * time.Millisecond)
		}
		me(changed, 200)

		// Too early: nothing is due while more than half of the hold is left.
		if kept, dropped, err := app.Core.CheckHeldSessions(ctx); err != nil || kept+dropped != 0 {
			t.Fatalf("check at the start of the hold: kept %d dropped %d err %v", kept, dropped, err)
		}
		if _, err := app.DB.W.Exec(app.DB.W.Rebind(`UPDATE candidate_sessions SET revoked_at = ? WHERE candidate_id = ?`), now.UTC(), changed.CandidateID); err != nil {
			t.Fatal(err)
		}
		app.Clock.Set(now.Add(core.SessionHold/2 + time.Second))
		if _, _, err := app.Core.CheckHeldSessions(ctx); err != nil {
			t.Fatal(err)
		}
		// The replica's own check (every 15 s from its start) may have run
		// first; either way the two used sessions were read, once.
		if n := app.Core.SessionsChecked(); n != 2 {
			t.Errorf("sessions checked %d, want 2: the active one and the one revoked by hand, not the idle one", n)
		}
		// Dropped by the check: read again, and refused, within the hold.
		before := reads()
		me(changed, 401)
		if n := reads(); n != before+1 {
			t.Errorf("session reads %v → %v, want +1 (the revoked session)", before, n)
		}

		// Past the end of the first hold: the active session is still trusted
		// from memory; the idle one reads its session.
		app.Clock.Set(now.Add(core.SessionHold + time.Second))
		before = reads()
		me(active, 200)
		if n := reads(); n != before {
			t.Errorf("session reads %v → %v: the checked session was read again by its request", before, n)
		}
		me(idle, 200)
		if n := reads(); n != before+1 {
			t.Errorf("session reads %v → %v, want +1 (the idle session)", before, n)
		}
	})
}
