package fake

import (
	"net/http"
	"net/url"
	"sync"
)

// The official account's custom menu (自定义菜单), as WeChat checks it:
//
//	POST /cgi-bin/menu/create   1 to 3 buttons; a button with sub_button has 1
//	                            to 5 of them; names at most 16 bytes (top) and
//	                            60 bytes (sub); keys at most 128 bytes; URLs at
//	                            most 1024 bytes, http or https
//	GET  /cgi-bin/menu/get      the menu set last (46003 when none)
//	GET  /cgi-bin/menu/delete
//
// Errcodes: 40016 button count, 40017 button type, 40018 button name size,
// 40019 button key size, 40023 sub-button count, 40024 sub-button type, 40025
// sub-button name size, 40026 sub-button key size, 40027 sub-button URL size,
// 40054 sub-button URL, 40055 button URL, 46003 no menu.
const (
	PathMenuCreate = "/cgi-bin/menu/create"
	PathMenuGet    = "/cgi-bin/menu/get"
	PathMenuDelete = "/cgi-bin/menu/delete"
)

// MenuButton is a button of the menu as the fake recorded it.
type MenuButton struct {
	Type      string       `json:"type,omitempty"`
	Name      string       `json:"name"`
	Key       string       `json:"key,omitempty"`
	URL       string       `json:"url,omitempty"`
	AppID     string       `json:"appid,omitempty"`
	PagePath  string       `json:"pagepath,omitempty"`
	MediaID   string       `json:"media_id,omitempty"`
	SubButton []MenuButton `json:"sub_button,omitempty"`
}

// Button types that need a key, a URL, or a mini-program.
var (
	menuKeyTypes = map[string]bool{"click": true, "scancode_push": true, "scancode_waitmsg": true, "pic_sysphoto": true,
		"pic_photo_or_album": true, "pic_weixin": true, "location_select": true}
	menuOtherTypes = map[string]bool{"view": true, "miniprogram": true, "media_id": true, "view_limited": true,
		"article_id": true, "article_view_limited": true}
)

type menuState struct {
	mu      sync.Mutex
	buttons []MenuButton
	set     bool
}

var menuStates sync.Map // *Server → *menuState

func (s *Server) menu() *menuState {
	v, _ := menuStates.LoadOrStore(s, &menuState{})
	return v.(*menuState)
}

// Menu is the custom menu set last through the API (nil when none).
func (s *Server) Menu() []MenuButton {
	m := s.menu()
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.set {
		return nil
	}
	return append([]MenuButton(nil), m.buttons...)
}

// validMenuURL is WeChat's check of a view button's URL.
func validMenuURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// checkMenuButton returns the errcode for a button (sub: a sub-button), 0 when
// it is good.
func checkMenuButton(b MenuButton, sub bool) int {
	pick := func(top, inner int) int {
		if sub {
			return inner
		}
		return top
	}
	maxName := 16
	if sub {
		maxName = 60
	}
	if b.Name == "" || len(b.Name) > maxName {
		return pick(40018, 40025)
	}
	if len(b.SubButton) > 0 && !sub {
		return 0 // checked by the caller
	}
	switch {
	case menuKeyTypes[b.Type]:
		if b.Key == "" || len(b.Key) > 128 {
			return pick(40019, 40026)
		}
	case b.Type == "view":
		if len(b.URL) > 1024 {
			return pick(40055, 40027)
		}
		if !validMenuURL(b.URL) {
			return pick(40055, 40054)
		}
	case b.Type == "miniprogram":
		if b.AppID == "" || b.PagePath == "" || !validMenuURL(b.URL) {
			return pick(40017, 40024)
		}
	case menuOtherTypes[b.Type]:
		if b.MediaID == "" {
			return pick(40017, 40024)
		}
	default:
		return pick(40017, 40024)
	}
	return 0
}

// handleMenu answers the three menu paths.
func (s *Server) handleMenu(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authorized(w, r, kindOA, nil); !ok {
		return
	}
	m := s.menu()
	switch r.URL.Path {
	case PathMenuGet:
		m.mu.Lock()
		defer m.mu.Unlock()
		if !m.set {
			writeErr(w, 46003, "")
			return
		}
		writeJSON(w, map[string]any{"menu": map[string]any{"button": m.buttons}})
		return
	case PathMenuDelete:
		m.mu.Lock()
		m.buttons, m.set = nil, false
		m.mu.Unlock()
		writeJSON(w, okBody(nil))
		return
	}
	var req struct {
		Button []MenuButton `json:"button"`
	}
	if code := decodeBody(r, &req); code != 0 {
		writeErr(w, code, "")
		return
	}
	if len(req.Button) == 0 || len(req.Button) > 3 {
		writeErr(w, 40016, "")
		return
	}
	for _, b := range req.Button {
		if code := checkMenuButton(b, false); code != 0 {
			writeErr(w, code, "")
			return
		}
		if len(b.SubButton) > 5 {
			writeErr(w, 40023, "")
			return
		}
		for _, sb := range b.SubButton {
			if len(sb.SubButton) > 0 { // two levels at most
				writeErr(w, 40024, "")
				return
			}
			if code := checkMenuButton(sb, true); code != 0 {
				writeErr(w, code, "")
				return
			}
		}
	}
	m.mu.Lock()
	m.buttons, m.set = req.Button, true
	m.mu.Unlock()
	writeJSON(w, okBody(nil))
}
