package fake

import (
	"encoding/json"
	"maps"
	"net/http"
	"time"
)

// Kind is the kind of a sent message.
type Kind string

// The kinds of messages the fake accepts.
const (
	KindSubscribe Kind = "subscribe" // mini-program subscribe message
	KindTemplate  Kind = "template"  // official-account template message
	KindCustom    Kind = "custom"    // official-account customer-service message
)

// SentMessage is one message the fake accepted (answered with errcode 0).
type SentMessage struct {
	Kind             Kind              `json:"kind"`
	AppID            string            `json:"appid"`
	ToOpenID         string            `json:"touser"`
	TemplateID       string            `json:"template_id,omitempty"`
	Page             string            `json:"page,omitempty"`              // subscribe: mini-program page
	MiniprogramState string            `json:"miniprogram_state,omitempty"` // subscribe
	URL              string            `json:"url,omitempty"`               // template
	MiniAppID        string            `json:"mini_appid,omitempty"`        // template: mini-program to open
	MiniPagePath     string            `json:"mini_pagepath,omitempty"`     // template
	ClientMsgID      string            `json:"client_msg_id,omitempty"`     // template
	Data             map[string]string `json:"data,omitempty"`              // subscribe, template
	MsgType          string            `json:"msgtype,omitempty"`           // custom
	Text             string            `json:"text,omitempty"`              // custom text
	MsgID            int64             `json:"msgid"`
	Time             time.Time         `json:"time"`
}

type creditKey struct{ openID, templateID string }

type clientMsg struct {
	msgID int64
	at    time.Time
}

// GrantSubscribe gives openid n more one-time consents for templateID, as n
// accepted wx.requestSubscribeMessage taps would. Each accepted send uses one.
func (s *Server) GrantSubscribe(openID, templateID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.credits[creditKey{openID, templateID}] += n
	s.known[openID] = true
}

// Credits returns the consents openid has left for templateID.
func (s *Server) Credits(openID, templateID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.credits[creditKey{openID, templateID}]
}

// AddFollower makes oaOpenID a follower of the official account.
func (s *Server) AddFollower(oaOpenID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.followers[oaOpenID] = true
	s.known[oaOpenID] = true
}

// RemoveFollower makes oaOpenID unfollow the official account.
func (s *Server) RemoveFollower(oaOpenID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.followers, oaOpenID)
}

// Sent returns a copy of every accepted message, in the order accepted.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SentMessage, len(s.sent))
	for i, m := range s.sent {
		m.Data = maps.Clone(m.Data)
		out[i] = m
	}
	return out
}

// record stores an accepted message. Called with s.mu held.
func (s *Server) record(m SentMessage) int64 {
	s.nextMsgID++
	m.MsgID = s.nextMsgID
	m.Time = s.opts.Now()
	s.sent = append(s.sent, m)
	s.logf("fake-wechat: accepted %s message %d from %s to %s (template %q)", m.Kind, m.MsgID, m.AppID, m.ToOpenID, m.TemplateID)
	return m.MsgID
}

// dataValues flattens {"key": {"value": v}}: numbers become their text; a missing
// or non-scalar value is reported by key.
func dataValues(raw dataMap) (map[string]string, string) {
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		var str string
		if json.Unmarshal(v.Value, &str) == nil {
			out[k] = str
			continue
		}
		var num json.Number
		if json.Unmarshal(v.Value, &num) == nil {
			out[k] = num.String()
			continue
		}
		return nil, k
	}
	return out, ""
}

// dataMap is the "data" object of a template message as sent.
type dataMap = map[string]struct {
	Value json.RawMessage `json:"value"`
}

// handleSubscribe answers /cgi-bin/message/subscribe/send.
func (s *Server) handleSubscribe(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ToUser           string  `json:"touser"`
		TemplateID       string  `json:"template_id"`
		Page             string  `json:"page"`
		MiniprogramState string  `json:"miniprogram_state"`
		Lang             string  `json:"lang"`
		Data             dataMap `json:"data"`
	}
	appID, ok := s.authorized(w, r, kindMP, &req)
	if !ok {
		return
	}
	if code := s.checkRecipient(req.ToUser); code != 0 {
		writeErr(w, code, "")
		return
	}
	if req.TemplateID == "" {
		writeErr(w, 40037, "")
		return
	}
	switch req.MiniprogramState {
	case "", "developer", "trial", "formal":
	default:
		writeErr(w, 47003, "miniprogram_state invalid")
		return
	}
	if len(req.Data) == 0 {
		writeErr(w, 47003, "data is empty")
		return
	}
	data, bad := dataValues(req.Data)
	if bad == "" {
		bad = checkData(data, true)
	}
	if bad != "" {
		writeErr(w, 47003, "data."+bad+".value invalid")
		return
	}
	key := creditKey{req.ToUser, req.TemplateID}
	s.mu.Lock()
	switch {
	case s.credits[key] > 0:
		s.credits[key]--
	case !s.opts.ConsentOnRequest:
		s.mu.Unlock()
		writeErr(w, 43101, "")
		return
	}
	id := s.record(SentMessage{
		Kind: KindSubscribe, AppID: appID, ToOpenID: req.ToUser, TemplateID: req.TemplateID,
		Page: req.Page, MiniprogramState: req.MiniprogramState, Data: data,
	})
	s.mu.Unlock()
	writeJSON(w, okBody(map[string]any{"msgid": id}))
}

// checkRecipient returns 40003 for an empty openid, or for one the fake never
// heard of when Options.StrictOpenIDs is set.
func (s *Server) checkRecipient(openID string) int {
	if openID == "" {
		return 40003
	}
	if s.opts.StrictOpenIDs {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.known[openID] {
			return 40003
		}
	}
	return 0
}

// handleTemplate answers /cgi-bin/message/template/send.
func (s *Server) handleTemplate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ToUser      string  `json:"touser"`
		TemplateID  string  `json:"template_id"`
		URL         string  `json:"url"`
		ClientMsgID string  `json:"client_msg_id"`
		Data        dataMap `json:"data"`
		MiniProgram struct {
			AppID    string `json:"appid"`
			PagePath string `json:"pagepath"`
		} `json:"miniprogram"`
	}
	appID, ok := s.authorized(w, r, kindOA, &req)
	if !ok {
		return
	}
	if code := s.checkRecipient(req.ToUser); code != 0 {
		writeErr(w, code, "")
		return
	}
	if req.TemplateID == "" {
		writeErr(w, 40037, "")
		return
	}
	if len(req.ClientMsgID) > 64 {
		writeErr(w, 45067, "")
		return
	}
	data, bad := dataValues(req.Data)
	if bad == "" {
		bad = checkData(data, false)
	}
	if bad != "" {
		writeErr(w, 47003, "data."+bad+".value invalid")
		return
	}
	now := s.opts.Now()
	s.mu.Lock()
	if !s.followers[req.ToUser] {
		s.mu.Unlock()
		writeErr(w, 43004, "")
		return
	}
	// client_msg_id: one message per (openid, id) within 10 minutes. WeChat does
	// not document its answer to a repeat; the fake answers success with the
	// first message's msgid and does not send again.
	dedup := ""
	if req.ClientMsgID != "" {
		dedup = req.ToUser + "\x00" + req.ClientMsgID
		if prev, ok := s.clientMsgs[dedup]; ok && now.Sub(prev.at) < 10*time.Minute {
			s.mu.Unlock()
			writeJSON(w, okBody(map[string]any{"msgid": prev.msgID}))
			return
		}
	}
	id := s.record(SentMessage{
		Kind: KindTemplate, AppID: appID, ToOpenID: req.ToUser, TemplateID: req.TemplateID,
		URL: req.URL, MiniAppID: req.MiniProgram.AppID, MiniPagePath: req.MiniProgram.PagePath,
		ClientMsgID: req.ClientMsgID, Data: data,
	})
	if dedup != "" {
		s.clientMsgs[dedup] = clientMsg{msgID: id, at: now}
	}
	s.mu.Unlock()
	writeJSON(w, okBody(map[string]any{"msgid": id}))
}

// maxCustomText is the fake's limit for a customer-service text, in bytes.
const maxCustomText = 2048

// handleCustom answers /cgi-bin/message/custom/send. It requires a follower; the
// 48-hour window after the user's last message is not modelled.
func (s *Server) handleCustom(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ToUser  string `json:"touser"`
		MsgType string `json:"msgtype"`
		Text    *struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	appID, ok := s.authorized(w, r, kindOA, &req)
	if !ok {
		return
	}
	if code := s.checkRecipient(req.ToUser); code != 0 {
		writeErr(w, code, "")
		return
	}
	text := ""
	switch req.MsgType {
	case "text":
		if req.Text == nil || req.Text.Content == "" {
			writeErr(w, 47001, "")
			return
		}
		if len(req.Text.Content) > maxCustomText {
			writeErr(w, 45002, "")
			return
		}
		text = req.Text.Content
	case "":
		writeErr(w, 47001, "")
		return
	}
	s.mu.Lock()
	if !s.followers[req.ToUser] {
		s.mu.Unlock()
		writeErr(w, 43004, "")
		return
	}
	s.record(SentMessage{Kind: KindCustom, AppID: appID, ToOpenID: req.ToUser, MsgType: req.MsgType, Text: text})
	s.mu.Unlock()
	writeJSON(w, okBody(nil))
}

// Calls returns how many requests reached path (e.g. PathStableToken), whatever
// their outcome.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// ResetCalls sets every call counter back to zero.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.calls)
}
