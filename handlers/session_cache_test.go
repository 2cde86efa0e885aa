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
