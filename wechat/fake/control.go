package fake

import "time"

// failRule makes the next `remaining` calls matching path fail.
type failRule struct {
	path      string // "" = every API call except the token endpoints
	remaining int
	errcode   int // WeChat errcode in a 200 reply, or
	status    int // an HTTP status with a non-JSON body
}

// FailNext makes the next n API calls (any path except /cgi-bin/token and
// /cgi-bin/stable_token) answer errcode, e.g. -1 (system busy) or 45009 (quota).
// Rules queue up in the order given.
func (s *Server) FailNext(n, errcode int) { s.addFailure(&failRule{remaining: n, errcode: errcode}) }

// FailNextOn is FailNext for one path only (token paths included).
func (s *Server) FailNextOn(path string, n, errcode int) {
	s.addFailure(&failRule{path: path, remaining: n, errcode: errcode})
}

// FailNextHTTP makes the next n calls to path ("" = any API call except the token
// endpoints) answer the HTTP status (e.g. 502) with a plain-text body, as a
// gateway in front of WeChat would.
func (s *Server) FailNextHTTP(path string, n, status int) {
	s.addFailure(&failRule{path: path, remaining: n, status: status})
}

func (s *Server) addFailure(f *failRule) {
	if f.remaining <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, f)
}

// takeFailure consumes one failure for a call to path, if a rule matches. Called
// with s.mu held.
func (s *Server) takeFailure(path string) *failRule {
	for i, f := range s.failures {
		if f.path == path || (f.path == "" && !isTokenPath(path)) {
			f.remaining--
			if f.remaining == 0 {
				s.failures = append(s.failures[:i], s.failures[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// SetLatency delays every answer by d (0 for none).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// ExpireTokens makes every access token handed out so far expired: API calls with
// them answer 42001 and the next stable_token call hands out a new token.
func (s *Server) ExpireTokens() {
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		if t.expires.After(now) {
			t.expires = now
		}
	}
}

// InvalidateTokens makes every access token handed out so far invalid, as if
// another party had force-refreshed them: API calls with them answer 40001.
func (s *Server) InvalidateTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.revoked = true
	}
}
