package fake

import (
	"encoding/json"
	"net/http"
)

// The admin API (Options.AdminAPI) lets a person running `skillcert fake-wechat`
// do what tests do through methods. Not part of WeChat's API:
//
//	GET  /_fake/sent                                   accepted messages (JSON array)
//	POST /_fake/subscriptions {"openid","template_id","n"}  GrantSubscribe
//	POST /_fake/followers     {"openid"}               AddFollower
//	POST /_fake/codes         {"code","openid","unionid"}   RegisterCode
//	POST /_fake/phone-codes   {"code","phone"}         RegisterPhoneCode
//	POST /_fake/expire-tokens                          ExpireTokens
//	POST /_fake/fail          {"path","n","errcode"}   FailNextOn (path "" = FailNext)
//	POST /_fake/face          {"verify_id","verify_ret"}  SetFaceResult (the user's face scan)
//	POST /_fake/face          {"cert_no","verify_ret"}    SetFaceDefault
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_fake/sent" && r.Method == http.MethodGet {
		writeJSON(w, s.Sent())
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	var req struct {
		OpenID     string `json:"openid"`
		UnionID    string `json:"unionid"`
		TemplateID string `json:"template_id"`
		Code       string `json:"code"`
		Phone      string `json:"phone"`
		Path       string `json:"path"`
		N          int    `json:"n"`
		Errcode    int    `json:"errcode"`
		VerifyID   string `json:"verify_id"`
		CertNo     string `json:"cert_no"`
		VerifyRet  int    `json:"verify_ret"`
	}
	if r.URL.Path != "/_fake/expire-tokens" {
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	missing := func(fields ...string) bool {
		for _, f := range fields {
			if f == "" {
				http.Error(w, "missing field", http.StatusBadRequest)
				return true
			}
		}
		return false
	}
	switch r.URL.Path {
	case "/_fake/subscriptions":
		if missing(req.OpenID, req.TemplateID) {
			return
		}
		if req.N <= 0 {
			req.N = 1
		}
		s.GrantSubscribe(req.OpenID, req.TemplateID, req.N)
	case "/_fake/followers":
		if missing(req.OpenID) {
			return
		}
		s.AddFollower(req.OpenID)
	case "/_fake/codes":
		if missing(req.Code, req.OpenID) {
			return
		}
		s.RegisterCode(req.Code, req.OpenID, req.UnionID)
	case "/_fake/phone-codes":
		if missing(req.Code, req.Phone) {
			return
		}
		s.RegisterPhoneCode(req.Code, req.Phone)
	case "/_fake/expire-tokens":
		s.ExpireTokens()
	case "/_fake/fail":
		if req.N <= 0 {
			req.N = 1
		}
		if req.Path == "" {
			s.FailNext(req.N, req.Errcode)
		} else {
			s.FailNextOn(req.Path, req.N, req.Errcode)
		}
	case "/_fake/face":
		switch {
		case req.VerifyID != "":
			if !s.SetFaceResult(req.VerifyID, req.VerifyRet) {
				http.Error(w, "no such verify_id", http.StatusNotFound)
				return
			}
		case req.CertNo != "":
			s.SetFaceDefault(req.CertNo, req.VerifyRet)
		default:
			http.Error(w, "missing field", http.StatusBadRequest)
			return
		}
	default:
		http.NotFound(w, r)
		return
	}
	writeJSON(w, map[string]any{"ok": true})
}
