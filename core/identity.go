package core

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/repo"
)

// ConsentPrivacy is the consents.kind of the personal-information notice a
// candidate accepts when binding an identity.
const ConsentPrivacy = "privacy"

// MaxNameLength is the longest name (in characters) an identity may carry.
const MaxNameLength = 50

// IdentityInput is a request to bind (or change) the candidate's real-name identity.
type IdentityInput struct {
	Name           string `json:"name"`
	IDType         string `json:"id_type"`
	IDNumber       string `json:"id_number"`
	Gender         string `json:"gender"`     // 男 | 女: for the types whose number does not carry it
	BirthDate      string `json:"birth_date"` // YYYY-MM-DD: likewise
	PrivacyConsent bool   `json:"privacy_consent"`
	ConsentVersion string `json:"consent_version"`
}

var (
	errIDNumberTaken = domain.Conflict("id_number_taken",
		"该证件号码已绑定其他微信账号，不能重复绑定。如需更换微信账号，请联系评价机构处理")
	errIdentityLocked = domain.Conflict("identity_locked",
		"您已提交过报名，身份信息已锁定，不能自行修改。如需更正，请联系评价机构处理")
)

// IDNumberIndex is the blind index of an ID document number, the one used by
// candidates, registrations and imported registers: HMAC of the number trimmed
// and upper-cased (as domain.ParseIDDocument normalises it).
func (c *Core) IDNumberIndex(number string) string {
	return c.pii.Index(strings.ToUpper(strings.TrimSpace(number)))
}

// PhoneIndex is the blind index of a phone number, normalised by domain.NormalizeMobile.
func (c *Core) PhoneIndex(phone string) string {
	return c.pii.Index(domain.NormalizeMobile(phone))
}

// BindIdentity validates and binds the candidate's identity: the document per
// its type (gender and birth date derived where the number encodes them), one
// number for one candidate, no change once a registration was submitted, the
// verification state from the Verifier, and a consent record. The number is
// stored sealed with its blind index. It returns Me with the number masked.
func (c *Core) BindIdentity(ctx context.Context, candidateID int64, in IdentityInput) (*Me, error) {
	name, doc, ferr := c.validateIdentity(in)
	if ferr != nil {
		return nil, ferr
	}
	state, verr := c.verifier.Verify(ctx, name, doc)
	if de, ok := domain.AsError(verr); ok {
		return nil, de
	}
	if verr != nil {
		c.log.Warn("real-name verification failed; identity bound unverified", "candidate_id", candidateID, "err", verr)
		state = VerifyUnverified
	}
	sealed, err := c.pii.Seal(doc.Number)
	if err != nil {
		return nil, domain.Internal(err)
	}
	v := repo.CandidateIdentity{Name: name, IDType: doc.Type, IDNumberEnc: sealed,
		IDNumberIdx: c.IDNumberIndex(doc.Number), Gender: doc.Gender, BirthDate: doc.BirthDate, VerifyState: state}
	now := c.now().UTC().Truncate(time.Microsecond)
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		// The candidate's row first (FOR UPDATE on MariaDB): a submit holds it
		// from its pinned status write (repo.SubmitPin) to its commit, so the
		// registrations counted below include every submit that committed
		// with the identity as it is.
		if err := tx.LockCandidate(ctx, candidateID); err != nil {
			return err
		}
		cur, err := tx.GetCandidate(ctx, candidateID)
		if err != nil {
			return err
		}
		if cur.VerifyState == VerifyVerified {
			if sameIdentity(cur, v) {
				return nil // nothing changes: accept the repeat
			}
			return errIdentityVerifiedLocked
		}
		if n, err := tx.CountLockingRegistrations(ctx, candidateID); err != nil {
			return err
		} else if n > 0 {
			if sameIdentity(cur, v) {
				return nil // nothing changes: accept the repeat
			}
			if !completesIdentity(cur, v) {
				return errIdentityLocked
			}
		}
		owner, err := tx.CandidateIDByIDNumber(ctx, v.IDNumberIdx)
		if err == nil && owner != candidateID {
			return errIDNumberTaken
		}
		if err != nil && !repo.IsNoRows(err) {
			return err
		}
		if err := tx.SetCandidateIdentity(ctx, candidateID, v, now); err != nil {
			if repo.IsUniqueViolation(err) {
				return errIDNumberTaken // bound by a concurrent request
			}
			return err
		}
		return tx.InsertConsent(ctx, candidateID, ConsentPrivacy, strings.TrimSpace(in.ConsentVersion), now)
	})
	if de, ok := domain.AsError(err); ok {
		return nil, de
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	c.log.Info("identity bound", "candidate_id", candidateID, "id_type", doc.Type, "verify_state", state)
	return c.me(ctx, candidateID, false)
}

// sameIdentity reports whether binding v would leave the stored identity as it is.
func sameIdentity(cur repo.Candidate, v repo.CandidateIdentity) bool {
	return cur.IDNumberIdx.String == v.IDNumberIdx && cur.IDType == v.IDType && cur.Name == v.Name &&
		cur.Gender == v.Gender && cur.BirthDate == v.BirthDate
}

// completesIdentity reports whether binding v only adds the gender and birth date
// a locked identity lacks (a document type whose number does not carry them,
// bound before they were asked for).
func completesIdentity(cur repo.Candidate, v repo.CandidateIdentity) bool {
	return cur.IDNumberIdx.String == v.IDNumberIdx && cur.IDType == v.IDType && cur.Name == v.Name &&
		(cur.Gender == "" || cur.BirthDate == "")
}

// validateIdentity checks every field and reports all bad ones at once.
func (c *Core) validateIdentity(in IdentityInput) (string, domain.IDDocument, error) {
	var fe []domain.FieldError
	name, nerr := normalizeName(in.Name)
	if nerr != nil {
		fe = append(fe, domain.FieldErrorsOf(nerr)...)
	}
	doc, derr := domain.ParseIDDocument(in.IDType, in.IDNumber, c.now())
	if derr != nil {
		fe = append(fe, domain.FieldErrorsOf(derr)...)
	}
	if t := strings.TrimSpace(in.IDType); domain.ValidIDType(t) {
		doc.Type = t
		if cerr := domain.CompleteIdentity(&doc, in.Gender, in.BirthDate, c.now()); cerr != nil {
			fe = append(fe, domain.FieldErrorsOf(cerr)...)
		}
	}
	switch v := strings.TrimSpace(in.ConsentVersion); {
	case !in.PrivacyConsent:
		fe = append(fe, domain.FieldError{Field: "privacy_consent", Code: "consent_required",
			Message: "请阅读并同意《个人信息保护说明》后再提交"})
	case v == "" || len(v) > 40:
		fe = append(fe, domain.FieldError{Field: "privacy_consent", Code: "consent_version_invalid",
			Message: "隐私说明版本缺失或不正确，请更新小程序后重试"})
	}
	if err := domain.InvalidFields(fe); err != nil {
		return "", domain.IDDocument{}, err
	}
	return name, doc, nil
}

// normalizeName trims a name, folds the look-alikes of the middle dot used in
// minority and foreign names (·) and checks it: 1–50 characters, letters, spaces
// and the dot only.
func normalizeName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.NewReplacer("•", "·", "・", "·", "‧", "·", "∙", "·", "．", "·").Replace(s)
	if s == "" {
		return "", domain.Invalid("name", "name_required", "请填写姓名")
	}
	if utf8.RuneCountInString(s) > MaxNameLength {
		return "", domain.Invalid("name", "name_too_long", "姓名不能超过50个字")
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != ' ' && r != '·' && r != '-' && r != '\'' && r != '.' {
			return "", domain.Invalid("name", "name_invalid", "姓名只能包含文字、字母、空格和间隔号（·）")
		}
	}
	return s, nil
}
