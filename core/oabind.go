package core

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"strings"
	"time"

	"golang.org/x/text/width"

	"skillcert/domain"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// Official-account binding: a follower of the official account is linked to a
// candidate by UnionID when WeChat gives one, or by a 6-digit one-time code the
// signed-in candidate gets in the mini-program and sends in the chat. Knowing a
// name and an ID number never binds: anyone could know them.
const (
	OABindCodeTTL      = 10 * time.Minute // how long a bind code is usable
	OABindCodeLength   = 6
	OABindGuessLimit   = 5 // wrong codes per follower in OABindGuessWindow
	OABindGuessWindow  = 10 * time.Minute
	oaBindIndexContext = "oa-bind-code:" // keeps the codes' blind index apart from other values
)

// OABindCode is a bind code as the mini-program shows it.
type OABindCode struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// CreateOABindCode issues a new bind code for the candidate, valid OABindCodeTTL;
// the candidate's earlier codes stop working. Only the code's blind index is
// stored.
func (c *Core) CreateOABindCode(ctx context.Context, candidateID int64) (*OABindCode, error) {
	now := c.dbNow()
	expires := now.Add(OABindCodeTTL)
	var code string
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.RetireOABindCodes(ctx, candidateID, now); err != nil {
			return err
		}
		// Two live codes must never share digits: draw again on a clash.
		for range 8 {
			n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
			if err != nil {
				return err
			}
			code = fmt.Sprintf("%06d", n.Int64())
			idx := c.oaBindIndex(code)
			live, err := tx.OABindCodeLive(ctx, idx, now)
			if err != nil {
				return err
			}
			if !live {
				return tx.InsertOABindCode(ctx, candidateID, idx, expires, now)
			}
		}
		return fmt.Errorf("no free bind code after 8 draws")
	})
	if err != nil {
		return nil, domain.Internal(err)
	}
	if mrand.IntN(64) == 0 { // now and then, drop codes expired a day ago
		if err := c.db.PruneOABindCodes(ctx, now.Add(-24*time.Hour)); err != nil {
			c.log.Warn("prune bind codes", "err", err)
		}
	}
	return &OABindCode{Code: code, ExpiresAt: apiTime(expires)}, nil
}

func (c *Core) oaBindIndex(code string) string { return c.pii.Index(oaBindIndexContext + code) }

// NormalizeOABindCode reads a typed bind code: full-width digits and spaces are
// accepted; ok is false unless six digits remain.
func NormalizeOABindCode(s string) (string, bool) {
	s = strings.Join(strings.Fields(width.Narrow.String(s)), "")
	if len(s) != OABindCodeLength {
		return s, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s, false
		}
	}
	return s, true
}

func errOABindCode() *domain.Error {
	return domain.NotFound("oa_bind_code_invalid", "绑定码无效或已过期，请在小程序“我的”页面重新获取")
}

// RedeemOABindCode binds the official-account follower oaOpenID to the candidate
// who got the code, and uses the code up. Wrong and expired codes count against
// the follower; past OABindGuessLimit in OABindGuessWindow every code is refused
// for a while.
func (c *Core) RedeemOABindCode(ctx context.Context, oaOpenID, typed string) (int64, error) {
	code, ok := NormalizeOABindCode(typed)
	if !ok {
		return 0, domain.Invalid("code", "oa_bind_code_format", "绑定码为6位数字，请在小程序“我的”页面获取")
	}
	bucket := "oa-bind-guess:" + oaOpenID
	blocked, wait, err := c.limiter.Blocked(ctx, bucket, OABindGuessLimit, OABindGuessWindow)
	if err != nil {
		c.log.Error("bind code guess limit unavailable", "err", err)
		return 0, ratelimit.ErrLimitsUnavailable()
	}
	if blocked {
		return 0, ratelimit.RateLimited("oa_bind_guess_limited",
			fmt.Sprintf("绑定码错误次数过多，请%d分钟后再试", max(1, int(wait.Minutes()+0.999))), wait)
	}
	now := c.dbNow()
	link, err := c.db.OAFollower(ctx, oaOpenID)
	if err != nil && !repo.IsNoRows(err) {
		return 0, domain.Internal(err)
	}
	var (
		candidateID int64
		revoked     []string // sessions of a candidate merged away
	)
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		found, err := tx.FindOABindCode(ctx, c.oaBindIndex(code), now)
		if repo.IsNoRows(err) {
			return errOABindCode()
		}
		if err != nil {
			return err
		}
		used, err := tx.UseOABindCode(ctx, found.ID, oaOpenID, now)
		if err != nil {
			return err
		}
		if !used {
			return errOABindCode()
		}
		candidateID = found.CandidateID
		if cur := link.CandidateID; cur != 0 && cur != found.CandidateID {
			into, gone, err := c.mergeOACandidate(ctx, tx, cur, found.CandidateID, now)
			if err != nil {
				return err
			}
			candidateID, revoked = into, gone
		}
		return nil
	})
	if de, ok := domain.AsError(err); ok && de.Code == "oa_bind_code_invalid" {
		if _, _, lerr := c.limiter.Limit(ctx, bucket, OABindGuessLimit, OABindGuessWindow); lerr != nil {
			c.log.Warn("bind code guess counter", "err", lerr)
		}
		return 0, de
	}
	if de, ok := domain.AsError(err); ok {
		return 0, de
	}
	if err != nil {
		return 0, domain.Internal(err)
	}
	c.sessionsEnded(ctx, revoked)
	if err := c.db.UpsertFollower(ctx, repo.Follower{OAOpenID: oaOpenID, CandidateID: candidateID}, now); err != nil {
		return 0, domain.Internal(err)
	}
	c.log.Info("official account bound by code", "candidate_id", candidateID)
	return candidateID, nil
}

// mergeOACandidate decides who a follower bound to candidate cur becomes on
// redeeming a bind code of candidate code (issue 23). When cur was made by the
// official-account door (openid "oa:…") and holds something (an identity, a
// registration) while the mini-program's account holds nothing, the two merge:
// cur takes the mini-program's openid and unionid, the empty account's
// sessions end (the mini-program signs in again, as cur) — into is cur. When
// both hold something, nothing changes (conflict: no automatic merge of two
// identities). Otherwise the follower simply moves to code's candidate.
func (c *Core) mergeOACandidate(ctx context.Context, tx repo.Tx, cur, code int64, now time.Time) (into int64, revoked []string, err error) {
	curHas, curRow, err := tx.CandidateHasData(ctx, cur)
	if err != nil {
		return 0, nil, err
	}
	if !curHas || !strings.HasPrefix(curRow.OpenID, webOpenIDPrefix) {
		return code, nil, nil
	}
	codeHas, _, err := tx.CandidateHasData(ctx, code)
	if err != nil {
		return 0, nil, err
	}
	if codeHas {
		return 0, nil, domain.Conflict("oa_merge_conflict",
			"您在公众号和小程序中各有一份身份或报名信息，无法自动合并。请继续在公众号或网页版办理，或联系评价机构处理。")
	}
	revoked, err = tx.MergeIntoOACandidate(ctx, code, cur, now)
	if err != nil {
		return 0, nil, err
	}
	c.log.Info("official-account candidate merged with the mini-program's account", "candidate_id", cur, "merged_id", code)
	return cur, revoked, nil
}

// FindOACandidate returns the candidate an official-account follower is bound to (0
// when none). unionID is the one WeChat gave with the message, if any: a follower
// whose unionid is a candidate's is bound to that candidate on the spot. A
// follower seen for the first time is recorded.
func (c *Core) FindOACandidate(ctx context.Context, oaOpenID, unionID string) (int64, error) {
	link, err := c.db.OAFollower(ctx, oaOpenID)
	known := err == nil
	if err != nil && !repo.IsNoRows(err) {
		return 0, domain.Internal(err)
	}
	if link.CandidateID != 0 {
		return link.CandidateID, nil
	}
	union := unionID
	if union == "" {
		union = link.UnionID
	}
	var candidateID int64
	if union != "" {
		candidateID, err = c.db.CandidateIDByUnionID(ctx, union)
		if err != nil && !repo.IsNoRows(err) {
			return 0, domain.Internal(err)
		}
	}
	if !known || candidateID != 0 || (unionID != "" && unionID != link.UnionID) {
		f := repo.Follower{OAOpenID: oaOpenID, UnionID: union, CandidateID: candidateID}
		if err := c.db.UpsertFollower(ctx, f, c.dbNow()); err != nil {
			return 0, domain.Internal(err)
		}
		if candidateID != 0 {
			c.log.Info("official account bound by unionid", "candidate_id", candidateID)
		}
	}
	return candidateID, nil
}

// RecordOAFollow records a (re)subscription to the official account, with the
// follower's unionid when known, and returns the candidate it is bound to (0
// when none).
func (c *Core) RecordOAFollow(ctx context.Context, oaOpenID, unionID string) (int64, error) {
	if err := c.db.UpsertFollower(ctx, repo.Follower{OAOpenID: oaOpenID, UnionID: unionID}, c.dbNow()); err != nil {
		return 0, domain.Internal(err)
	}
	return c.FindOACandidate(ctx, oaOpenID, unionID)
}

// RecordOAUnfollow records that a follower left the official account.
func (c *Core) RecordOAUnfollow(ctx context.Context, oaOpenID string) error {
	now := c.dbNow()
	if err := c.db.Write().FollowerGone(ctx, oaOpenID, now); err != nil {
		return domain.Internal(err)
	}
	return nil
}

// IsOABound tells whether the candidate's account is linked to a follower of the
// official account (Me.OABound).
func (c *Core) IsOABound(ctx context.Context, candidateID int64) (bool, error) {
	ok, err := c.db.OABound(ctx, candidateID)
	if err != nil {
		return false, domain.Internal(err)
	}
	return ok, nil
}
