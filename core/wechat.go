package core

import (
	"context"

	"skillcert/domain"
	"skillcert/wechat"
)

// WeChat is what core needs from the WeChat adapter (*wechat.Client satisfies it).
type WeChat interface {
	// Code2Session exchanges a wx.login code for the user's openid and unionid.
	Code2Session(ctx context.Context, code string) (wechat.Session, error)
	// PhoneNumber exchanges a getPhoneNumber code for the user's phone number.
	PhoneNumber(ctx context.Context, code string) (string, error)
}

var (
	errWeChatNotConfigured = domain.NewError(domain.KindUnavailable, "wechat_not_configured", "微信登录暂未开通，请稍后再试")
	msgWeChatDown          = "微信服务暂时不可用，请稍后再试"
)

// weChatError maps a failed WeChat call to the error the client sees. A code
// WeChat refuses (unknown, expired, used) is the client's to renew: 400 on field;
// everything else is WeChat being unavailable or misconfigured: 503, logged.
func weChatError(err error, field, codeInvalid, msgInvalid string) error {
	if wechat.Classify(err) == wechat.ClassInvalidCode {
		e := domain.Invalid(field, codeInvalid, msgInvalid)
		e.Err = err
		return e
	}
	return &domain.Error{Kind: domain.KindUnavailable, Code: "wechat_unavailable", Message: msgWeChatDown, Err: err}
}
