package wechat

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/basic"
)

// The official account's doors into the candidate web pages (issue 16): web
// authorization (网页授权, snsapi_base) inside WeChat's browser, and a temporary
// parameter QR code (带参数二维码) for any other browser.

// OAuthScopeBase is the silent web authorization scope: the openid only, no
// consent page.
const OAuthScopeBase = "snsapi_base"

// MaxQRSceneLength is WeChat's limit on a QR_STR_SCENE scene string.
const MaxQRSceneLength = 64

// browserURL points a WeChat URL a browser opens (the authorization page, the
// QR image) at the configured API base, when there is one (wechat/fake serves
// those pages too).
func (c *Client) browserURL(raw string) string {
	if c.cfg.APIBase == "" {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	base, err := url.Parse(strings.TrimRight(c.cfg.APIBase, "/"))
	if err != nil {
		return raw
	}
	u.Scheme, u.Host, u.Path = base.Scheme, base.Host, base.Path+u.Path
	return u.String()
}

// OAuthURL is the official account's web authorization URL (scope snsapi_base)
// that sends the browser back to redirectURI with a code and state.
func (c *Client) OAuthURL(redirectURI, state string) (string, error) {
	if c.oa == nil {
		return "", notConfigured(AppOfficialAccount)
	}
	raw, err := c.oa.GetOauth().GetRedirectURL(redirectURI, OAuthScopeBase, state)
	if err != nil {
		return "", toError(err)
	}
	return c.browserURL(raw), nil
}

// OAuthUser exchanges a web authorization code for the follower's openid in
// the official account and the unionid, when WeChat gives one
// (/sns/oauth2/access_token). An unknown, expired or reused code is
// ClassInvalidCode. The user access token is not kept: snsapi_base needs
// nothing more.
func (c *Client) OAuthUser(ctx context.Context, code string) (openID, unionID string, err error) {
	if c.oa == nil {
		return "", "", notConfigured(AppOfficialAccount)
	}
	if !validCode(code) {
		return "", "", invalidCode(code)
	}
	if err := ctx.Err(); err != nil {
		return "", "", toError(err)
	}
	res, err := c.oa.GetOauth().GetUserAccessTokenContext(ctx, code)
	if err != nil {
		if res.ErrCode != 0 {
			return "", "", codeError(int(res.ErrCode), res.ErrMsg)
		}
		return "", "", toError(err)
	}
	if res.OpenID == "" {
		return "", "", &Error{Class: ClassBadRequest, Msg: "oauth2/access_token returned no openid"}
	}
	return res.OpenID, res.UnionID, nil
}

// LoginQR creates a temporary parameter QR code (QR_STR_SCENE) of the official
// account for scene, valid ttl, and returns the URL of its image. Scanning it
// in WeChat sends a SCAN event with the scene as EventKey (or, for a new
// follower, a subscribe event with "qrscene_" + scene). The SDK call takes no
// context: ctx is checked before each attempt.
func (c *Client) LoginQR(ctx context.Context, scene string, ttl time.Duration) (string, error) {
	if c.oa == nil {
		return "", notConfigured(AppOfficialAccount)
	}
	if scene == "" || len(scene) > MaxQRSceneLength {
		return "", &Error{Class: ClassBadRequest, Msg: "QR scene must have 1 to 64 characters"}
	}
	var ticket *basic.Ticket
	err := c.withToken(ctx, AppOfficialAccount, func() error {
		t, err := c.oa.GetBasic().GetQRTicket(basic.NewTmpQrRequest(ttl, scene))
		if err != nil {
			return err
		}
		ticket = t
		return nil
	})
	if err != nil {
		return "", err
	}
	if ticket == nil || ticket.Ticket == "" {
		return "", &Error{Class: ClassBadRequest, Msg: "qrcode/create returned no ticket"}
	}
	return c.browserURL(basic.ShowQRCode(&basic.Ticket{Ticket: url.QueryEscape(ticket.Ticket)})), nil
}
