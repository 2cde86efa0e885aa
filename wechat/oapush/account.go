package oapush

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// Account is the official account's message-server settings, as WeChat holds
// them: the token, and for safe mode the EncodingAESKey and the app id.
type Account struct {
	Token  string
	AESKey string // 43 characters; used when Safe
	AppID  string // the app id sealed into safe-mode messages
	Safe   bool   // post encrypted (encrypt_type=aes)
	// Now is the clock of the pushes' timestamps; time.Now when nil.
	Now func() time.Time
}

func (a Account) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

// Request builds the signed POST of m to the callback at callbackURL (e.g.
// http://127.0.0.1:8080/wechat/callback), encrypted in safe mode.
func (a Account) Request(ctx context.Context, callbackURL string, m Message) (*http.Request, error) {
	return a.RequestBody(ctx, callbackURL, m.From, m.XML(a.now()))
}

// RequestBody is Request for a raw message body (tests post malformed ones).
func (a Account) RequestBody(ctx context.Context, callbackURL, openID string, raw []byte) (*http.Request, error) {
	q, body, err := a.Sign(openID, raw)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callbackURL+"?"+q.Encode(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/xml")
	return req, nil
}

// Sign returns the query and body WeChat would post for raw: signature,
// timestamp, nonce and openid; in safe mode also encrypt_type and msg_signature,
// with raw encrypted in the body.
func (a Account) Sign(openID string, raw []byte) (url.Values, []byte, error) {
	ts := strconv.FormatInt(a.now().Unix(), 10)
	nonce := randomHex(5)
	q := url.Values{"signature": {util.Signature(a.Token, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "openid": {openID}}
	if !a.Safe {
		return q, raw, nil
	}
	enc, err := util.EncryptMsg([]byte(randomHex(8)), raw, a.AppID, a.AESKey)
	if err != nil {
		return nil, nil, fmt.Errorf("encrypt: %w", err)
	}
	q.Set("encrypt_type", "aes")
	q.Set("msg_signature", util.Signature(a.Token, ts, nonce, string(enc)))
	body, err := xml.Marshal(struct {
		XMLName    xml.Name `xml:"xml"`
		ToUserName cdata    `xml:"ToUserName"`
		Encrypt    cdata    `xml:"Encrypt"`
	}{ToUserName: cdata{DefaultAccountID}, Encrypt: cdata{string(enc)}})
	return q, body, err
}

// VerifyURL builds WeChat's GET check of the callback URL, signed, with echostr.
func (a Account) VerifyURL(callbackURL, echostr string) string {
	ts := strconv.FormatInt(a.now().Unix(), 10)
	nonce := randomHex(5)
	q := url.Values{"signature": {util.Signature(a.Token, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "echostr": {echostr}}
	return callbackURL + "?" + q.Encode()
}

// Reply is the callback's answer to a push.
type Reply struct {
	Status  int
	Success bool   // "success" or an empty body: no reply to show
	MsgType string // of a passive reply: "text"
	Content string // the text shown to the follower
	To      string // the reply's ToUserName: the follower
	Body    string // the raw body
}

// Send posts m and reads the reply.
func (a Account) Send(ctx context.Context, hc *http.Client, callbackURL string, m Message) (Reply, error) {
	req, err := a.Request(ctx, callbackURL, m)
	if err != nil {
		return Reply{}, err
	}
	res, err := hc.Do(req)
	if err != nil {
		return Reply{}, err
	}
	defer res.Body.Close()
	return a.ReadReply(res)
}

// ReadReply reads a callback's response: "success", or a passive reply (checked
// and decrypted in safe mode).
func (a Account) ReadReply(res *http.Response) (Reply, error) {
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Status: res.StatusCode, Body: string(b)}
	if res.StatusCode != http.StatusOK {
		return r, nil
	}
	if s := strings.TrimSpace(r.Body); s == "" || s == "success" {
		r.Success = true
		return r, nil
	}
	inner := b
	if a.Safe {
		if inner, err = a.open(b); err != nil {
			return r, err
		}
	}
	var msg struct {
		ToUserName string `xml:"ToUserName"`
		MsgType    string `xml:"MsgType"`
		Content    string `xml:"Content"`
	}
	if err := xml.Unmarshal(inner, &msg); err != nil {
		return r, fmt.Errorf("reply is not WeChat XML: %w", err)
	}
	r.MsgType, r.Content, r.To = msg.MsgType, msg.Content, msg.ToUserName
	return r, nil
}

// open checks a safe-mode reply's signature and decrypts it.
func (a Account) open(body []byte) ([]byte, error) {
	var env struct {
		Encrypt      string `xml:"Encrypt"`
		MsgSignature string `xml:"MsgSignature"`
		TimeStamp    int64  `xml:"TimeStamp"`
		Nonce        string `xml:"Nonce"`
	}
	if err := xml.Unmarshal(body, &env); err != nil || env.Encrypt == "" {
		return nil, fmt.Errorf("safe-mode reply without Encrypt: %q", body)
	}
	if env.MsgSignature != util.Signature(a.Token, strconv.FormatInt(env.TimeStamp, 10), env.Nonce, env.Encrypt) {
		return nil, fmt.Errorf("safe-mode reply with a bad MsgSignature")
	}
	_, inner, err := util.DecryptMsg(a.AppID, env.Encrypt, a.AESKey)
	if err != nil {
		return nil, fmt.Errorf("decrypt reply: %w", err)
	}
	return inner, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
