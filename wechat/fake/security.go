package fake

import (
	"context"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"skillcert/wechat/oapush"
)

// The content-security paths (msgSecCheck and mediaCheckAsync, version 2).
const (
	PathMsgSecCheck     = "/wxa/msg_sec_check"
	PathMediaCheckAsync = "/wxa/media_check_async"
)

// MPAccountID is the ToUserName (the mini-program's original id) of the
// events the fake pushes to the mini-program's message push.
const MPAccountID = "gh_fake_mp"

// Labels of the verdicts the fake gives (WeChat's label values).
const (
	labelNormal = 100
	labelOther  = 21000
)

// pendingMedia is a mediaCheckAsync call whose verdict is not yet pushed.
type pendingMedia struct {
	traceID, url, openID string
}

// MarkTextRisky makes msgSecCheck answer "risky" for every text containing
// word (and MarkTextReview "review"), as WeChat does for a banned keyword.
func (s *Server) MarkTextRisky(word string) { s.markText(word, "risky") }

// MarkTextReview makes msgSecCheck answer "review" for texts containing word.
func (s *Server) MarkTextReview(word string) { s.markText(word, "review") }

func (s *Server) markText(word, suggest string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.riskyWords == nil {
		s.riskyWords = map[string]string{}
	}
	s.riskyWords[word] = suggest
}

// MarkMediaRisky makes the verdict of any media whose bytes are content
// "risky" (matched by SHA-256 when the fake fetches the media URL).
func (s *Server) MarkMediaRisky(content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.riskyMedia == nil {
		s.riskyMedia = map[[32]byte]bool{}
	}
	s.riskyMedia[sha256.Sum256(content)] = true
}

// secRequest is the body of both calls (version 2).
type secRequest struct {
	OpenID    string `json:"openid"`
	Scene     int    `json:"scene"`
	Version   int    `json:"version"`
	Content   string `json:"content"`
	MediaURL  string `json:"media_url"`
	MediaType int    `json:"media_type"`
}

// checkSecRequest applies WeChat's checks common to both calls: a token of the
// mini-program, version 2, a known openid (under StrictOpenIDs), scene 1–4.
func (s *Server) checkSecRequest(w http.ResponseWriter, r *http.Request) (secRequest, bool) {
	var req secRequest
	if _, ok := s.authorized(w, r, kindMP, &req); !ok {
		return req, false
	}
	s.mu.Lock()
	known := s.known[req.OpenID]
	s.mu.Unlock()
	switch {
	case req.Version != 2, req.Scene < 1, req.Scene > 4:
		writeErr(w, 40097, "")
		return req, false
	case req.OpenID == "", s.opts.StrictOpenIDs && !known:
		writeErr(w, 40003, "")
		return req, false
	}
	return req, true
}

func (s *Server) traceID() string {
	return fmt.Sprintf("%08x-%s", s.opts.Now().Unix(), randomString(16))
}

// handleMsgSecCheck is POST /wxa/msg_sec_check: a synchronous verdict on a text.
func (s *Server) handleMsgSecCheck(w http.ResponseWriter, r *http.Request) {
	req, ok := s.checkSecRequest(w, r)
	if !ok {
		return
	}
	if req.Content == "" || utf8.RuneCountInString(req.Content) > 2500 {
		writeErr(w, 40097, "")
		return
	}
	suggest, label := "pass", labelNormal
	s.mu.Lock()
	for word, sg := range s.riskyWords {
		if strings.Contains(req.Content, word) && (suggest == "pass" || sg == "risky") {
			suggest, label = sg, labelOther
		}
	}
	s.mu.Unlock()
	writeJSON(w, okBody(map[string]any{
		"trace_id": s.traceID(),
		"result":   map[string]any{"suggest": suggest, "label": label},
		"detail": []map[string]any{{"strategy": "content_model", "errcode": 0, "suggest": suggest,
			"label": label, "prob": 90}},
	}))
}

// handleMediaCheckAsync is POST /wxa/media_check_async: the media is queued and
// its verdict pushed later (DeliverMediaChecks), as a wxa_media_check event.
func (s *Server) handleMediaCheckAsync(w http.ResponseWriter, r *http.Request) {
	req, ok := s.checkSecRequest(w, r)
	if !ok {
		return
	}
	if req.MediaType != 1 && req.MediaType != 2 {
		writeErr(w, 40097, "")
		return
	}
	if !strings.HasPrefix(req.MediaURL, "http://") && !strings.HasPrefix(req.MediaURL, "https://") {
		writeErr(w, 40066, "")
		return
	}
	trace := s.traceID()
	s.mu.Lock()
	s.mediaChecks = append(s.mediaChecks, pendingMedia{traceID: trace, url: req.MediaURL, openID: req.OpenID})
	s.mu.Unlock()
	writeJSON(w, okBody(map[string]any{"trace_id": trace}))
}

// PendingMediaChecks is how many media checks wait for DeliverMediaChecks.
func (s *Server) PendingMediaChecks() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.mediaChecks)
}

// mediaEvent is the wxa_media_check push (XML format).
type mediaEvent struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	Event        string   `xml:"Event"`
	AppID        string   `xml:"appid"`
	TraceID      string   `xml:"trace_id"`
	Version      int      `xml:"version"`
	Detail       struct {
		Strategy string `xml:"strategy"`
		ErrCode  int    `xml:"errcode"`
		Suggest  string `xml:"suggest"`
		Label    int    `xml:"label"`
		Prob     int    `xml:"prob"`
	} `xml:"detail"`
	ErrCode int    `xml:"errcode"`
	ErrMsg  string `xml:"errmsg"`
	Result  struct {
		Suggest string `xml:"suggest"`
		Label   int    `xml:"label"`
	} `xml:"result"`
}

// DeliverMediaChecks does what WeChat does with each queued media check: it
// fetches the media URL, judges the bytes (risky when MarkMediaRisky named
// them, else pass; a fetch that fails gives errcode -1 and no verdict), and
// posts the wxa_media_check event to callbackURL, signed with token like
// WeChat's message push (plain mode). A check whose post is not answered
// "success" stays queued, as WeChat retries it. It returns how many were
// delivered.
func (s *Server) DeliverMediaChecks(ctx context.Context, callbackURL, token string) (int, error) {
	s.mu.Lock()
	queue := s.mediaChecks
	s.mediaChecks = nil
	s.mu.Unlock()
	acct := oapush.Account{Token: token, AppID: s.opts.MPAppID, Now: s.opts.Now}
	hc := &http.Client{Timeout: 10 * time.Second}
	var errs []error
	var left []pendingMedia
	done := 0
	for _, m := range queue {
		ev := s.judgeMedia(ctx, hc, m)
		raw, err := xml.Marshal(ev)
		if err == nil {
			err = s.postEvent(ctx, hc, acct, callbackURL, m.openID, raw)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("media check %s: %w", m.traceID, err))
			left = append(left, m)
			continue
		}
		done++
	}
	if len(left) > 0 {
		s.mu.Lock()
		s.mediaChecks = append(left, s.mediaChecks...)
		s.mu.Unlock()
	}
	return done, errors.Join(errs...)
}

// judgeMedia fetches a queued media and builds its verdict event.
func (s *Server) judgeMedia(ctx context.Context, hc *http.Client, m pendingMedia) mediaEvent {
	ev := mediaEvent{ToUserName: MPAccountID, FromUserName: "o_system_wxa_media_check", CreateTime: s.opts.Now().Unix(),
		MsgType: "event", Event: "wxa_media_check", AppID: s.opts.MPAppID, TraceID: m.traceID, Version: 2}
	ev.Detail.Strategy = "content_model"
	body, err := fetch(ctx, hc, m.url)
	if err != nil {
		ev.ErrCode, ev.ErrMsg, ev.Detail.ErrCode = -1, "system error", -1
		return ev
	}
	suggest, label := "pass", labelNormal
	s.mu.Lock()
	if s.riskyMedia[sha256.Sum256(body)] {
		suggest, label = "risky", labelOther
	}
	s.mu.Unlock()
	ev.ErrMsg = "ok"
	ev.Detail.Suggest, ev.Detail.Label, ev.Detail.Prob = suggest, label, 90
	ev.Result.Suggest, ev.Result.Label = suggest, label
	return ev
}

// fetch GETs a media URL (at most 10 MB), as WeChat's fetcher does.
func fetch(ctx context.Context, hc *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("media URL answered HTTP %d", res.StatusCode)
	}
	return io.ReadAll(io.LimitReader(res.Body, 10<<20))
}

// postEvent posts one signed event and wants "success" back.
func (s *Server) postEvent(ctx context.Context, hc *http.Client, acct oapush.Account, url, openID string, raw []byte) error {
	req, err := acct.RequestBody(ctx, url, openID, raw)
	if err != nil {
		return err
	}
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	reply, err := acct.ReadReply(res)
	res.Body.Close()
	if err != nil {
		return err
	}
	if reply.Status != http.StatusOK || !reply.Success {
		return fmt.Errorf("callback answered HTTP %d %q", reply.Status, reply.Body)
	}
	return nil
}
