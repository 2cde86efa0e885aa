package console_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// The CSRF token counts only from the form body or the X-CSRF-Token header,
// never from the query string.
func TestCSRFTokenNotFromQuery(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
	c := app.Console()
	c.Login(t, "root", testenv.StaffPassword)
	req, _ := http.NewRequest(http.MethodPost, c.Base+"/console/logout?csrf="+url.QueryEscape(c.CSRF), strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	must(t, c.Do(t, req), 403, "页面已过期")
	// In the body it works.
	if p := c.Post(t, "/console/logout", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("logout with the token in the body: %d", p.Status)
	}
}

// A pre-login seed the server did not issue (planted by another site) does not
// make a valid login token.
func TestLoginSeedMustBeIssuedByTheServer(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
	seed := strings.Repeat("A", 43)
	m := hmac.New(sha256.New, []byte(seed))
	m.Write([]byte("skillcert console csrf v1"))
	token := base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	form := url.Values{"username": {"root"}, "password": {testenv.StaffPassword}, "csrf": {token}}
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/console/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "skillcert_console_pre", Value: seed})
	must(t, app.Console().Do(t, req), 403, "页面已过期")
	// The seed the server issues works.
	c := app.Console()
	c.Login(t, "root", testenv.StaffPassword)
}

// A form posted from another site is refused even with a valid token (the
// browser's Sec-Fetch-Site or Origin, through http.CrossOriginProtection);
// the same request from the console's own pages goes through.
func TestCrossOriginPostRefused(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
	c := app.Console()
	c.Login(t, "root", testenv.StaffPassword)
	post := func(header, value string) *testenv.Page {
		form := url.Values{"csrf": {c.CSRF}}
		req, _ := http.NewRequest(http.MethodPost, c.Base+"/console/logout", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(header, value)
		return c.Do(t, req)
	}
	must(t, post("Sec-Fetch-Site", "cross-site"), 403, "页面已过期")
	must(t, post("Origin", "https://evil.example"), 403, "页面已过期")
	must(t, post("Sec-Fetch-Site", "same-origin"), 303)
}
