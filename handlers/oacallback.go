package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/chatbot"
	"skillcert/domain"
	"skillcert/wechat"
)

// oaMaxBody is the largest callback body read: WeChat's pushes are a few KB.
const oaMaxBody = 64 << 10

// maxOpenIDLength bounds FromUserName (WeChat's openids have 28 characters).
const maxOpenIDLength = 64

// OACallback is the official account's message server (GET and POST
// /wechat/callback): the adapter's message server verifies every request once
// (signature, timestamp, message mode, msg_signature, nonce reuse) and decrypts
// it; the message is then passed to the Inbox, which answers each message once
// and in time.
type OACallback struct {
	Server *wechat.MessageServer // nil when no official account is configured
	Inbox  *chatbot.Inbox
}

var (
	errOAForbidden    = domain.NewError(domain.KindForbidden, "bad_signature", "签名无效或请求已过期")
	errOABadBody      = domain.Invalid("body", "bad_message", "消息格式不正确")
	errOADown         = domain.NewError(domain.KindUnavailable, "oa_not_configured", "公众号暂未开通")
	errOAPlainRefused = domain.NewError(domain.KindForbidden, "plain_message_refused", "仅接受安全模式（加密）消息")
)

// oaError maps the message server's errors to the client's.
func oaError(err error) error {
	switch {
	case errors.Is(err, wechat.ErrBadSignature):
		return errOAForbidden
	case errors.Is(err, wechat.ErrPlainRefused):
		return errOAPlainRefused
	case errors.Is(err, wechat.ErrBadMessage):
		return errOABadBody
	}
	return domain.Internal(err)
}

// verifyURL answers WeChat's URL check (GET on a message server's URL) with
// echostr, once srv has verified the signature; down when srv is nil.
func verifyURL(c echo.Context, srv *wechat.MessageServer, down error) error {
	if srv == nil {
		return down
	}
	s, err := srv.VerifyURL(c.Request().Context(), c.QueryParams())
	if err != nil {
		return oaError(err)
	}
	return c.String(http.StatusOK, s)
}

// openPush reads a push (POST on a message server's URL) with the body limit,
// and has srv verify and decrypt it; down when srv is nil.
func openPush(c echo.Context, srv *wechat.MessageServer, down error) (*wechat.Callback, error) {
	if srv == nil {
		return nil, down
	}
	req := c.Request()
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, oaMaxBody))
	if err != nil {
		return nil, errOABadBody
	}
	cb, err := srv.Open(req.Context(), c.QueryParams(), req.Header.Get(echo.HeaderContentType), body)
	if err != nil {
		return nil, oaError(err)
	}
	return cb, nil
}

// Verify is GET /wechat/callback: WeChat's URL check, answered with echostr.
func (h *OACallback) Verify(c echo.Context) error { return verifyURL(c, h.Server, errOADown) }

// Receive is POST /wechat/callback: a message or event. The reply is a passive
// text reply (encrypted in safe mode), or "success" when there is none now.
func (h *OACallback) Receive(c echo.Context) error {
	cb, err := openPush(c, h.Server, errOADown)
	if err != nil {
		return err
	}
	ctype, reply, err := cb.Reply(h.answer(c, cb.Message))
	if err != nil {
		return domain.Internal(err)
	}
	return c.Blob(http.StatusOK, ctype, reply)
}

// answer turns WeChat's message into the chat's and answers it once.
func (h *OACallback) answer(c echo.Context, m wechat.Inbound) string {
	if m.From == "" || len(m.From) > maxOpenIDLength {
		return ""
	}
	msg := chatbot.Message{OpenID: m.From, UnionID: m.UnionID, Kind: chatbot.KindOther,
		Origin: c.Scheme() + "://" + c.Request().Host}
	switch {
	case m.MsgType == "text":
		msg.Kind, msg.Text = chatbot.KindText, m.Content
	case m.MsgType == "voice" && m.Recognition != "":
		msg.Kind, msg.Text, msg.Voice = chatbot.KindText, m.Recognition, true
	case m.MsgType == "event":
		msg.Kind, msg.Event, msg.EventKey = chatbot.KindEvent, m.Event, m.EventKey
	}
	if len(msg.UnionID) > maxOpenIDLength {
		msg.UnionID = ""
	}
	if e := domain.ValidText("text", msg.Text); e != nil {
		return domain.MessageOf(e) // the same rule as every other door; nothing reaches the chat
	}
	return h.Inbox.Answer(c.Request().Context(), dedupeKey(m), msg)
}

// dedupeKey names a message for de-duplication: its MsgId; for events, which
// have none, FromUserName and CreateTime (with the event and key, so two
// different events in one second stay two). Long keys are hashed.
func dedupeKey(m wechat.Inbound) string {
	if m.MsgID != 0 {
		return "msg:" + strconv.FormatInt(m.MsgID, 10)
	}
	key := "evt:" + m.From + ":" + strconv.FormatInt(m.CreateTime, 10) + ":" + m.Event + ":" + m.EventKey
	if len(key) > 100 {
		sum := sha256.Sum256([]byte(key))
		key = "evh:" + hex.EncodeToString(sum[:])
	}
	return key
}
