package core

import (
	"context"
	"errors"

	"skillcert/domain"
)

// The interfaces below are what core needs from WeChat; the adapter
// (wechat.Client) implements them, and core never imports it.

// SessionExchanger exchanges a wx.login code for the user's identity.
type SessionExchanger interface {
	// ExchangeCode returns the openid and unionid ("" when WeChat gives none)
	// of a wx.login code.
	ExchangeCode(ctx context.Context, code string) (openID, unionID string, err error)
}

// PhoneNumbers exchanges a getPhoneNumber code for the user's phone number.
type PhoneNumbers interface {
	PhoneNumber(ctx context.Context, code string) (string, error)
}

// WeChat is what sign-in needs from WeChat.
type WeChat interface {
	SessionExchanger
	PhoneNumbers
}

// invalidCode is how an error of the adapter says WeChat refused a code
// (unknown, expired, used).
type invalidCode interface {
	error
	InvalidCode() bool
}

var (
	errWeChatNotConfigured = domain.NewError(domain.KindUnavailable, "wechat_not_configured", "微信登录暂未开通，请稍后再试")
	msgWeChatDown          = "微信服务暂时不可用，请稍后再试"
)

// weChatError maps a failed WeChat call to the error the client sees. A code
// WeChat refuses (unknown, expired, used) is the client's to renew: 400 on field;
// everything else is WeChat being unavailable or misconfigured: 503, logged.
func weChatError(err error, field, codeInvalid, msgInvalid string) error {
	if ic, ok := errors.AsType[invalidCode](err); ok && ic.InvalidCode() {
		e := domain.Invalid(field, codeInvalid, msgInvalid)
		e.Err = err
		return e
	}
	return &domain.Error{Kind: domain.KindUnavailable, Code: "wechat_unavailable", Message: msgWeChatDown, Err: err}
}
