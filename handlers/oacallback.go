package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/silenceper/wechat/v2/officialaccount"
	"github.com/silenceper/wechat/v2/officialaccount/message"

	"skillcert/chatbot"
	"skillcert/domain"
	"skillcert/internal/oapush"
)

// oaMaxBody is the largest callback body read: WeChat's pushes are a few KB.
const oaMaxBody = 64 << 10

// maxOpenIDLength bounds FromUserName (WeChat's openids have 28 characters).
const maxOpenIDLength = 64

// OACallback is the official account's message server (GET and POST
// /wechat/callback): it checks WeChat's signature and timestamp, decodes the
// message through the SDK's server (plain or safe/AES mode) built per request,
// and passes it to the Inbox, which answers each message once and in time.
type OACallback struct {
	OA    *officialaccount.OfficialAccount // nil when no official account is configured
	Token string                           // WECHAT_OA_TOKEN
	Inbox *chatbot.Inbox
	Now   func() time.Time
}

var (
	errOAForbidden = domain.NewError(domain.KindForbidden, "bad_signature", "签名无效或请求已过期")
	errOABadBody   = domain.Invalid("body", "bad_message", "消息格式不正确")
	errOADown      = domain.NewError(domain.KindUnavailable, "oa_not_configured", "公众号暂未开通")
)

// checkSignature verifies signature (constant-time) and the timestamp's age.
func (h *OACallback) checkSignature(c echo.Context) error {
	if h.OA == nil {
		return errOADown
	}
	q := c.QueryParams()
	ts, nonce, sig := q.Get("timestamp"), q.Get("nonce"), q.Get("signature")
	if h.Token == "" || ts == "" || nonce == "" || sig == "" || !freshTimestamp(ts, h.Now()) ||
		!sameSignature(sig, oapush.Signature(h.Token, ts, nonce)) {
		return errOAForbidden
	}
	return nil
}

// Verify is GET /wechat/callback: WeChat's URL check, answered with echostr.
func (h *OACallback) Verify(c echo.Context) error {
	if err := h.checkSignature(c); err != nil {
		return err
	}
	s := c.QueryParam("echostr")
	if s == "" {
		return errOABadBody
	}
	return c.String(http.StatusOK, s)
}

// Receive is POST /wechat/callback: a message or event. The reply is a passive
// text reply (encrypted in safe mode), or "success" when there is none now.
func (h *OACallback) Receive(c echo.Context) error {
	if err := h.checkSignature(c); err != nil {
		return err
	}
	req := c.Request()
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, oaMaxBody))
	if err != nil {
		return errOABadBody
	}
	safe := c.QueryParam("encrypt_type") == "aes"
	if safe {
		if err := h.checkMsgSignature(c, body); err != nil {
			return err
		}
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	var answer string
	srv := h.OA.GetServer(req, c.Response())
	srv.SkipValidate(true) // checked above, in constant time and with the timestamp's age
	srv.SetMessageHandler(func(m *message.MixMessage) *message.Reply {
		answer = h.answer(c, m)
		if answer == "" {
			return nil
		}
		return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText(answer)}
	})
	if err := srv.Serve(); err != nil {
		if c.Response().Committed {
			return nil
		}
		return errOABadBody
	}
	if answer != "" {
		if err := srv.Send(); err != nil {
			return domain.Internal(err)
		}
		return nil
	}
	if !c.Response().Committed { // safe mode: the SDK writes nothing for no reply
		return c.String(http.StatusOK, "success")
	}
	return nil
}

// checkMsgSignature verifies msg_signature over the Encrypt element of a
// safe-mode body (XML, or JSON when so declared).
func (h *OACallback) checkMsgSignature(c echo.Context, body []byte) error {
	var enc message.EncryptedXMLMsg
	var err error
	if strings.Contains(c.Request().Header.Get(echo.HeaderContentType), "application/json") {
		err = json.Unmarshal(body, &enc)
	} else {
		err = xml.Unmarshal(body, &enc)
	}
	if err != nil || enc.EncryptedMsg == "" {
		return errOABadBody
	}
	q := c.QueryParams()
	want := oapush.Signature(h.Token, q.Get("timestamp"), q.Get("nonce"), enc.EncryptedMsg)
	if !sameSignature(q.Get("msg_signature"), want) {
		return errOAForbidden
	}
	return nil
}

// answer turns the SDK's message into the chat's and answers it once.
func (h *OACallback) answer(c echo.Context, m *message.MixMessage) string {
	from := string(m.FromUserName)
	if from == "" || len(from) > maxOpenIDLength {
		return ""
	}
	msg := chatbot.Message{OpenID: from, UnionID: m.UnionID, Kind: chatbot.KindOther}
	switch {
	case m.MsgType == message.MsgTypeText:
		msg.Kind, msg.Text = chatbot.KindText, m.Content
	case m.MsgType == message.MsgTypeVoice && m.Recognition != "":
		msg.Kind, msg.Text = chatbot.KindText, m.Recognition
	case m.MsgType == message.MsgTypeEvent:
		msg.Kind, msg.Event, msg.EventKey = chatbot.KindEvent, string(m.Event), m.EventKey
	}
	if len(msg.UnionID) > maxOpenIDLength {
		msg.UnionID = ""
	}
	return h.Inbox.Answer(c.Request().Context(), dedupeKey(m), msg)
}

// dedupeKey names a message for de-duplication: its MsgId; for events, which
// have none, FromUserName and CreateTime (with the event and key, so two
// different events in one second stay two). Long keys are hashed.
func dedupeKey(m *message.MixMessage) string {
	if m.MsgID != 0 {
		return "msg:" + strconv.FormatInt(m.MsgID, 10)
	}
	key := "evt:" + string(m.FromUserName) + ":" + strconv.FormatInt(m.CreateTime, 10) + ":" + string(m.Event) + ":" + m.EventKey
	if len(key) > 100 {
		sum := sha256.Sum256([]byte(key))
		key = "evh:" + hex.EncodeToString(sum[:])
	}
	return key
}
