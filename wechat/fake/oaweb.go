package fake

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"skillcert/wechat/oapush"
)

// The official account's web doors (issue 16), as WeChat serves them:
//
//	GET  /connect/oauth2/authorize      web authorization (网页授权): redirects to
//	                                    redirect_uri?code=…&state=… (snsapi_base is silent
//	                                    on WeChat; the fake asks which user, unless the
//	                                    query names one with fake_user=<name>)
//	GET  /sns/oauth2/access_token       a web authorization code for openid (+unionid)
//	POST /cgi-bin/qrcode/create         a temporary parameter QR code (QR_STR_SCENE, QR_SCENE)
//	GET  /cgi-bin/showqrcode?ticket=…   the code's image (PNG)
//
// and the scan of a code (ScanQR, or POST /_fake/qrcode/scan with the admin API):
// the fake posts a signed SCAN event (subscribe with "qrscene_" for a user who did
// not follow yet) to the callback set with SetCallback, as WeChat does.
const (
	PathOAuthAuthorize   = "/connect/oauth2/authorize"
	PathOAuthAccessToken = "/sns/oauth2/access_token"
	PathQRCreate         = "/cgi-bin/qrcode/create"
	PathShowQRCode       = "/cgi-bin/showqrcode"
)

// webState is the fake's state of web authorization and QR codes.
type webState struct {
	mu       sync.Mutex
	codes    map[string]*loginCode // web authorization codes
	tickets  map[string]*qrTicket
	callback oapush.Account
	cbURL    string
}

type qrTicket struct {
	scene   string
	url     string
	expires time.Time
}

var webStates sync.Map // *Server → *webState (kept beside Server so its struct stays as it is)

func (s *Server) web() *webState {
	if v, ok := webStates.Load(s); ok {
		return v.(*webState)
	}
	w := &webState{codes: map[string]*loginCode{}, tickets: map[string]*qrTicket{}, cbURL: s.opts.OACallback,
		callback: oapush.Account{Token: s.opts.OAToken, AppID: s.opts.OAAppID, Now: s.opts.Now}}
	v, _ := webStates.LoadOrStore(s, w)
	return v.(*webState)
}

// SetCallback names the official account's message server (e.g.
// http://127.0.0.1:8080/wechat/callback) with its token and, for safe mode, its
// EncodingAESKey: where ScanQR posts the scan events.
func (s *Server) SetCallback(callbackURL, token, aesKey string) {
	w := s.web()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cbURL = callbackURL
	w.callback = oapush.Account{Token: token, AESKey: aesKey, AppID: s.opts.OAAppID, Safe: aesKey != "", Now: s.opts.Now}
}

// serveWeb answers the web doors' paths; false for any other path.
func (s *Server) serveWeb(w http.ResponseWriter, r *http.Request) bool {
	var h func(http.ResponseWriter, *http.Request)
	method := http.MethodGet
	switch r.URL.Path {
	case PathOAuthAuthorize:
		h = s.handleAuthorize
	case PathOAuthAccessToken:
		h = s.handleOAuthToken
	case PathQRCreate:
		h, method = s.handleQRCreate, http.MethodPost
	case PathShowQRCode:
		h = s.handleShowQRCode
	default:
		if s.opts.AdminAPI && r.URL.Path == "/_fake/qrcode/scan" {
			s.handleAdminScan(w, r)
			return true
		}
		return false
	}
	s.mu.Lock()
	s.calls[r.URL.Path]++
	rule := s.takeFailure(r.URL.Path)
	s.mu.Unlock()
	if rule != nil {
		if rule.status != 0 {
			http.Error(w, http.StatusText(rule.status), rule.status)
			return true
		}
		writeErr(w, rule.errcode, "")
		return true
	}
	if r.Method != method && !(r.URL.Path == PathOAuthAuthorize && r.Method == http.MethodPost) {
		if method == http.MethodGet {
			writeErr(w, 43001, "")
		} else {
			writeErr(w, 43002, "")
		}
		return true
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	h(w, r)
	return true
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

var authorizePage = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>微信网页授权（模拟）</title></head>
<body style="font-family:sans-serif;max-width:28em;margin:2em auto;padding:0 1em">
<h1 style="font-size:1.2em">微信网页授权（本地模拟）</h1>
<p>真实的微信会直接识别当前微信用户。请输入一个用户名，模拟该微信用户打开页面：</p>
<form method="post">
<input type="hidden" name="appid" value="{{.AppID}}"><input type="hidden" name="redirect_uri" value="{{.Redirect}}">
<input type="hidden" name="scope" value="{{.Scope}}"><input type="hidden" name="state" value="{{.State}}">
<label for="u">用户名</label> <input id="u" name="fake_user" value="demo" pattern="[A-Za-z0-9_-]{1,64}" required>
<button type="submit">确认</button>
</form></body></html>`))

// handleAuthorize is the web authorization page: an unknown app is refused
// (WeChat shows an error page); the user is fake_user, else asked for.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	appID, redirect, scope, state := r.Form.Get("appid"), r.Form.Get("redirect_uri"), r.Form.Get("scope"), r.Form.Get("state")
	a, ok := s.apps[appID]
	if !ok || a.kind != kindOA {
		http.Error(w, "appid 参数错误 (40013 invalid appid)", http.StatusBadRequest)
		return
	}
	ru, err := url.Parse(redirect)
	if err != nil || (ru.Scheme != "http" && ru.Scheme != "https") || ru.Host == "" {
		http.Error(w, "redirect_uri 参数错误", http.StatusBadRequest)
		return
	}
	if scope != "snsapi_base" && scope != "snsapi_userinfo" {
		http.Error(w, "scope 参数错误 (10005)", http.StatusBadRequest)
		return
	}
	name := r.Form.Get("fake_user")
	if name == "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = authorizePage.Execute(w, map[string]string{"AppID": appID, "Redirect": redirect, "Scope": scope, "State": state})
		return
	}
	if !devNameRe.MatchString(name) {
		http.Error(w, "bad fake_user", http.StatusBadRequest)
		return
	}
	code := "oauth-" + randomString(18)
	ws := s.web()
	ws.mu.Lock()
	ws.codes[code] = &loginCode{openID: DevOpenID(appID, name), unionID: DevUnionID(name), issued: s.opts.Now()}
	ws.mu.Unlock()
	q := ru.Query()
	q.Set("code", code)
	q.Set("state", state)
	ru.RawQuery = q.Encode()
	http.Redirect(w, r, ru.String(), http.StatusFound)
}

// AuthorizeCode issues a web authorization code of the official account for
// the dev user name, as the authorization page would (for tests).
func (s *Server) AuthorizeCode(name string) string {
	code := "oauth-" + randomString(18)
	ws := s.web()
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.codes[code] = &loginCode{openID: DevOpenID(s.opts.OAAppID, name), unionID: DevUnionID(name), issued: s.opts.Now()}
	return code
}

// handleOAuthToken answers /sns/oauth2/access_token: 40029 for an unknown or
// expired code, 40163 for one used already.
func (s *Server) handleOAuthToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	appID := q.Get("appid")
	if code := s.checkApp(appID, q.Get("secret")); code != 0 {
		writeErr(w, code, "")
		return
	}
	if s.apps[appID].kind != kindOA {
		writeErr(w, 40013, "")
		return
	}
	if q.Get("grant_type") != "authorization_code" {
		writeErr(w, 40002, "")
		return
	}
	code := q.Get("code")
	if code == "" {
		writeErr(w, 41008, "")
		return
	}
	ws := s.web()
	ws.mu.Lock()
	c, ok := ws.codes[code]
	switch {
	case !ok || s.opts.Now().Sub(c.issued) > s.opts.CodeTTL:
		ws.mu.Unlock()
		writeErr(w, 40029, "")
		return
	case c.used:
		ws.mu.Unlock()
		writeErr(w, 40163, "")
		return
	}
	c.used = true
	ws.mu.Unlock()
	s.mu.Lock()
	s.known[c.openID] = true
	s.mu.Unlock()
	body := map[string]any{"access_token": "sns-" + randomString(24), "expires_in": 7200,
		"refresh_token": "snsr-" + randomString(24), "openid": c.openID, "scope": "snsapi_base"}
	if c.unionID != "" {
		body["unionid"] = c.unionID
	}
	writeJSON(w, body)
}

// handleQRCreate answers /cgi-bin/qrcode/create for temporary codes (30 s to 30
// days; 30 s when expire_seconds is missing, as on WeChat).
func (s *Server) handleQRCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ExpireSeconds int64  `json:"expire_seconds"`
		ActionName    string `json:"action_name"`
		ActionInfo    struct {
			Scene struct {
				SceneStr string `json:"scene_str"`
				SceneID  int64  `json:"scene_id"`
			} `json:"scene"`
		} `json:"action_info"`
	}
	if _, ok := s.authorized(w, r, kindOA, &req); !ok {
		return
	}
	var scene string
	switch req.ActionName {
	case "QR_STR_SCENE":
		scene = req.ActionInfo.Scene.SceneStr
		if scene == "" || len(scene) > 64 {
			writeErr(w, 47003, "scene_str")
			return
		}
	case "QR_SCENE":
		if req.ActionInfo.Scene.SceneID <= 0 {
			writeErr(w, 47003, "scene_id")
			return
		}
		scene = fmt.Sprint(req.ActionInfo.Scene.SceneID)
	default:
		writeErr(w, 40053, "action_name") // invalid action_info, please check document
		return
	}
	exp := req.ExpireSeconds
	switch {
	case exp <= 0:
		exp = 30
	case exp < 30:
		exp = 30
	case exp > 2592000:
		exp = 2592000
	}
	ticket := "gQ" + randomString(36)
	t := &qrTicket{scene: scene, url: "http://weixin.qq.com/q/" + randomString(16), expires: s.opts.Now().Add(time.Duration(exp) * time.Second)}
	ws := s.web()
	ws.mu.Lock()
	ws.tickets[ticket] = t
	ws.mu.Unlock()
	writeJSON(w, map[string]any{"ticket": ticket, "expire_seconds": exp, "url": t.url})
}

// ticket finds a live ticket (or the live ticket of a scene).
func (s *Server) ticket(ticketOrScene string) (*qrTicket, bool) {
	ws := s.web()
	ws.mu.Lock()
	defer ws.mu.Unlock()
	now := s.opts.Now()
	if t, ok := ws.tickets[ticketOrScene]; ok {
		return t, now.Before(t.expires)
	}
	for _, t := range ws.tickets {
		if t.scene == ticketOrScene && now.Before(t.expires) {
			return t, true
		}
	}
	return nil, false
}

// handleShowQRCode serves the image of a live ticket; 404 otherwise.
func (s *Server) handleShowQRCode(w http.ResponseWriter, r *http.Request) {
	t, live := s.ticket(r.URL.Query().Get("ticket"))
	if t == nil || !live {
		http.NotFound(w, r)
		return
	}
	png, err := qrcode.Encode(t.url, qrcode.Medium, 258)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}

// ErrQRExpired is ScanQR's error for an unknown or expired code.
var ErrQRExpired = errors.New("fake: QR code unknown or expired")

// ScanQR is the dev user name scanning a live QR code (by ticket, or by scene)
// in WeChat: the fake posts the event to the callback (SetCallback) — SCAN for a
// follower, else subscribe with EventKey "qrscene_"+scene (the user follows
// from then on) — and returns the account's passive reply text, if any.
func (s *Server) ScanQR(ctx context.Context, ticketOrScene, name string) (string, error) {
	return s.ScanQRTo(ctx, "", "", ticketOrScene, name)
}

// ScanQRTo is ScanQR posting to callbackURL, signed with token (plain mode),
// instead of the callback set with SetCallback: for tests that run several
// servers against one fake.
func (s *Server) ScanQRTo(ctx context.Context, callbackURL, token, ticketOrScene, name string) (string, error) {
	if !devNameRe.MatchString(name) {
		return "", fmt.Errorf("fake: bad user name %q", name)
	}
	t, live := s.ticket(ticketOrScene)
	if t == nil || !live {
		return "", ErrQRExpired
	}
	ws := s.web()
	ws.mu.Lock()
	acct, cb := ws.callback, ws.cbURL
	ws.mu.Unlock()
	if callbackURL != "" {
		acct, cb = oapush.Account{Token: token, AppID: s.opts.OAAppID, Now: s.opts.Now}, callbackURL
	}
	if cb == "" {
		return "", errors.New("fake: no callback set (SetCallback)")
	}
	openID := DevOpenID(s.opts.OAAppID, name)
	s.mu.Lock()
	follows := s.followers[openID]
	s.followers[openID] = true
	s.known[openID] = true
	s.mu.Unlock()
	m := oapush.Event(openID, "SCAN", t.scene)
	if !follows {
		m = oapush.Event(openID, "subscribe", "qrscene_"+t.scene)
	}
	m.UnionID = DevUnionID(name)
	reply, err := acct.Send(ctx, http.DefaultClient, cb, m)
	if err != nil {
		return "", err
	}
	if reply.Status != http.StatusOK {
		return "", fmt.Errorf("fake: callback answered HTTP %d", reply.Status)
	}
	return reply.Content, nil
}

// handleAdminScan is POST /_fake/qrcode/scan {"ticket" or "scene", "user"}.
func (s *Server) handleAdminScan(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var req struct {
		Ticket string `json:"ticket"`
		Scene  string `json:"scene"`
		User   string `json:"user"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
		return
	}
	key := strings.TrimSpace(req.Ticket)
	if key == "" {
		key = strings.TrimSpace(req.Scene)
	}
	if req.User == "" {
		req.User = "demo"
	}
	reply, err := s.ScanQR(r.Context(), key, req.User)
	if errors.Is(err, ErrQRExpired) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, map[string]any{"ok": true, "reply": reply})
}
