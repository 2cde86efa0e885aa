package core

import (
	"context"
	"strings"
	"time"

	"skillcert/domain"
)

// BindPhone exchanges a getPhoneNumber code for the candidate's WeChat phone
// number and stores it sealed, with its blind index. It returns Me (phone masked).
func (c *Core) BindPhone(ctx context.Context, candidateID int64, code string) (*Me, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, domain.Invalid("code", "code_required", "缺少手机号授权凭证，请重新授权")
	}
	if c.wx == nil {
		return nil, errWeChatNotConfigured
	}
	phone, err := c.wx.PhoneNumber(ctx, code)
	if err != nil {
		return nil, weChatError(err, "code", "phone_code_invalid", "手机号授权已失效，请重新授权")
	}
	phone = domain.NormalizeMobile(phone)
	sealed, err := c.pii.Seal(phone)
	if err != nil {
		return nil, domain.Internal(err)
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	if err := c.db.SetCandidatePhone(ctx, candidateID, sealed, c.PhoneIndex(phone), now); err != nil {
		return nil, domain.Internal(err)
	}
	c.log.Info("phone bound", "candidate_id", candidateID)
	return c.me(ctx, candidateID, false)
}
