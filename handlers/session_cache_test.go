package handlers_test

import (
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
