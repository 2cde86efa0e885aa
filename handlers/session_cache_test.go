package handlers_test

import (
	"sync"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// TestSessionCache: a replica trusts a session it looked up for
// SessionCacheTTL, so a revocation made elsewhere takes effect within that time;
// expiry and a logout on this replica take effect at once.
func TestSessionCache(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		now := time.Now()
		app.Clock.Set(now)
		c := testenv.SignIn(t, app)
		if r := c.Get(t, "/api/v1/me"); r.Status != 200 {
			t.Fatalf("me: %d %s", r.Status, r.Body)
		}
		// Another replica logs the session out: the row is revoked.
		if _, err := app.DB.W.Exec(`UPDATE candidate_sessions SET revoked_at = ? WHERE candidate_id = ?`, now.UTC(), c.CandidateID); err != nil {
			t.Fatal(err)
		}
		if r := c.Get(t, "/api/v1/me"); r.Status != 200 {
			t.Fatalf("within the cache time the session is still trusted here: %d", r.Status)
		}
		app.Clock.Set(now.Add(core.SessionCacheTTL + time.Second))
		if r := c.Get(t, "/api/v1/me"); r.Status != 401 {
			t.Fatalf("after the cache time a revoked session must fail: %d", r.Status)
		}

		// A logout here ends the session at once, cached or not.
		d := testenv.SignIn(t, app)
		d.Get(t, "/api/v1/me")
		if r := d.Do(t, "POST", "/api/v1/auth/logout", nil); r.Status != 204 {
			t.Fatalf("logout: %d", r.Status)
		}
		if r := d.Get(t, "/api/v1/me"); r.Status != 401 {
			t.Fatalf("after logout: %d", r.Status)
		}

		// Expiry is checked against the session's end even when cached.
		app.Clock.Set(now)
		e := testenv.SignIn(t, app)
		app.Clock.Set(now.Add(core.SessionTTL - time.Second))
		e.Get(t, "/api/v1/me") // cached now, trusted for SessionCacheTTL
		app.Clock.Set(now.Add(core.SessionTTL + time.Second))
		if r := e.Get(t, "/api/v1/me"); r.Status != 401 {
			t.Fatalf("an expired session was trusted from the cache: %d", r.Status)
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
		app.Clock.Set(now.Add(core.SessionCacheTTL + time.Second))
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
