package testenv

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"testing"

	"skillcert/core"
	"skillcert/domain"
)

// NewOpenID returns a fresh random openid (28 characters, like WeChat's).
func NewOpenID() string { return "o" + randomToken(27) }

// NewCode returns a fresh random WeChat code (wx.login or getPhoneNumber).
func NewCode() string { return "code-" + randomToken(24) }

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// SignIn signs a new candidate in the way the mini-program does: it registers a
// fresh wx.login code for a new openid in the fake WeChat, posts it to
// POST /api/v1/auth/login and returns a Client carrying the session token, the
// candidate id and the openid. It fails the test unless the login answers 200.
func SignIn(t testing.TB, app *App) *Client {
	t.Helper()
	return SignInAs(t, app, NewOpenID())
}

// SignInAs is SignIn for a given openid: the same openid signs the same
// candidate in again.
func SignInAs(t testing.TB, app *App, openID string) *Client {
	t.Helper()
	code := NewCode()
	WeChat(t).RegisterCode(code, openID, "")
	res := app.Client().Do(t, http.MethodPost, "/api/v1/auth/login", map[string]string{"code": code})
	if res.Status != http.StatusOK {
		t.Fatalf("sign in: %d %s", res.Status, res.Body)
	}
	var out core.LoginResult
	res.JSON(t, &out)
	if out.Token == "" || out.Candidate.ID == 0 {
		t.Fatalf("sign in: no token or candidate in %s", res.Body)
	}
	c := app.Client()
	c.Token, c.CandidateID, c.OpenID = out.Token, out.Candidate.ID, openID
	return c
}

// SignInWithIdentity is SignIn followed by PUT /api/v1/me/identity with the
// privacy consent given; it fails the test unless the identity is bound. Use
// RandomIDNumber for a valid number nobody else has.
func SignInWithIdentity(t testing.TB, app *App, name, idType, idNumber string) *Client {
	t.Helper()
	c := SignIn(t, app)
	res := c.Do(t, http.MethodPut, "/api/v1/me/identity", IdentityBody(name, idType, idNumber))
	if res.Status != http.StatusOK {
		t.Fatalf("bind identity: %d %s", res.Status, res.Body)
	}
	return c
}

// IdentityBody is the body of PUT /api/v1/me/identity with the privacy consent given.
func IdentityBody(name, idType, idNumber string) map[string]any {
	body := map[string]any{"name": name, "id_type": idType, "id_number": idNumber,
		"privacy_consent": true, "consent_version": "test-1"}
	if !domain.IDTypeEncodesIdentity(idType) {
		// The number carries no gender and birth date: the form asks for both.
		body["gender"], body["birth_date"] = domain.GenderMale, "1990-05-01"
	}
	return body
}
