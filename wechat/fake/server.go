// Package fake is a local stand-in of the WeChat HTTP API (api.weixin.qq.com) that
// behaves like WeChat for the calls skillcert makes: it checks app credentials and
// access tokens, hands out stable and ordinary tokens, exchanges login and phone
// codes once, counts one-time subscribe consents, checks subscribe-message field
// limits, sends template messages to followers only, records every message it
// accepted, and answers content security (msgSecCheck; mediaCheckAsync, whose
// verdict it pushes to the mini-program's callback: security.go). Tests drive it
// with RegisterCode, GrantSubscribe, AddFollower, ExpireTokens, FailNext,
// MarkTextRisky, DeliverMediaChecks ...; `skillcert fake-wechat` serves it with ListenAndServe.
//
// Point the adapter at it with wechat.Config.APIBase (WECHAT_API_BASE).
package fake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Default credentials, used for the apps whose Options fields are empty. Configure
// skillcert with the same values (WECHAT_MP_APPID=wx-fake-mp ...).
const (
	DefaultMPAppID  = "wx-fake-mp"
	DefaultMPSecret = "fake-mp-secret"
	DefaultOAAppID  = "wx-fake-oa"
	DefaultOASecret = "fake-oa-secret"
)

// Options configures a Server. The zero value is usable: default credentials,
// registered codes only, tokens valid 7200 s.
type Options struct {
	MPAppID, MPSecret string // the mini-program; DefaultMPAppID/DefaultMPSecret when empty
	OAAppID, OASecret string // the official account; DefaultOAAppID/DefaultOASecret when empty

	// DevCodes accepts any login code "dev-<name>" (name: letters, digits, '-', '_')
	// as a stable user (DevOpenID, DevUnionID), reusable, and any phone code
	// "devphone-<11 digits>". For local runs; tests register codes instead.
	DevCodes bool
	// AdminAPI serves the /_fake/ endpoints (see admin.go) so a person running the
	// fake from the CLI can grant consents, add followers and read sent messages.
	AdminAPI bool
	// StrictOpenIDs answers 40003 (invalid openid) for a message to an openid the
	// fake never heard of (through a code, GrantSubscribe or AddFollower). Off by
	// default: any non-empty openid is a user of the app.
	StrictOpenIDs bool
	// ConsentOnRequest accepts a subscribe message without a consent granted
	// through GrantSubscribe, as if the user had tapped "allow" in the
	// mini-program's dialog (demo mode, where no mini-program runs: skillcert
	// still sends only on the consents the candidate reported). Consents that were
	// granted are used first.
	ConsentOnRequest bool

	TokenTTL time.Duration    // access token lifetime; 7200 s when zero
	CodeTTL  time.Duration    // login and phone code lifetime; 5 min when zero
	FaceTTL  time.Duration    // face verification session lifetime; 10 min when zero
	Now      func() time.Time // clock; time.Now when nil
	// Logf, when set, gets one line per accepted message (kind, app, recipient,
	// template) — never the message data.
	Logf func(format string, args ...any)

	// OACallback and OAToken name the official account's message server (e.g.
	// http://127.0.0.1:8080/wechat/callback) and its token: where scans of
	// parameter QR codes are posted (oaweb.go). SetCallback changes them.
	OACallback, OAToken string
}

// Server is the fake WeChat API. It is an http.Handler (use it with
// httptest.NewServer) and safe for concurrent use.
type Server struct {
	opts Options
	apps map[string]app

	mu         sync.Mutex
	tokens     map[string]*token
	current    map[tokenSlot]string
	codes      map[string]*loginCode
	phoneCodes map[string]*phoneCode
	credits    map[creditKey]int
	followers  map[string]bool
	known      map[string]bool
	clientMsgs map[string]clientMsg
	failures   []*failRule
	latency    time.Duration
	sent       []SentMessage
	calls      map[string]int
	nextMsgID  int64

	faces        map[string]*faceSession // face verification sessions by verify_id
	faceOrder    []string
	faceSeqs     map[string]bool // app + out_seq_no already used
	faceDefaults map[string]int  // verify_ret by ID number (SetFaceDefault)

	riskyWords  map[string]string // msgSecCheck verdict by keyword (security.go)
	riskyMedia  map[[32]byte]bool // risky media by SHA-256
	mediaChecks []pendingMedia    // mediaCheckAsync calls not yet pushed
}

type appKind int

const (
	kindMP appKind = iota + 1
	kindOA
)

type app struct {
	id, secret string
	kind       appKind
}

// New returns a Server with opts (defaults filled in).
func New(opts Options) *Server {
	if opts.MPAppID == "" {
		opts.MPAppID, opts.MPSecret = DefaultMPAppID, DefaultMPSecret
	}
	if opts.OAAppID == "" {
		opts.OAAppID, opts.OASecret = DefaultOAAppID, DefaultOASecret
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 7200 * time.Second
	}
	if opts.CodeTTL <= 0 {
		opts.CodeTTL = 5 * time.Minute
	}
	if opts.FaceTTL <= 0 {
		opts.FaceTTL = 10 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Server{
		faces:        map[string]*faceSession{},
		faceSeqs:     map[string]bool{},
		faceDefaults: map[string]int{},
		opts:         opts,
		apps: map[string]app{
			opts.MPAppID: {id: opts.MPAppID, secret: opts.MPSecret, kind: kindMP},
			opts.OAAppID: {id: opts.OAAppID, secret: opts.OASecret, kind: kindOA},
		},
		tokens:     map[string]*token{},
		current:    map[tokenSlot]string{},
		codes:      map[string]*loginCode{},
		phoneCodes: map[string]*phoneCode{},
		credits:    map[creditKey]int{},
		followers:  map[string]bool{},
		known:      map[string]bool{},
		clientMsgs: map[string]clientMsg{},
		calls:      map[string]int{},
		nextMsgID:  1000000,
	}
}

// Options returns the options in effect (with defaults filled in).
func (s *Server) Options() Options { return s.opts }

// The API paths the fake serves.
const (
	PathToken        = "/cgi-bin/token"
	PathStableToken  = "/cgi-bin/stable_token"
	PathCode2Session = "/sns/jscode2session"
	PathPhoneNumber  = "/wxa/business/getuserphonenumber"
	PathSubscribe    = "/cgi-bin/message/subscribe/send"
	PathTemplate     = "/cgi-bin/message/template/send"
	PathCustom       = "/cgi-bin/message/custom/send"
)

func isTokenPath(p string) bool { return p == PathToken || p == PathStableToken }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if s.serveWeb(w, r) { // the official account's web doors (oaweb.go)
		return
	}
	if s.opts.AdminAPI && strings.HasPrefix(path, "/_fake/") {
		s.serveAdmin(w, r)
		return
	}
	var h func(http.ResponseWriter, *http.Request)
	method := http.MethodPost
	switch path {
	case PathToken:
		h, method = s.handleToken, http.MethodGet
	case PathStableToken:
		h = s.handleStableToken
	case PathCode2Session:
		h, method = s.handleCode2Session, http.MethodGet
	case PathPhoneNumber:
		h = s.handlePhoneNumber
	case PathSubscribe:
		h = s.handleSubscribe
	case PathTemplate:
		h = s.handleTemplate
	case PathCustom:
		h = s.handleCustom
	case PathFaceGetVerifyID:
		h = s.handleGetVerifyID
	case PathFaceQueryVerifyID:
		h = s.handleQueryVerifyInfo
	case PathMsgSecCheck:
		h = s.handleMsgSecCheck
	case PathMediaCheckAsync:
		h = s.handleMediaCheckAsync
	case PathMenuCreate:
		h = s.handleMenu
	case PathMenuGet, PathMenuDelete:
		h, method = s.handleMenu, http.MethodGet
	default:
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(errBody(40066, ""))
		return
	}

	s.mu.Lock()
	s.calls[path]++
	latency := s.latency
	rule := s.takeFailure(path)
	s.mu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if rule != nil {
		if rule.status != 0 {
			http.Error(w, http.StatusText(rule.status), rule.status)
			return
		}
		writeErr(w, rule.errcode, "")
		return
	}
	if r.Method != method {
		if method == http.MethodGet {
			writeErr(w, 43001, "")
		} else {
			writeErr(w, 43002, "")
		}
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	h(w, r)
}

// ListenAndServe serves a new fake on addr (e.g. ":9090") until ctx is done, then
// shuts down gracefully. It returns nil after a shutdown caused by ctx.
func ListenAndServe(ctx context.Context, addr string, opts Options) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           New(opts),
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutCtx); err != nil {
			return err
		}
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// errMsgs are WeChat's errmsg texts for the errcodes the fake answers.
var errMsgs = map[int]string{
	-1:    "system error",
	40001: "invalid credential, access_token is invalid or not latest",
	40002: "invalid grant_type",
	40003: "invalid openid",
	40013: "invalid appid",
	40029: "invalid code",
	40037: "invalid template_id",
	40066: "invalid url",
	40125: "invalid appsecret",
	40163: "code been used",
	41001: "access_token missing",
	41002: "appid missing",
	41004: "appsecret missing",
	41008: "missing code",
	42001: "access_token expired",
	43001: "require GET method",
	43002: "require POST method",
	43004: "require subscribe",
	43101: "user refuse to accept the msg",
	44002: "empty post data",
	45002: "content size out of limit",
	40016: "invalid button size",
	40017: "invalid button type",
	40018: "invalid button name size",
	40019: "invalid button key size",
	40023: "invalid sub button size",
	40024: "invalid sub button type",
	40025: "invalid sub button name size",
	40026: "invalid sub button key size",
	40027: "invalid sub button url size",
	40054: "invalid sub button url domain",
	40055: "invalid button url domain",
	46003: "menu no exist",
	45009: "reach max api daily quota limit",
	45011: "api minute-quota reach limit  mustslower  retry next minute",
	45067: "clientmsgid size out of limit",
	47001: "data format error",
	47003: "argument invalid!",
	48001: "api unauthorized",
	40097: "invalid args",
	84001: "invalid identify id",
}

// errBody is WeChat's error reply: {"errcode":N,"errmsg":"text rid: ..."}.
func errBody(code int, detail string) map[string]any {
	msg, ok := errMsgs[code]
	if !ok {
		msg = "error"
	}
	if detail != "" {
		msg += " " + detail
	}
	rid := fmt.Sprintf("%08x-%08x-%08x", rand.Uint32(), rand.Uint32(), rand.Uint32())
	return map[string]any{"errcode": code, "errmsg": msg + " rid: " + rid}
}

func writeErr(w http.ResponseWriter, code int, detail string) {
	writeJSON(w, errBody(code, detail))
}

// writeJSON answers 200 with v, as WeChat does for errors too.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// okBody is the success reply of the send APIs.
func okBody(extra map[string]any) map[string]any {
	m := map[string]any{"errcode": 0, "errmsg": "ok"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}
