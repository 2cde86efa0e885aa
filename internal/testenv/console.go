package testenv

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/repo"
)

// StaffPassword is the password of every console account the tests create.
const StaffPassword = "Test-passw0rd-2026"

// CreateStaff creates a console account through core, as the operator's
// `skillcert admin create-user` does.
func (a *App) CreateStaff(t testing.TB, username string, role domain.Role, institutionID int64, region string) core.Staff {
	t.Helper()
	st, err := a.Core.CreateStaff(context.Background(), core.NewStaff{Username: username, Password: StaffPassword,
		Role: role, InstitutionID: institutionID, Region: region}, nil)
	if err != nil {
		t.Fatalf("create staff %s: %v", username, err)
	}
	return st
}

// CreateInstitution inserts an evaluation institution.
func (a *App) CreateInstitution(t testing.TB, name string) repo.Institution {
	t.Helper()
	now := repo.Now()
	in := repo.Institution{Name: name, ContactName: "测试老师", ContactPhone: "020-87000000", CreatedAt: now, UpdatedAt: now}
	if err := a.DB.InsertInstitution(context.Background(), a.DB.W, &in); err != nil {
		t.Fatalf("create institution: %v", err)
	}
	return in
}

// ConsoleClient is a browser-like client of the console: it keeps its cookies
// (Secure ones too, over the test's plain HTTP), does not follow redirects, and
// adds the CSRF token of the last page it loaded to the forms it posts.
type ConsoleClient struct {
	Base    string
	cookies map[string]string
	CSRF    string
}

// Console returns a console client with no session.
func (a *App) Console() *ConsoleClient {
	return &ConsoleClient{Base: a.URL, cookies: map[string]string{}}
}

// Page is one console answer.
type Page struct {
	Status   int
	Location string
	Header   http.Header
	Body     string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// Do sends a request and records the cookies and CSRF token it gets back.
func (c *ConsoleClient) Do(t testing.TB, req *http.Request) *Page {
	t.Helper()
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	p := &Page{Status: res.StatusCode, Location: res.Header.Get("Location"), Header: res.Header, Body: string(b)}
	if m := csrfField.FindStringSubmatch(p.Body); m != nil {
		c.CSRF = m[1]
	}
	return p
}

// Get loads a page.
func (c *ConsoleClient) Get(t testing.TB, path string) *Page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.Base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.Do(t, req)
}

// Post submits a form; the last page's CSRF token is added unless form has one.
func (c *ConsoleClient) Post(t testing.TB, path string, form url.Values) *Page {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.CSRF)
	}
	req, err := http.NewRequest(http.MethodPost, c.Base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(t, req)
}

// Login signs in through the login form, fails the test unless it succeeds,
// and loads the page it leads to.
func (c *ConsoleClient) Login(t testing.TB, username, password string) {
	t.Helper()
	c.Get(t, "/console/login")
	p := c.Post(t, "/console/login", url.Values{"username": {username}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d: %s", username, p.Status, p.Body)
	}
	c.Get(t, p.Location) // as a browser would: and the page's CSRF token is the session's
}

// HasCookie tells whether the client holds a cookie.
func (c *ConsoleClient) HasCookie(name string) bool { _, ok := c.cookies[name]; return ok }

// Clone returns a client with a copy of c's cookies (to replay a session later).
func (c *ConsoleClient) Clone() *ConsoleClient {
	out := &ConsoleClient{Base: c.Base, cookies: map[string]string{}, CSRF: c.CSRF}
	for k, v := range c.cookies {
		out.cookies[k] = v
	}
	return out
}

// PublishTickets gives a published plan one theory session on its first
// evaluation day (广州市天河区龙洞东路1号 第3考场, 40 seats), seats its approved
// candidates in registration order and publishes their admission tickets, as
// the institution st does in the console.
func (a *App) PublishTickets(t testing.TB, st *core.Staff, planID int64, evalStart string) {
	t.Helper()
	ctx := context.Background()
	if _, err := a.Core.AddExamSession(ctx, st, planID, core.ExamSessionInput{Subject: "theory", Date: evalStart,
		Start: "09:00", End: "10:30", Venue: "广州市天河区龙洞东路1号", Room: "第3考场", Seats: "40"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Core.ArrangeSeats(ctx, st, planID, core.OrderRegistration); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Core.PublishTickets(ctx, st, planID); err != nil {
		t.Fatal(err)
	}
}
