package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/silenceper/wechat/v2/officialaccount"
	"github.com/silenceper/wechat/v2/officialaccount/message"

	"skillcert/chatbot"
	"skillcert/domain"
)

// oaMaxBody is the largest callback body read: WeChat's pushes are a few KB.
const oaMaxBody = 64 << 10

// maxOpenIDLength bounds FromUserName (WeChat's openids have 28 characters).
const maxOpenIDLength = 64

// OACallback is the official account's message server (GET and POST
// /wechat/callback): every request passes verify (oaverify.go: signature,
// timestamp, message mode, msg_signature, nonce reuse), then the message is
// decoded through the SDK's server (plain or safe/AES mode) built per request and
// passed to the Inbox, which answers each message once and in time.
type OACallback struct {
	OA    *officialaccount.OfficialAccount // nil when no official account is configured
	Token string                           // WECHAT_OA_TOKEN
	// Mode is WECHAT_OA_MESSAGE_MODE: "safe" accepts only encrypted messages,
	// "compatible" encrypted or plain ones, "plain" plain ones (and encrypted
	// ones when a key is configured).
	Mode   string
	Nonces CallbackNonces // remembers (timestamp, nonce) pairs; required
	Inbox  *chatbot.Inbox
	Now    func() time.Time
}

var (
	errOAForbidden = domain.NewError(domain.KindForbidden, "bad_signature", "签名无效或请求已过期")
	errOABadBody   = domain.Invalid("body", "bad_message", "消息格式不正确")
	errOADown      = domain.NewError(domain.KindUnavailable, "oa_not_configured", "公众号暂未开通")
)

// Verify is GET /wechat/callback: WeChat's URL check, answered with echostr.
func (h *OACallback) Verify(c echo.Context) error {
	s := c.QueryParam("echostr")
	if _, err := h.verify(c, []byte(s)); err != nil {
		return err
	}
	if s == "" {
		return errOABadBody
	}
	return c.String(http.StatusOK, s)
}

// Receive is POST /wechat/callback: a message or event. The reply is a passive
// text reply (encrypted in safe mode), or "success" when there is none now.
func (h *OACallback) Receive(c echo.Context) error {
	if h.OA == nil {
		return errOADown
	}
	req := c.Request()
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, oaMaxBody))
	if err != nil {
		return errOABadBody
	}
	if _, err := h.verify(c, body); err != nil {
		return err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	var answer string
	srv := h.OA.GetServer(req, c.Response())
	srv.SkipValidate(true) // verify checked it, in constant time, with the timestamp's age and the nonce
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

// answer turns the SDK's message into the chat's and answers it once.
func (h *OACallback) answer(c echo.Context, m *message.MixMessage) string {
	from := string(m.FromUserName)
	if from == "" || len(from) > maxOpenIDLength {
		return ""
	}
	msg := chatbot.Message{OpenID: from, UnionID: m.UnionID, Kind: chatbot.KindOther,
		Origin: c.Scheme() + "://" + c.Request().Host}
	switch {
	case m.MsgType == message.MsgTypeText:
		msg.Kind, msg.Text = chatbot.KindText, m.Content
	case m.MsgType == message.MsgTypeVoice && m.Recognition != "":
		msg.Kind, msg.Text, msg.Voice = chatbot.KindText, m.Recognition, true
	case m.MsgType == message.MsgTypeEvent:
		msg.Kind, msg.Event, msg.EventKey = chatbot.KindEvent, string(m.Event), m.EventKey
	}
	if len(msg.UnionID) > maxOpenIDLength {
		msg.UnionID = ""
	}
	if e := domain.ValidText("text", msg.Text); e != nil {
		return e.Message // the same rule as every other door; nothing reaches the chat
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
