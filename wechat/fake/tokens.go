package fake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// token is one access token the fake handed out.
type token struct {
	appID   string
	expires time.Time
	revoked bool // superseded by a later fetch, or InvalidateTokens
}

// tokenSlot is where an app's current token lives: ordinary tokens
// (/cgi-bin/token) and stable tokens (/cgi-bin/stable_token) are independent, as
// on WeChat.
type tokenSlot struct {
	appID  string
	stable bool
}

// checkApp returns the errcode for appid/secret (0 when they match).
func (s *Server) checkApp(appID, secret string) int {
	switch {
	case appID == "":
		return 41002
	case secret == "":
		return 41004
	}
	a, ok := s.apps[appID]
	if !ok {
		return 40013
	}
	if a.secret != secret {
		return 40125
	}
	return 0
}

// issue makes a new current token for slot, revoking the previous one
// (WeChat keeps the old one usable for five minutes; the fake is stricter, so
// token contention shows up in tests). Called with s.mu held.
func (s *Server) issue(slot tokenSlot) (string, time.Duration) {
	if old, ok := s.tokens[s.current[slot]]; ok {
		old.revoked = true
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := "FAKE_AT_" + hex.EncodeToString(b)
	s.tokens[tok] = &token{appID: slot.appID, expires: s.opts.Now().Add(s.opts.TokenTTL)}
	s.current[slot] = tok
	return tok, s.opts.TokenTTL
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("grant_type") != "client_credential" {
		writeErr(w, 40002, "")
		return
	}
	appID := q.Get("appid")
	if code := s.checkApp(appID, q.Get("secret")); code != 0 {
		writeErr(w, code, "")
		return
	}
	s.mu.Lock()
	tok, ttl := s.issue(tokenSlot{appID: appID})
	s.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": int(ttl / time.Second)})
}

func (s *Server) handleStableToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if code := decodeBody(r, &req); code != 0 {
		writeErr(w, code, "")
		return
	}
	if req.GrantType != "client_credential" {
		writeErr(w, 40002, "")
		return
	}
	if code := s.checkApp(req.AppID, req.Secret); code != 0 {
		writeErr(w, code, "")
		return
	}
	slot := tokenSlot{appID: req.AppID, stable: true}
	now := s.opts.Now()
	s.mu.Lock()
	var tok string
	var left time.Duration
	if cur, ok := s.tokens[s.current[slot]]; ok && !req.ForceRefresh && !cur.revoked && now.Before(cur.expires) {
		tok, left = s.current[slot], cur.expires.Sub(now)
	} else {
		tok, left = s.issue(slot)
	}
	s.mu.Unlock()
	secs := int(left / time.Second)
	if secs < 1 {
		secs = 1
	}
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": secs})
}

// checkToken validates the access_token query parameter for an API of kind and
// returns the app it belongs to, or an errcode: 41001 missing, 40001 unknown or
// superseded, 42001 expired, 48001 a token of the other kind of app.
func (s *Server) checkToken(r *http.Request, kind appKind) (string, int) {
	tok := r.URL.Query().Get("access_token")
	if tok == "" {
		return "", 41001
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tok]
	switch {
	case !ok || t.revoked:
		return "", 40001
	case !s.opts.Now().Before(t.expires):
		return "", 42001
	case s.apps[t.appID].kind != kind:
		return "", 48001
	}
	return t.appID, 0
}

// authorized checks the call's access token for an app of kind and, when req
// is not nil, decodes the JSON body into it, in WeChat's order (a bad token is
// answered before a bad body). On failure it has written the errcode and
// returns ok false.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request, kind appKind, req any) (appID string, ok bool) {
	appID, code := s.checkToken(r, kind)
	if code == 0 && req != nil {
		code = decodeBody(r, req)
	}
	if code != 0 {
		writeErr(w, code, "")
		return "", false
	}
	return appID, true
}

// decodeBody reads a JSON body into v: 44002 when empty, 47001 when not JSON.
func decodeBody(r *http.Request, v any) int {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return 47001
	}
	if len(b) == 0 {
		return 44002
	}
	if json.Unmarshal(b, v) != nil {
		return 47001
	}
	return 0
}
