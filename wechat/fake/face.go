package fake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"time"
)

// Face verification (人脸核身) as WeChat answers it: getverifyid opens a
// one-time session for (openid, out_seq_no, cert_info); the user's face scan
// (wx.requestFacialVerify) happens on the phone, which here is the test:
// SetFaceResult says how it went; queryverifyinfo then answers verify_ret once.
// An unknown, expired (Options.FaceTTL, 10 minutes by default) or already
// queried verify_id is errcode 84001; a query whose openid, out_seq_no or
// cert_hash differ from the session's is 40097; a reused out_seq_no is 40097.

// The face verification paths.
const (
	PathFaceGetVerifyID   = "/cityservice/face/identify/getverifyid"
	PathFaceQueryVerifyID = "/cityservice/face/identify/queryverifyinfo"
)

// verify_ret values the fake answers (WeChat's queryVerifyInfo enumeration).
const (
	FacePass        = 10000 // 识别成功
	FaceIDMismatch  = 10003 // 身份证号不匹配: the name and number do not belong together
	FaceNoMatch     = 10004 // 比对人脸信息不匹配: the face is someone else's
	FaceUserCancels = 90004 // 用户在识别过程中取消: what a query before any scan answers
)

// faceSession is one getverifyid session.
type faceSession struct {
	appID, openID, outSeqNo string
	certHash                string
	certNo                  string
	issued                  time.Time
	verifyRet               int // 0 until the user scanned (SetFaceResult)
	used                    bool
}

var outSeqNoRe = regexp.MustCompile(`^[A-Za-z0-9_-]{5,32}$`)

// certHash is the cert_hash of a cert_info: base64(SHA-256 of
// "cert_type=…&cert_name=…&cert_no=…"), as the adapter computes it.
func certHash(certType, name, no string) string {
	sum := sha256.Sum256([]byte("cert_type=" + certType + "&cert_name=" + name + "&cert_no=" + no))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// SetFaceResult records the outcome of the user's face scan in the session
// verifyID: FacePass, FaceNoMatch, FaceIDMismatch or any other verify_ret. It
// reports false when there is no such session.
func (s *Server) SetFaceResult(verifyID string, verifyRet int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs, ok := s.faces[verifyID]
	if ok {
		fs.verifyRet = verifyRet
	}
	return ok
}

// SetFaceDefault makes every session opened from now on for the ID number certNo
// end with verifyRet without a SetFaceResult (0 removes the default): for runs
// where no test drives the phone.
func (s *Server) SetFaceDefault(certNo string, verifyRet int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if verifyRet == 0 {
		delete(s.faceDefaults, certNo)
		return
	}
	s.faceDefaults[certNo] = verifyRet
}

// FaceSessions returns the verify ids opened for an openid, oldest first.
func (s *Server) FaceSessions(openID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.faceOrder {
		if s.faces[id].openID == openID {
			out = append(out, id)
		}
	}
	return out
}

func newVerifyID() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "fv_" + base64.RawURLEncoding.EncodeToString(b)
}

// handleGetVerifyID answers getverifyid.
func (s *Server) handleGetVerifyID(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OutSeqNo string `json:"out_seq_no"`
		OpenID   string `json:"openid"`
		CertInfo struct {
			CertType string `json:"cert_type"`
			CertName string `json:"cert_name"`
			CertNo   string `json:"cert_no"`
		} `json:"cert_info"`
	}
	appID, ok := s.authorized(w, r, kindMP, &req)
	if !ok {
		return
	}
	ci := req.CertInfo
	if !outSeqNoRe.MatchString(req.OutSeqNo) || req.OpenID == "" || ci.CertType != "IDENTITY_CARD" ||
		ci.CertName == "" || len(ci.CertNo) != 18 {
		writeErr(w, 47001, "")
		return
	}
	id := newVerifyID()
	s.mu.Lock()
	seqKey := appID + "\x00" + req.OutSeqNo
	if s.faceSeqs[seqKey] {
		s.mu.Unlock()
		writeErr(w, 40097, "out_seq_no used")
		return
	}
	s.faceSeqs[seqKey] = true
	s.faces[id] = &faceSession{appID: appID, openID: req.OpenID, outSeqNo: req.OutSeqNo,
		certHash: certHash(ci.CertType, ci.CertName, ci.CertNo), certNo: ci.CertNo,
		issued: s.opts.Now(), verifyRet: s.faceDefaults[ci.CertNo]}
	s.faceOrder = append(s.faceOrder, id)
	s.mu.Unlock()
	writeJSON(w, okBody(map[string]any{"verify_id": id, "expires_in": int(s.opts.FaceTTL / time.Second)}))
}

// handleQueryVerifyInfo answers queryverifyinfo, once per session.
func (s *Server) handleQueryVerifyInfo(w http.ResponseWriter, r *http.Request) {
	var req struct {
		VerifyID string `json:"verify_id"`
		OutSeqNo string `json:"out_seq_no"`
		CertHash string `json:"cert_hash"`
		OpenID   string `json:"openid"`
	}
	appID, ok := s.authorized(w, r, kindMP, &req)
	if !ok {
		return
	}
	if req.VerifyID == "" || req.OutSeqNo == "" || req.CertHash == "" || req.OpenID == "" {
		writeErr(w, 47001, "")
		return
	}
	s.mu.Lock()
	fs, ok := s.faces[req.VerifyID]
	switch {
	case !ok || fs.appID != appID || fs.used || s.opts.Now().Sub(fs.issued) > s.opts.FaceTTL:
		s.mu.Unlock()
		writeErr(w, 84001, "")
		return
	case fs.openID != req.OpenID || fs.outSeqNo != req.OutSeqNo || fs.certHash != req.CertHash:
		s.mu.Unlock()
		writeErr(w, 40097, "")
		return
	}
	fs.used = true
	ret := fs.verifyRet
	if ret == 0 {
		ret = FaceUserCancels
	}
	s.mu.Unlock()
	writeJSON(w, okBody(map[string]any{"verify_ret": ret}))
}
