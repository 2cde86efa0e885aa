package fake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// loginCode is a wx.login code registered by a test.
type loginCode struct {
	openID, unionID string
	issued          time.Time
	used            bool
}

// phoneCode is a getPhoneNumber code registered by a test.
type phoneCode struct {
	phone  string
	issued time.Time
	used   bool
}

var (
	devNameRe  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	devPhoneRe = regexp.MustCompile(`^devphone-(1\d{10})$`)
)

// DevOpenID is the openid that the login code "dev-<name>" yields for appID in
// DevCodes mode (28 characters, like WeChat's). The same name gives different
// openids in different apps, as on WeChat.
func DevOpenID(appID, name string) string {
	sum := sha256.Sum256([]byte("openid\x00" + appID + "\x00" + name))
	return "o" + base64.RawURLEncoding.EncodeToString(sum[:])[:27]
}

// DevUnionID is the unionid of the dev user name: the same in every app.
func DevUnionID(name string) string {
	sum := sha256.Sum256([]byte("unionid\x00" + name))
	return "o" + base64.RawURLEncoding.EncodeToString(sum[:])[:27]
}

// RegisterCode makes code a valid wx.login code of the mini-program for one use
// within Options.CodeTTL, yielding openid and unionid (unionid may be empty, as
// for a mini-program not bound to an open platform account).
func (s *Server) RegisterCode(code, openID, unionID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = &loginCode{openID: openID, unionID: unionID, issued: s.opts.Now()}
	s.known[openID] = true
}

// RegisterPhoneCode makes code a valid getPhoneNumber code for one use within
// Options.CodeTTL, yielding phone.
func (s *Server) RegisterPhoneCode(code, phone string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.phoneCodes[code] = &phoneCode{phone: phone, issued: s.opts.Now()}
}

func sessionKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// handleCode2Session answers /sns/jscode2session: 40029 for an unknown or expired
// code, 40163 for a code already used (WeChat's answer to a reused code).
func (s *Server) handleCode2Session(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	appID := q.Get("appid")
	if code := s.checkApp(appID, q.Get("secret")); code != 0 {
		writeErr(w, code, "")
		return
	}
	if s.apps[appID].kind != kindMP {
		writeErr(w, 40013, "")
		return
	}
	if gt := q.Get("grant_type"); gt != "" && gt != "authorization_code" {
		writeErr(w, 40002, "")
		return
	}
	jsCode := q.Get("js_code")
	if jsCode == "" {
		writeErr(w, 41008, "")
		return
	}
	var openID, unionID string
	s.mu.Lock()
	c, ok := s.codes[jsCode]
	switch {
	case ok && c.used:
		s.mu.Unlock()
		writeErr(w, 40163, "")
		return
	case ok && s.opts.Now().Sub(c.issued) > s.opts.CodeTTL:
		s.mu.Unlock()
		writeErr(w, 40029, "")
		return
	case ok:
		c.used = true
		openID, unionID = c.openID, c.unionID
	case s.opts.DevCodes && strings.HasPrefix(jsCode, "dev-") && devNameRe.MatchString(jsCode[4:]):
		name := jsCode[4:]
		openID, unionID = DevOpenID(appID, name), DevUnionID(name)
		s.known[openID] = true
	default:
		s.mu.Unlock()
		writeErr(w, 40029, "")
		return
	}
	s.mu.Unlock()
	body := map[string]any{"openid": openID, "session_key": sessionKey()}
	if unionID != "" {
		body["unionid"] = unionID
	}
	writeJSON(w, body)
}

// handlePhoneNumber answers /wxa/business/getuserphonenumber.
func (s *Server) handlePhoneNumber(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	appID, ok := s.authorized(w, r, kindMP, &req)
	if !ok {
		return
	}
	if req.Code == "" {
		writeErr(w, 41008, "")
		return
	}
	var phone string
	s.mu.Lock()
	pc, ok := s.phoneCodes[req.Code]
	switch {
	case ok && !pc.used && s.opts.Now().Sub(pc.issued) <= s.opts.CodeTTL:
		pc.used = true
		phone = pc.phone
	case !ok && s.opts.DevCodes && devPhoneRe.MatchString(req.Code):
		phone = devPhoneRe.FindStringSubmatch(req.Code)[1]
	}
	s.mu.Unlock()
	if phone == "" {
		writeErr(w, 40029, "")
		return
	}
	pure, country := phone, "86"
	if strings.HasPrefix(phone, "+") {
		// "+1 5551234567" style: country code before the first space.
		if i := strings.IndexByte(phone, ' '); i > 1 {
			country, pure = phone[1:i], phone[i+1:]
		}
	}
	writeJSON(w, map[string]any{
		"errcode": 0,
		"errmsg":  "ok",
		"phone_info": map[string]any{
			"phoneNumber":     phone,
			"purePhoneNumber": pure,
			"countryCode":     country,
			"watermark":       map[string]any{"timestamp": s.opts.Now().Unix(), "appid": appID},
		},
	})
}
