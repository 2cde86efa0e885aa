package core

import (
	"context"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// Me is the candidate's own account as the mini-program shows it. IDNumber (the
// full number) is filled only for the candidate's own identity page (GET /me);
// everywhere else only the masked number is sent.
type Me struct {
	ID              int64  `json:"id"`
	HasIdentity     bool   `json:"has_identity"`
	Name            string `json:"name"`
	IDType          string `json:"id_type"`
	IDTypeName      string `json:"id_type_name"`
	IDNumber        string `json:"id_number,omitempty"`
	IDNumberMasked  string `json:"id_number_masked"`
	Gender          string `json:"gender"`
	BirthDate       string `json:"birth_date"`
	VerifyState     string `json:"verify_state"`
	VerifyStateName string `json:"verify_state_name"`
	// VerifiedAt and VerifyMethod say when and how the identity was verified
	// (e.g. "wechat_face"); empty while unverified.
	VerifiedAt     *time.Time `json:"verified_at,omitempty"`
	VerifyMethod   string     `json:"verify_method"`
	IdentityLocked bool       `json:"identity_locked"`
	PhoneMasked    string     `json:"phone_masked"`
	OABound        bool       `json:"oa_bound"`
}

// GetMe returns the candidate's own account with the full ID number: the
// candidate's identity page, the one place it is shown unmasked.
func (c *Core) GetMe(ctx context.Context, candidateID int64) (*Me, error) {
	return c.me(ctx, candidateID, true)
}

// me builds Me; withNumber includes the full ID number.
func (c *Core) me(ctx context.Context, id int64, withNumber bool) (*Me, error) {
	cand, err := c.db.Read().GetCandidate(ctx, id)
	if repo.IsNoRows(err) {
		return nil, errUnauthorized // the session outlived its candidate
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	locked, err := c.db.Read().CountLockingRegistrations(ctx, id)
	if err != nil {
		return nil, domain.Internal(err)
	}
	m := &Me{
		ID:              cand.ID,
		HasIdentity:     cand.IDNumberIdx.Valid,
		Name:            cand.Name,
		IDType:          cand.IDType,
		IDTypeName:      domain.IDTypeName(cand.IDType),
		Gender:          cand.Gender,
		BirthDate:       cand.BirthDate,
		VerifyState:     cand.VerifyState,
		VerifyStateName: VerifyStateName(cand.VerifyState),
		IdentityLocked:  locked > 0,
	}
	if cand.VerifyState == VerifyVerified {
		m.IdentityLocked = true // a verified identity never changes by the candidate's hand
		v, err := c.db.Read().CandidateVerification(ctx, id)
		if err != nil && !repo.IsNoRows(err) {
			return nil, domain.Internal(err)
		}
		if err == nil {
			at := v.VerifiedAt
			m.VerifiedAt, m.VerifyMethod = &at, v.Method
		}
	}
	if cand.IDNumberEnc.Valid {
		number, err := c.pii.Open(cand.IDNumberEnc.String)
		if err != nil {
			return nil, domain.Internal(err)
		}
		m.IDNumberMasked = domain.MaskIDNumber(number)
		if withNumber {
			m.IDNumber = number
		}
	}
	if cand.PhoneEnc.Valid {
		phone, err := c.pii.Open(cand.PhoneEnc.String)
		if err != nil {
			return nil, domain.Internal(err)
		}
		m.PhoneMasked = domain.MaskPhone(phone)
	}
	if m.OABound, err = c.IsOABound(ctx, id); err != nil {
		return nil, err
	}
	return m, nil
}
