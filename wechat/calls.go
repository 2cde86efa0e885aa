package wechat

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/silenceper/wechat/v2/miniprogram/auth"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"
	"github.com/silenceper/wechat/v2/officialaccount/message"
)

// Session is what code2session returns for a wx.login code. SessionKey is a
// secret of the user's session with WeChat: never send it to the client or log it
// (String and LogValue leave it out).
type Session struct {
	OpenID     string
	UnionID    string // empty unless the mini-program is bound to an open platform account
	SessionKey string
}

// String shows the ids but not the session key.
func (s Session) String() string {
	return fmt.Sprintf("wechat.Session{OpenID:%q UnionID:%q SessionKey:REDACTED}", s.OpenID, s.UnionID)
}

// LogValue keeps the session key out of slog output.
func (s Session) LogValue() slog.Value {
	return slog.GroupValue(slog.String("openid", s.OpenID), slog.String("unionid", s.UnionID))
}

// Code2Session exchanges a wx.login code for the user's openid, unionid and
// session key (/sns/jscode2session). An unknown, expired or reused code is
// ClassInvalidCode. ctx is passed to the SDK.
func (c *Client) Code2Session(ctx context.Context, code string) (Session, error) {
	if c.mp == nil {
		return Session{}, notConfigured(AppMiniProgram)
	}
	if !validCode(code) {
		return Session{}, invalidCode(code)
	}
	if err := ctx.Err(); err != nil {
		return Session{}, toError(err)
	}
	res, err := c.mpAuth.Code2SessionContext(ctx, code)
	if err != nil {
		// The SDK wraps errcodes in a plain fmt error here: take the code from
		// the decoded result when there is one.
		if res.ErrCode != 0 {
			return Session{}, codeError(int(res.ErrCode), res.ErrMsg)
		}
		return Session{}, toError(err)
	}
	if res.OpenID == "" {
		return Session{}, &Error{Class: ClassBadRequest, Msg: "code2session returned no openid"}
	}
	return Session{OpenID: res.OpenID, UnionID: res.UnionID, SessionKey: res.SessionKey}, nil
}

// ExchangeCode is Code2Session without the session key: the openid and unionid
// of a wx.login code (core's SessionExchanger).
func (c *Client) ExchangeCode(ctx context.Context, code string) (openID, unionID string, err error) {
	s, err := c.Code2Session(ctx, code)
	return s.OpenID, s.UnionID, err
}

// PhoneNumber exchanges a getPhoneNumber code for the user's phone number
// (/wxa/business/getuserphonenumber): mainland numbers without country code,
// others with it, as WeChat's phoneNumber field. ctx is passed to the SDK.
func (c *Client) PhoneNumber(ctx context.Context, code string) (string, error) {
	if c.mp == nil {
		return "", notConfigured(AppMiniProgram)
	}
	if !validCode(code) {
		return "", invalidCode(code)
	}
	var res *auth.GetPhoneNumberResponse
	err := c.withToken(ctx, AppMiniProgram, func() error {
		var err error
		res, err = c.mpAuth.GetPhoneNumberContext(ctx, code)
		return err
	})
	if err != nil {
		return "", toError(err)
	}
	phone := res.PhoneInfo.PhoneNumber
	if phone == "" {
		phone = res.PhoneInfo.PurePhoneNumber
	}
	if phone == "" {
		return "", &Error{Class: ClassBadRequest, Msg: "getuserphonenumber returned no number"}
	}
	return phone, nil
}

// SubscribeMessage is a mini-program subscribe message. Data maps template keys
// ("thing1", "time2", ...) to values within WeChat's limits for their type.
type SubscribeMessage struct {
	ToOpenID   string
	TemplateID string
	// Page is the mini-program page opened from the message, e.g.
	// "pages/registration/detail?id=42".
	Page string
	// MiniprogramState is "formal" (default), "trial" or "developer".
	MiniprogramState string
	Data             map[string]string
}

// SendSubscribe sends a one-time subscribe message (/cgi-bin/message/subscribe/send).
// Without a remaining consent it fails with ClassNoConsent (43101); data over a
// field limit is ClassBadData (47003). The SDK call takes no context (see Client).
func (c *Client) SendSubscribe(ctx context.Context, m SubscribeMessage) error {
	if c.mp == nil {
		return notConfigured(AppMiniProgram)
	}
	if m.ToOpenID == "" || m.TemplateID == "" {
		return &Error{Class: ClassBadData, Msg: "subscribe message needs ToOpenID and TemplateID (not sent)"}
	}
	state := m.MiniprogramState
	if state == "" {
		state = "formal"
	}
	data := make(map[string]*subscribe.DataItem, len(m.Data))
	for k, v := range m.Data {
		data[k] = &subscribe.DataItem{Value: v}
	}
	msg := &subscribe.Message{
		ToUser:           m.ToOpenID,
		TemplateID:       m.TemplateID,
		Page:             m.Page,
		Data:             data,
		MiniprogramState: state,
		Lang:             "zh_CN",
	}
	return c.withToken(ctx, AppMiniProgram, func() error { return c.mpSub.Send(msg) })
}

// TemplateMessage is an official-account template message. When MiniAppID is set
// the message opens MiniPagePath in that mini-program (which must be linked to the
// official account); otherwise URL, if any.
type TemplateMessage struct {
	ToOpenID     string // the user's openid in the official account
	TemplateID   string
	URL          string
	MiniAppID    string
	MiniPagePath string
	Data         map[string]string
	// ClientMsgID, when set, asks WeChat to send only one message per
	// (ToOpenID, ClientMsgID) within about 10 minutes (its "防重入" id, at most 64
	// bytes): use the outbox event id so a resend after a crash is not doubled.
	ClientMsgID string
}

// SendTemplate sends an official-account template message
// (/cgi-bin/message/template/send). To a user who does not follow the account it
// fails with ClassNoConsent (43004). The SDK call takes no context (see Client).
func (c *Client) SendTemplate(ctx context.Context, m TemplateMessage) error {
	if c.oa == nil {
		return notConfigured(AppOfficialAccount)
	}
	if m.ToOpenID == "" || m.TemplateID == "" {
		return &Error{Class: ClassBadData, Msg: "template message needs ToOpenID and TemplateID (not sent)"}
	}
	data := make(map[string]*message.TemplateDataItem, len(m.Data))
	for k, v := range m.Data {
		data[k] = &message.TemplateDataItem{Value: v}
	}
	msg := &message.TemplateMessage{
		ToUser:      m.ToOpenID,
		TemplateID:  m.TemplateID,
		URL:         m.URL,
		Data:        data,
		ClientMsgID: m.ClientMsgID,
	}
	msg.MiniProgram.AppID = m.MiniAppID
	msg.MiniProgram.PagePath = m.MiniPagePath
	return c.withToken(ctx, AppOfficialAccount, func() error {
		_, err := c.oaTpl.Send(msg)
		return err
	})
}

// SendCustomText sends a customer-service text message from the official account
// (/cgi-bin/message/custom/send), e.g. the answer to a chat message that took too
// long for the passive reply. WeChat only allows it within 48 hours of the user's
// last message (45015, ClassNoConsent). The SDK call takes no context (see Client).
func (c *Client) SendCustomText(ctx context.Context, toOpenID, text string) error {
	if c.oa == nil {
		return notConfigured(AppOfficialAccount)
	}
	if toOpenID == "" || text == "" {
		return &Error{Class: ClassBadData, Msg: "customer message needs a recipient and text (not sent)"}
	}
	msg := message.NewCustomerTextMessage(toOpenID, text)
	return c.withToken(ctx, AppOfficialAccount, func() error { return c.oaKefu.Send(msg) })
}
