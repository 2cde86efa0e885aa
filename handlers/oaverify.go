package handlers

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/silenceper/wechat/v2/officialaccount/message"

	"skillcert/domain"
	"skillcert/internal/oapush"
)

// CallbackNonces remembers the (timestamp, nonce) of each signed callback: the
// first use, and WeChat's retries of the very same request, pass; the pair with
// another body does not (core.CallbackNonceOnce).
type CallbackNonces interface {
	CallbackNonceOnce(ctx context.Context, timestamp, nonce string, body []byte) (bool, error)
}

// errOAPlainRefused answers a plain message when only safe mode is accepted.
var errOAPlainRefused = domain.NewError(domain.KindForbidden, "plain_message_refused", "仅接受安全模式（加密）消息")

// verify is the one check of every official-account callback request, GET and
// POST, before anything in it is believed. In order:
//
//  1. an official account and its token are configured;
//  2. signature = SHA-1 of the sorted token, timestamp and nonce (constant time),
//     and the timestamp within OAMaxClockSkew of our clock;
//  3. the message mode: with encrypt_type=aes the body's Encrypt element must be
//     covered by msg_signature (token, timestamp, nonce, Encrypt), which is what
//     binds the body to the signature; a plain body is accepted only when the mode
//     is not "safe" (WECHAT_OA_MESSAGE_MODE), since nothing signs it;
//  4. the (timestamp, nonce) pair was not used before with another body (a
//     captured URL replayed with a forged message); WeChat's own retries repeat
//     the whole request and pass.
//
// It returns whether the request is in safe mode.
func (h *OACallback) verify(c echo.Context, body []byte) (safe bool, err error) {
	if h.OA == nil {
		return false, errOADown
	}
	q := c.QueryParams()
	ts, nonce, sig := q.Get("timestamp"), q.Get("nonce"), q.Get("signature")
	if h.Token == "" || ts == "" || nonce == "" || sig == "" || len(nonce) > 64 || !freshTimestamp(ts, h.Now()) ||
		!sameSignature(sig, oapush.Signature(h.Token, ts, nonce)) {
		return false, errOAForbidden
	}
	safe = q.Get("encrypt_type") == "aes"
	if c.Request().Method == "POST" {
		switch {
		case safe:
			if err := h.checkMsgSignature(c, body); err != nil {
				return false, err
			}
		case h.Mode == "safe":
			return false, errOAPlainRefused
		}
	}
	fresh, err := h.Nonces.CallbackNonceOnce(c.Request().Context(), ts, nonce, body)
	if err != nil {
		return false, domain.Internal(err)
	}
	if !fresh {
		return false, errOAForbidden
	}
	return safe, nil
}

// checkMsgSignature verifies msg_signature over the Encrypt element of a
// safe-mode body (XML, or JSON when so declared).
func (h *OACallback) checkMsgSignature(c echo.Context, body []byte) error {
	if h.Mode == "plain" && !h.hasAESKey() {
		return errOABadBody
	}
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
	if q.Get("msg_signature") == "" || !sameSignature(q.Get("msg_signature"), want) {
		return errOAForbidden
	}
	return nil
}

// hasAESKey tells whether the official account has an EncodingAESKey.
func (h *OACallback) hasAESKey() bool {
	return h.OA != nil && h.OA.GetContext() != nil && h.OA.GetContext().EncodingAESKey != ""
}
