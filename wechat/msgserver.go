package wechat

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	mpmessage "github.com/silenceper/wechat/v2/miniprogram/message"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
)

// MaxClockSkew is how far a callback's timestamp may be from our clock: older
// requests (replays) and ones from the future are refused.
const MaxClockSkew = 5 * time.Minute

// maxNonceLength bounds a callback's nonce (WeChat's are about ten characters).
const maxNonceLength = 64

// Errors of the message server; the HTTP edge maps them to its answers.
var (
	// ErrBadSignature: a signature or msg_signature is missing or wrong, the
	// timestamp is stale, the token is not configured, or the (timestamp, nonce)
	// pair was used before with another body.
	ErrBadSignature = errors.New("wechat callback: bad signature or stale request")
	// ErrPlainRefused: a plain message while only safe mode is accepted.
	ErrPlainRefused = errors.New("wechat callback: plain message refused (safe mode only)")
	// ErrBadMessage: the body cannot be read, decrypted or decoded.
	ErrBadMessage = errors.New("wechat callback: malformed message")
)

// ReplayGuard remembers the (timestamp, nonce) of each signed callback: the
// first use, and WeChat's retries of the very same request, pass; the pair with
// another body does not.
type ReplayGuard interface {
	ClaimCallbackNonce(ctx context.Context, timestamp, nonce string, body []byte) (bool, error)
}

// MessageServer is the official account's message server (GET and POST
// /wechat/callback). It checks every request once, in constant time, and
// decrypts safe-mode messages; the SDK's own server is not used, since it
// checks msg_signature again, in variable time, without the timestamp's age or
// replay protection.
type MessageServer struct {
	Token  string // WECHAT_OA_TOKEN
	AppID  string // the official account's app id, sealed into safe-mode messages
	AESKey string // WECHAT_OA_AES_KEY (EncodingAESKey); "" without safe mode
	// Mode is WECHAT_OA_MESSAGE_MODE: "safe" accepts only encrypted messages,
	// "compatible" encrypted or plain ones, "plain" plain ones (and encrypted ones
	// when a key is configured).
	Mode    string
	Replays ReplayGuard // required
	Now     func() time.Time
}

// NewMessageServer is the message server of c's official account (nil when
// none is configured).
func (c *Client) NewMessageServer(mode string, replays ReplayGuard, now func() time.Time) *MessageServer {
	if c == nil || c.oa == nil {
		return nil
	}
	return &MessageServer{Token: c.cfg.OAToken, AppID: c.cfg.OAAppID, AESKey: c.cfg.OAAESKey, Mode: mode, Replays: replays, Now: now}
}

// Inbound is one message or event pushed by WeChat.
type Inbound struct {
	MsgID       int64  // 0 for events
	CreateTime  int64  // Unix seconds
	From        string // the follower's openid (FromUserName)
	To          string // the official account (ToUserName)
	UnionID     string // sent by WeChat for some events; often ""
	MsgType     string // "text", "voice", "event", …
	Content     string // of a text message
	Recognition string // of a voice message, when speech recognition is on
	Event       string // of an event ("subscribe", "CLICK", …)
	EventKey    string
	// Media is the verdict of a wxa_media_check event (mini-program message
	// push); nil for other messages.
	Media *MediaVerdict
}

// MediaVerdict is WeChat's answer to a CheckMediaAsync call.
type MediaVerdict struct {
	TraceID string
	Suggest string // VerdictPass, VerdictReview or VerdictRisky; "" when the check failed
	ErrCode int    // non-zero when WeChat could not check the media (e.g. it could not fetch it)
}

// EventMediaCheck is the event of an asynchronous media check's verdict.
const EventMediaCheck = "wxa_media_check"

// NewMPMessageServer is the mini-program's message push server (消息推送,
// /wechat/mp/callback), checked like the official account's with the
// WECHAT_MP_TOKEN (and WECHAT_MP_AES_KEY in safe mode); nil when no
// mini-program or no push token is configured.
func (c *Client) NewMPMessageServer(replays ReplayGuard, now func() time.Time) *MessageServer {
	if c == nil || c.mp == nil || c.cfg.MPToken == "" {
		return nil
	}
	mode := "plain"
	if c.cfg.MPAESKey != "" {
		mode = "compatible"
	}
	return &MessageServer{Token: c.cfg.MPToken, AppID: c.cfg.MPAppID, AESKey: c.cfg.MPAESKey, Mode: mode, Replays: replays, Now: now}
}

// Callback is one verified POST: its message, and what is needed to answer it.
type Callback struct {
	Message Inbound
	srv     *MessageServer
	safe    bool
	ts      string
	nonce   string
	random  []byte // the safe-mode message's random prefix, reused by the reply
}

// VerifyURL answers WeChat's GET check of the callback URL: the echostr to send
// back, once the request is verified.
func (s *MessageServer) VerifyURL(ctx context.Context, q url.Values) (string, error) {
	echo := q.Get("echostr")
	if _, err := s.verify(ctx, q, "GET", "", []byte(echo)); err != nil {
		return "", err
	}
	if echo == "" {
		return "", ErrBadMessage
	}
	return echo, nil
}

// Open verifies a POSTed callback and decodes its message. The checks, in
// order:
//
//  1. signature = SHA-1 of the sorted token, timestamp and nonce (constant
//     time), and the timestamp within MaxClockSkew of our clock;
//  2. the message mode: with encrypt_type=aes the body's Encrypt element must be
//     covered by msg_signature (token, timestamp, nonce, Encrypt), which is what
//     binds the body to the signature; a plain body is accepted only when the mode
//     is not "safe", since nothing signs it;
//  3. the (timestamp, nonce) pair was not used before with another body (a
//     captured URL replayed with a forged message); WeChat's own retries repeat
//     the whole request and pass.
//
// Then a safe-mode message is decrypted, and the message decoded (XML, or JSON
// when contentType says so).
func (s *MessageServer) Open(ctx context.Context, q url.Values, contentType string, body []byte) (*Callback, error) {
	isJSON := strings.Contains(contentType, "application/json")
	enc, err := s.verify(ctx, q, "POST", contentType, body)
	if err != nil {
		return nil, err
	}
	cb := &Callback{srv: s, safe: enc != "", ts: q.Get("timestamp"), nonce: q.Get("nonce")}
	raw := body
	if cb.safe {
		if cb.random, raw, err = util.DecryptMsg(s.AppID, enc, s.AESKey); err != nil {
			return nil, fmt.Errorf("%w: decrypt: %v", ErrBadMessage, err)
		}
	}
	var m message.MixMessage
	if isJSON {
		err = json.Unmarshal(raw, &m)
	} else {
		err = xml.Unmarshal(raw, &m)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadMessage, err)
	}
	cb.Message = Inbound{MsgID: m.MsgID, CreateTime: m.CreateTime, From: string(m.FromUserName), To: string(m.ToUserName),
		UnionID: m.UnionID, MsgType: string(m.MsgType), Content: m.Content, Recognition: m.Recognition,
		Event: string(m.Event), EventKey: m.EventKey}
	if cb.Message.Event == EventMediaCheck {
		var d mpmessage.MediaCheckAsyncData
		if isJSON {
			err = json.Unmarshal(raw, &d)
		} else {
			err = xml.Unmarshal(raw, &d)
		}
		if err != nil || d.TraceID == "" {
			return nil, fmt.Errorf("%w: media check without trace_id", ErrBadMessage)
		}
		cb.Message.Media = &MediaVerdict{TraceID: d.TraceID, Suggest: string(d.Result.Suggest), ErrCode: d.Errcode}
	}
	return cb, nil
}

// verify is the one check of every callback request (see Open). It returns the
// Encrypt element of a safe-mode POST ("" otherwise).
func (s *MessageServer) verify(ctx context.Context, q url.Values, method, contentType string, body []byte) (enc string, err error) {
	ts, nonce, sig := q.Get("timestamp"), q.Get("nonce"), q.Get("signature")
	if s.Token == "" || ts == "" || nonce == "" || sig == "" || len(nonce) > maxNonceLength || !s.fresh(ts) ||
		!sameSignature(sig, util.Signature(s.Token, ts, nonce)) {
		return "", ErrBadSignature
	}
	if method == "POST" {
		switch {
		case q.Get("encrypt_type") == "aes":
			if enc, err = s.encrypted(q, contentType, body); err != nil {
				return "", err
			}
		case s.Mode == "safe":
			return "", ErrPlainRefused
		}
	}
	first, err := s.Replays.ClaimCallbackNonce(ctx, ts, nonce, body)
	if err != nil {
		return "", fmt.Errorf("wechat callback: nonce check: %w", err)
	}
	if !first {
		return "", ErrBadSignature
	}
	return enc, nil
}

// encrypted returns the Encrypt element of a safe-mode body (XML, or JSON when
// so declared) once msg_signature covers it.
func (s *MessageServer) encrypted(q url.Values, contentType string, body []byte) (string, error) {
	if s.Mode == "plain" && s.AESKey == "" {
		return "", ErrBadMessage
	}
	var env message.EncryptedXMLMsg
	var err error
	if strings.Contains(contentType, "application/json") {
		err = json.Unmarshal(body, &env)
	} else {
		err = xml.Unmarshal(body, &env)
	}
	if err != nil || env.EncryptedMsg == "" {
		return "", ErrBadMessage
	}
	want := util.Signature(s.Token, q.Get("timestamp"), q.Get("nonce"), env.EncryptedMsg)
	if got := q.Get("msg_signature"); got == "" || !sameSignature(got, want) {
		return "", ErrBadSignature
	}
	return env.EncryptedMsg, nil
}

// fresh tells whether a Unix timestamp in seconds is within MaxClockSkew of now.
func (s *MessageServer) fresh(ts string) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	d := now().Sub(time.Unix(sec, 0))
	return d <= MaxClockSkew && d >= -MaxClockSkew
}

// sameSignature compares a received signature with the expected one in
// constant time (case-insensitive hex).
func sameSignature(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(got)), []byte(want)) == 1
}

// Reply is the response body to a callback: "success" when text is "" (no
// reply now), else a passive text reply to the follower, encrypted and signed
// in safe mode. contentType goes with it.
func (cb *Callback) Reply(text string) (contentType string, body []byte, err error) {
	if text == "" {
		return "text/plain; charset=utf-8", []byte("success"), nil
	}
	now := time.Now
	if cb.srv.Now != nil {
		now = cb.srv.Now
	}
	msg := message.NewText(text)
	msg.SetToUserName(message.CDATA(cb.Message.From))
	msg.SetFromUserName(message.CDATA(cb.Message.To))
	msg.SetMsgType(message.MsgTypeText)
	msg.SetCreateTime(now().Unix())
	raw, err := xml.Marshal(msg)
	if err != nil {
		return "", nil, err
	}
	if !cb.safe {
		return "application/xml; charset=utf-8", raw, nil
	}
	enc, err := util.EncryptMsg(cb.random, raw, cb.srv.AppID, cb.srv.AESKey)
	if err != nil {
		return "", nil, err
	}
	ts, err := strconv.ParseInt(cb.ts, 10, 64)
	if err != nil {
		return "", nil, err
	}
	body, err = xml.Marshal(message.ResponseEncryptedXMLMsg{
		EncryptedMsg: string(enc),
		MsgSignature: util.Signature(cb.srv.Token, cb.ts, cb.nonce, string(enc)),
		Timestamp:    ts,
		Nonce:        cb.nonce,
	})
	return "application/xml; charset=utf-8", body, err
}
