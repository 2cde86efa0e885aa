package testenv

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// Client calls a test server's JSON API, with an optional Bearer token.
type Client struct {
	Base  string
	Token string
	HTTP  *http.Client

	CandidateID int64  // set by SignIn: the signed-in candidate
	OpenID      string // set by SignIn: the candidate's mini-program openid in the fake WeChat

	// NoContract turns off the check of every /api/v1 answer against
	// docs/openapi.yaml (checkContract): only for tests of what lies outside
	// the contract on purpose, saying why.
	NoContract bool
}

// Client returns an API client for the app.
func (a *App) Client() *Client { return &Client{Base: a.URL, HTTP: http.DefaultClient} }

// Response is a decoded JSON answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test when it is not JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// ErrorCode returns error.code of an error response ("" when absent).
func (r *Response) ErrorCode() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// ErrorField returns error.field of an error response.
func (r *Response) ErrorField() string {
	var e struct {
		Error struct {
			Field string `json:"field"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Field
}

// Do sends a request with a JSON body (nil for none) and reads the answer.
func (c *Client) Do(t testing.TB, method, path string, body any) *Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.Base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.Send(t, req)
}

// Send sends a prepared request, adding the token, and reads the answer. An
// answer under /api/v1 that docs/openapi.yaml does not describe fails the test.
func (c *Client) Send(t testing.TB, req *http.Request) *Response {
	t.Helper()
	if c.Token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	var reqBody []byte
	if req.GetBody != nil {
		if rd, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rd)
			rd.Close()
		}
	}
	res, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := &Response{Status: res.StatusCode, Header: res.Header, Body: b}
	if !c.NoContract {
		checkContract(t, req, reqBody, out)
	}
	return out
}

// Get is Do with GET.
func (c *Client) Get(t testing.TB, path string) *Response {
	t.Helper()
	return c.Do(t, http.MethodGet, path, nil)
}
