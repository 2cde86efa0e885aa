package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/internal/testenv"
)

// loginFrom posts a sign-in with a never-issued code and an X-Forwarded-For.
func loginFrom(t *testing.T, app *testenv.App, xff string) *testenv.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/v1/auth/login", strings.NewReader(`{"code":"never-issued"}`))
	req.Header.Set("Content-Type", "application/json")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	return app.Client().Send(t, req)
}

// A client cannot lift a per-IP limit by writing its own X-Forwarded-For: the
// header counts only from SKILLCERT_TRUSTED_PROXIES.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	dsn := testenv.NewDSN(t, "sqlite")
	app := testenv.Start(t, dsn, testenv.Options{Env: map[string]string{"SKILLCERT_LOGIN_RATE": "3"}})
	app.Clock.Set(time.Date(2026, 3, 10, 2, 0, 5, 0, time.UTC))
	for i := 0; i < 3; i++ {
		wantError(t, loginFrom(t, app, fmt.Sprintf("203.0.113.%d", i+1)), http.StatusBadRequest, "login_code_invalid")
	}
	// A fourth forged address is still the same client (loopback): refused.
	wantError(t, loginFrom(t, app, "203.0.113.99"), http.StatusTooManyRequests, "rate_limited")

	// Behind a trusted proxy (here: loopback) the header names the client.
	proxied := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Env: map[string]string{
		"SKILLCERT_LOGIN_RATE": "3", "SKILLCERT_TRUSTED_PROXIES": "127.0.0.1/32, ::1"}})
	proxied.Clock.Set(time.Date(2026, 3, 10, 2, 0, 5, 0, time.UTC))
	for i := 0; i < 3; i++ {
		wantError(t, loginFrom(t, proxied, "198.51.100.7"), http.StatusBadRequest, "login_code_invalid")
	}
	wantError(t, loginFrom(t, proxied, "198.51.100.7"), http.StatusTooManyRequests, "rate_limited")
	// The rightmost untrusted hop counts: a client's own prefix is not believed.
	wantError(t, loginFrom(t, proxied, "10.9.9.9, 198.51.100.7"), http.StatusTooManyRequests, "rate_limited")
	wantError(t, loginFrom(t, proxied, "198.51.100.8"), http.StatusBadRequest, "login_code_invalid")
}

// A classroom of 60 behind one NAT, each mistyping twice before the right code,
// is never blocked; one candidate is blocked after 10 failures everywhere.
func TestCodeGuessClassroomAndCandidate(t *testing.T) {
	e := newRegEnv(t, testenv.NewDSN(t, "sqlite"), map[string]string{"SKILLCERT_TRUSTED_PROXIES": "127.0.0.1"})
	_, code := e.plan(t, planSpec{})
	const nat = "203.0.113.50"
	var wg sync.WaitGroup
	errs := make(chan string, 60)
	for i := 0; i < 60; i++ {
		c := e.candidate(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, typed := range []string{"ZZZZZZZZ", "YYYYYYYY", code} {
				res := lookup(t, c, typed, nat)
				want := http.StatusNotFound
				if typed == code {
					want = http.StatusOK
				}
				if res.Status != want {
					errs <- fmt.Sprintf("%s: %d %s", typed, res.Status, res.Body)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}

	// One candidate: 10 failures (from several addresses) block even the right code.
	c := e.candidate(t)
	for i := 0; i < 10; i++ {
		wantError(t, lookup(t, c, "ZZZZZZZZ", fmt.Sprintf("198.51.100.%d", i+1)), http.StatusNotFound, "code_not_found")
	}
	wantError(t, lookup(t, c, code, "198.51.100.200"), http.StatusTooManyRequests, "code_guess_limited")
	// ... while a classmate on the same network goes on.
	if res := lookup(t, e.candidate(t), code, "198.51.100.1"); res.Status != http.StatusOK {
		t.Fatalf("classmate: %d %s", res.Status, res.Body)
	}
}

// 120 parallel wrong guesses from one account: at most 10 are evaluated.
func TestCodeGuessCountedAtomically(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		e.plan(t, planSpec{})
		c := e.candidate(t)
		var mu sync.Mutex
		counts := map[int]int{}
		var wg sync.WaitGroup
		for i := 0; i < 120; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := lookup(t, c, "ZZZZZZZZ", "")
				mu.Lock()
				counts[res.Status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if counts[http.StatusNotFound] > 10 || counts[http.StatusNotFound]+counts[http.StatusTooManyRequests] != 120 {
			t.Fatalf("statuses %v: want at most 10 evaluated (404), the rest 429", counts)
		}
	})
}

// A code-space scan from many accounts and addresses trips the global limit.
func TestCodeGuessGlobalLimit(t *testing.T) {
	e := newRegEnv(t, testenv.NewDSN(t, "sqlite"), map[string]string{
		"SKILLCERT_TRUSTED_PROXIES": "127.0.0.1", "SKILLCERT_CODE_GUESS_GLOBAL_LIMIT": "15"})
	_, code := e.plan(t, planSpec{})
	for i := 0; i < 15; i++ {
		wantError(t, lookup(t, e.candidate(t), "ZZZZZZZZ", fmt.Sprintf("192.0.2.%d", i+1)), http.StatusNotFound, "code_not_found")
	}
	wantError(t, lookup(t, e.candidate(t), code, "192.0.2.100"), http.StatusTooManyRequests, "code_guess_limited")
}
