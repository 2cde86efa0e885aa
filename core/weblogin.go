package core

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// Sign-in to the candidate web pages (issue 16), through the official account:
// web authorization (snsapi_base) inside WeChat's browser, a temporary parameter
// QR code in any other. Either way the person is the official account's follower
// openid, resolved to the same candidate as in the mini-program and the chat
// (OAIdentity); the result is an ordinary candidate session.

// OAWeb is what the web sign-in needs of WeChat's official account (the adapter
// in wechat/ implements it).
type OAWeb interface {
	// OAuthURL is the web authorization URL (snsapi_base) back to redirectURI.
	OAuthURL(redirectURI, state string) (string, error)
	// OAuthUser exchanges a web authorization code for the openid and unionid.
	OAuthUser(ctx context.Context, code string) (openID, unionID string, err error)
	// LoginQR creates a temporary QR code for scene and returns its image URL.
	LoginQR(ctx context.Context, scene string, ttl time.Duration) (imageURL string, err error)
}

const (
	// WebQRTTL is how long a sign-in QR code can be scanned.
	WebQRTTL = 5 * time.Minute
	// WebQRScenePrefix starts the scene of every web sign-in QR code, so the
	// callback tells them from other parameter codes.
	WebQRScenePrefix = "weblogin:"
	// webOpenIDPrefix marks the openid column of a candidate created by the web
	// door, who has no mini-program openid yet.
	webOpenIDPrefix = "oa:"
	webBrowserIndex = "web-qr-browser:"
)

var errOAWebDown = domain.NewError(domain.KindUnavailable, "oa_not_configured", "公众号登录暂未开通，请稍后再试")

// WebQR is a new sign-in QR code: the secret the browser keeps (in a cookie),
// the scene, the image to show and when it expires.
type WebQR struct {
	Secret    string
	Scene     string
	ImageURL  string
	ExpiresAt time.Time
}

// WebQRState is where a browser's QR sign-in stands.
type WebQRState struct {
	Scene     string
	Expired   bool
	Scanned   bool
	Token     string // the new session once scanned (given once)
	ExpiresAt time.Time
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// loginAllowed applies the sign-in limit per IP (LoginRate a minute), as the
// API's sign-in does; it fails open when the counter store is down.
func (c *Core) loginAllowed(ctx context.Context, ip string) error {
	allowed, retry, err := c.limiter.Limit(ctx, "login:ip:"+ip, c.loginRate, time.Minute)
	if err != nil {
		c.log.Warn("sign-in rate limit unavailable", "err", err)
		return nil
	}
	if !allowed {
		return ratelimit.RateLimited("rate_limited", "登录过于频繁，请稍后再试", retry)
	}
	return nil
}

// OAWebEnabled tells whether the official account's web sign-in is configured.
func (c *Core) OAWebEnabled() bool { return c.oaWeb != nil }

// StartWebQR creates a sign-in QR code for a browser (limited per IP like every
// sign-in).
func (c *Core) StartWebQR(ctx context.Context, ip string) (*WebQR, error) {
	if c.oaWeb == nil {
		return nil, errOAWebDown
	}
	if err := c.loginAllowed(ctx, ip); err != nil {
		return nil, err
	}
	q := &WebQR{Secret: randomToken(32), Scene: WebQRScenePrefix + randomToken(18)}
	now := c.dbNow()
	q.ExpiresAt = now.Add(WebQRTTL)
	img, err := c.oaWeb.LoginQR(ctx, q.Scene, WebQRTTL)
	if err != nil {
		return nil, weChatError(err, "qr", "qr_failed", msgWeChatDown)
	}
	q.ImageURL = img
	if err := c.db.InsertWebQRLogin(ctx, q.Scene, c.pii.Index(webBrowserIndex+q.Secret), q.ExpiresAt, now); err != nil {
		return nil, domain.Internal(err)
	}
	if now.Unix()%16 == 0 { // now and then, drop codes expired an hour ago
		if err := c.db.PruneWebQRLogins(ctx, now.Add(-time.Hour)); err != nil {
			c.log.Warn("prune web QR sign-ins", "err", err)
		}
	}
	return q, nil
}

// GetWebQRStatus tells a browser where its QR sign-in stands; once the code was
// scanned it starts the candidate's session (once: a second call finds it used).
func (c *Core) GetWebQRStatus(ctx context.Context, secret string) (*WebQRState, error) {
	if secret == "" {
		return nil, domain.NotFound("qr_not_found", "二维码已失效，请刷新页面")
	}
	l, err := c.db.WebQRLoginByBrowser(ctx, c.pii.Index(webBrowserIndex+secret))
	if repo.IsNoRows(err) {
		return nil, domain.NotFound("qr_not_found", "二维码已失效，请刷新页面")
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	now := c.dbNow()
	st := &WebQRState{Scene: l.Scene, ExpiresAt: l.ExpiresAt, Scanned: l.CandidateID != 0}
	switch {
	case l.UsedAt.Valid:
		st.Expired = true
	case l.CandidateID != 0:
		used, err := c.db.UseWebQRLogin(ctx, l.ID, now)
		if err != nil {
			return nil, domain.Internal(err)
		}
		if !used { // another request of the same browser took it
			st.Expired = true
			return st, nil
		}
		token, _, err := c.StartSession(ctx, l.CandidateID)
		if err != nil {
			return nil, err
		}
		st.Token = token
		c.log.Info("candidate signed in on the web by QR code", "candidate_id", l.CandidateID)
	case !now.Before(l.ExpiresAt):
		st.Expired = true
	}
	return st, nil
}

// ScanWebQR is the official account's callback for a scan of a sign-in code:
// the follower (openid, unionid when given) becomes the candidate of the
// browser that shows the code. It answers what the chat replies.
func (c *Core) ScanWebQR(ctx context.Context, scene, oaOpenID, unionID string) (string, error) {
	id, err := c.ResolveOAIdentity(ctx, oaOpenID, unionID, true)
	if err != nil {
		return "", err
	}
	ok, err := c.db.ScanWebQRLogin(ctx, scene, id, c.dbNow())
	if err != nil {
		return "", domain.Internal(err)
	}
	if !ok {
		return "网页登录二维码已过期或已使用，请刷新网页后重新扫码。", nil
	}
	c.log.Info("web sign-in QR code scanned", "candidate_id", id)
	return "网页登录成功，请回到浏览器继续办理。", nil
}

// SignInWebOAuth signs in a browser inside WeChat with a web authorization code
// (limited per IP like every sign-in) and returns the new session token.
func (c *Core) SignInWebOAuth(ctx context.Context, code, ip string) (string, error) {
	if c.oaWeb == nil {
		return "", errOAWebDown
	}
	if err := c.loginAllowed(ctx, ip); err != nil {
		return "", err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return "", domain.Invalid("code", "code_required", "缺少授权凭证，请重新打开页面")
	}
	openID, unionID, err := c.oaWeb.OAuthUser(ctx, code)
	if err != nil {
		return "", weChatError(err, "code", "login_code_invalid", "授权已失效，请重新打开页面")
	}
	id, err := c.ResolveOAIdentity(ctx, openID, unionID, false)
	if err != nil {
		return "", err
	}
	token, _, err := c.StartSession(ctx, id)
	if err != nil {
		return "", err
	}
	c.log.Info("candidate signed in on the web by authorization", "candidate_id", id)
	return token, nil
}

// BuildWebOAuthURL is the web authorization URL for a browser inside WeChat.
func (c *Core) BuildWebOAuthURL(redirectURI, state string) (string, error) {
	if c.oaWeb == nil {
		return "", errOAWebDown
	}
	u, err := c.oaWeb.OAuthURL(redirectURI, state)
	if err != nil {
		return "", weChatError(err, "", "", msgWeChatDown)
	}
	return u, nil
}

// ResolveOAIdentity is the candidate of an official-account user, the same person in
// every door: the candidate the follower is bound to; else the one with the
// unionid; else the one the web door created for this openid; else a new
// candidate (first need). follower is true when the user is known to follow
// the account (a QR scan): the follower is then bound to the candidate, so the
// chat knows them too.
func (c *Core) ResolveOAIdentity(ctx context.Context, oaOpenID, unionID string, follower bool) (int64, error) {
	if oaOpenID == "" || len(oaOpenID) > 64 {
		return 0, domain.Invalid("openid", "openid_invalid", "微信身份无效")
	}
	var id int64
	if follower {
		got, err := c.FindOACandidate(ctx, oaOpenID, unionID)
		if err != nil {
			return 0, err
		}
		id = got
	} else {
		link, err := c.db.OAFollower(ctx, oaOpenID)
		if err != nil && !repo.IsNoRows(err) {
			return 0, domain.Internal(err)
		}
		// Web authorization does not tell whether the user follows the
		// account: no follower row is written here.
		id = link.CandidateID
		if id == 0 && unionID != "" {
			got, err := c.db.CandidateIDByUnionID(ctx, unionID)
			if err != nil && !repo.IsNoRows(err) {
				return 0, domain.Internal(err)
			}
			id = got
		}
	}
	if id == 0 {
		got, _, err := c.candidateForOpenID(ctx, webOpenIDPrefix+oaOpenID, unionID)
		if err != nil {
			return 0, err
		}
		id = got
	}
	if follower {
		if err := c.db.UpsertFollower(ctx, repo.Follower{OAOpenID: oaOpenID, UnionID: unionID, CandidateID: id}, c.dbNow()); err != nil {
			return 0, domain.Internal(err)
		}
	}
	return id, nil
}

// adoptWebCandidate gives the mini-program openid to the candidate the web door
// created for the same unionid; ok is false when there is none.
func (c *Core) adoptWebCandidate(ctx context.Context, openID, unionID string, now time.Time) (int64, bool) {
	id, err := c.db.CandidateIDByUnionID(ctx, unionID)
	if err != nil {
		return 0, false
	}
	ok, err := c.db.AdoptCandidateOpenID(ctx, id, openID, now)
	if err != nil {
		c.log.Warn("adopt web candidate", "err", err)
		return 0, false
	}
	return id, ok
}
