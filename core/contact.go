package core

import (
	"context"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// contactPhone returns the mobile number a candidate gives to be contacted on:
// the one entered (normalised and checked) or, when none is entered, the phone
// bound to the account. Errors name field.
func (c *Core) contactPhone(ctx context.Context, candidateID int64, entered, field string) (string, error) {
	if strings.TrimSpace(entered) != "" {
		phone := domain.NormalizeMobile(entered)
		if !domain.ValidMobile(phone) {
			return "", domain.Invalid(field, "invalid_phone", "手机号码格式不正确，请填写11位手机号")
		}
		return phone, nil
	}
	cand, err := c.db.Read().GetCandidate(ctx, candidateID)
	if repo.IsNoRows(err) {
		return "", errUnauthorized
	}
	if err != nil {
		return "", domain.Internal(err)
	}
	if !cand.PhoneEnc.Valid {
		return "", domain.Invalid(field, "phone_required", "请填写手机号码，或先在“我的”中绑定微信手机号")
	}
	phone, err := c.pii.Open(cand.PhoneEnc.String)
	if err != nil {
		return "", domain.Internal(err)
	}
	return phone, nil
}

// openPhone unseals a stored phone for display; masked unless full.
func (c *Core) openPhone(sealed string, full bool) (string, error) {
	if sealed == "" {
		return "", nil
	}
	phone, err := c.pii.Open(sealed)
	if err != nil {
		return "", domain.Internal(err)
	}
	if full {
		return phone, nil
	}
	return domain.MaskPhone(phone), nil
}
