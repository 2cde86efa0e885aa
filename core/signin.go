package core

import (
	"context"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// DefaultLoginRate is the sign-in calls allowed per minute per IP when
// SKILLCERT_LOGIN_RATE is not set: a class behind one school network must get in.
const DefaultLoginRate = 120

// initSignIn fills the sign-in dependencies of c with their defaults.
func (c *Core) initSignIn(d Deps) {
	c.wx, c.verifier, c.limiter, c.loginRate = d.WeChat, d.Verifier, d.Limiter, d.LoginRate
	if c.verifier == nil {
		c.verifier = FormatVerifier{}
	}
	if c.limiter == nil {
		c.limiter = ratelimit.New(d.DB, nil, nil, d.Now)
	}
	if c.loginRate <= 0 {
		c.loginRate = DefaultLoginRate
	}
}

// Limiter returns the shared rate limiter (for code guessing, feedback, …).
func (c *Core) Limiter() *ratelimit.Limiter { return c.limiter }

// LoginInput is a sign-in request: the wx.login code and the caller's IP.
type LoginInput struct {
	Code string
	IP   string
}

// LoginResult is a new session: the opaque token (Authorization: Bearer), its
// expiry and the candidate. WeChat's session key is never part of it.
type LoginResult struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Candidate Me        `json:"candidate"`
}

// LogInCandidate signs a candidate in with a wx.login code: code2session, then the
// candidate of that openid (created on first sign-in), then a new session.
// Calls are limited per IP (LoginRate per minute).
func (c *Core) LogInCandidate(ctx context.Context, in LoginInput) (*LoginResult, error) {
	allowed, retry, err := c.limiter.Limit(ctx, "login:ip:"+in.IP, c.loginRate, time.Minute)
	if err != nil {
		// Redis down already fell back to the database; both down is a 503.
		c.log.Error("sign-in rate limit unavailable", "err", err)
		return nil, ratelimit.ErrLimitsUnavailable()
	}
	if !allowed {
		return nil, ratelimit.RateLimited("rate_limited", "登录过于频繁，请稍后再试", retry)
	}
	code := strings.TrimSpace(in.Code)
	if code == "" {
		return nil, domain.Invalid("code", "code_required", "缺少登录凭证，请重新进入小程序")
	}
	if c.wx == nil {
		return nil, errWeChatNotConfigured
	}
	openID, unionID, err := c.wx.ExchangeCode(ctx, code)
	if err != nil {
		return nil, weChatError(err, "code", "login_code_invalid", "登录凭证无效或已使用，请重新登录")
	}
	id, created, err := c.candidateForOpenID(ctx, openID, unionID)
	if err != nil {
		return nil, err
	}
	token, expires, err := c.StartSession(ctx, id)
	if err != nil {
		return nil, err
	}
	me, err := c.me(ctx, id, false)
	if err != nil {
		return nil, err
	}
	c.log.Info("candidate signed in", "candidate_id", id, "new", created)
	return &LoginResult{Token: token, ExpiresAt: expires, Candidate: *me}, nil
}

// candidateForOpenID finds or creates the candidate of an openid, recording a
// unionid WeChat gives that the candidate does not have yet.
func (c *Core) candidateForOpenID(ctx context.Context, openID, unionID string) (id int64, created bool, err error) {
	now := c.now().UTC().Truncate(time.Microsecond)
	id, err = c.db.CandidateIDByOpenID(ctx, openID)
	if repo.IsNoRows(err) && unionID != "" && !strings.HasPrefix(openID, webOpenIDPrefix) {
		// The same person may have started on the web pages (issue 16): that
		// candidate takes this openid.
		if adopted, ok := c.adoptWebCandidate(ctx, openID, unionID, now); ok {
			return adopted, false, nil
		}
	}
	if repo.IsNoRows(err) {
		id, err = c.db.InsertCandidate(ctx, openID, unionID, now)
		if err == nil {
			return id, true, nil
		}
		if !repo.IsUniqueViolation(err) {
			return 0, false, domain.Internal(err)
		}
		// A concurrent sign-in of the same user created it first.
		id, err = c.db.CandidateIDByOpenID(ctx, openID)
	}
	if err != nil {
		return 0, false, domain.Internal(err)
	}
	if unionID != "" {
		cand, err := c.db.Read().GetCandidate(ctx, id)
		if err != nil {
			return 0, false, domain.Internal(err)
		}
		if cand.UnionID.String != unionID {
			if err := c.db.SetCandidateUnionID(ctx, id, unionID, now); err != nil {
				return 0, false, domain.Internal(err)
			}
		}
	}
	return id, false, nil
}
