package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// FaceVerifier is a real-name service that checks a live face against the
// owner of a name and ID number: WeChat's face verification (wechat.FaceVerifier)
// or a province's own service. The core only ever trusts FaceOutcome, asked by
// the server, never what a client says about its scan.
type FaceVerifier interface {
	// Method names the service for the record, e.g. "wechat_face".
	Method() string
	// StartFace opens a session for the check; the client runs it.
	StartFace(ctx context.Context, fc domain.FaceCheck) (domain.FaceSession, error)
	// FaceOutcome asks the service how the session ended. An unknown, expired
	// or used session is domain.FaceInvalid, not an error.
	FaceOutcome(ctx context.Context, fc domain.FaceCheck, verifyID string) (domain.FaceOutcome, error)
}

// Limits of face verification: each session costs money and answers whether a
// name and number belong together, so it is limited per candidate and per ID
// number per day.
const (
	FaceSessionsPerDay = 5
	faceWindow         = 24 * time.Hour
)

// Face verification purposes.
const (
	facePurposeVerify = "verify" // the candidate's own (or a free) identity
	facePurposeClaim  = "claim"  // an ID number bound to another, unverified account
)

// Candidate actions recorded in the audit log (actor_kind candidate).
const (
	AuditFaceStart        = "identity.face_start"
	AuditFaceFailed       = "identity.face_failed"
	AuditFaceRefused      = "identity.face_refused"
	AuditIdentityVerified = "identity.verified"
	AuditIdentityReleased = "identity.released"
	AuditRegMoved         = "registration.moved"
	AuditRegFlagged       = "registration.flagged"
	AuditDraftsCancelled  = "registration.drafts_cancelled"
	AuditPlanRequireVerif = "plan.require_verified"
)

func init() {
	for k, v := range map[string]string{
		AuditFaceStart: "发起人脸核验", AuditFaceFailed: "人脸核验未通过", AuditFaceRefused: "人脸核验通过但未绑定",
		AuditIdentityVerified: "实名核验通过", AuditIdentityReleased: "证件号码被本人核验收回",
		AuditRegMoved: "报名转给核验本人", AuditRegFlagged: "报名待机构核实身份",
		AuditDraftsCancelled: "草稿因证件号码收回而作废", AuditPlanRequireVerif: "设置计划实名核验要求",
	} {
		auditNames[k] = v
	}
}

// RegistrationFlagIDClaimed flags a registration whose ID number was verified by
// face by another account with a different name: the institution must check it.
const RegistrationFlagIDClaimed = "id_claimed"

var (
	errFaceNotConfigured = domain.NewError(domain.KindUnavailable, "face_not_configured", "人脸核验暂未开通，请稍后再试或联系评价机构")
	errAlreadyVerified   = domain.Conflict("already_verified", "您的身份已通过实名核验，无需重复核验")
	errIDNumberVerified  = domain.Conflict("id_number_verified",
		"该证件号码已由其他微信账号完成实名核验。如证件号码确属本人，请携带身份证件联系评价机构处理")
	errIdentityVerifiedLocked = domain.Conflict("identity_locked",
		"您的身份已通过实名核验并锁定，不能修改。如需更正，请联系评价机构处理")
	errFaceIDType = domain.Invalid(domain.FieldIDType, "face_id_type_unsupported",
		"人脸核验仅支持居民身份证。其他证件请在报名时上传证件照片，由评价机构核验")
	errVerifyIDInvalid = domain.NotFound("verify_id_invalid", "核验会话无效，请重新发起人脸核验")
	errVerifyIDUsed    = domain.Conflict("verify_id_used", "本次核验已完成，请勿重复提交；如需再次核验，请重新发起")
	errVerifyExpired   = domain.Invalid("verify_id", "verify_id_expired", "核验已过期或无效，请重新发起人脸核验")
	errIdentityUnverif = domain.Conflict("identity_unverified",
		"本次报名要求先完成实名核验：请到“我的—实名核验”完成人脸核验后再提交")
	errClaimLost = errors.New("the ID number changed hands meanwhile")
)

// FaceStartInput starts a face verification. Without IDNumber it verifies the
// identity bound to the account; with it (name, type, number and the privacy
// consent, as for binding) it verifies that identity, which may be bound to
// another, unverified account ("这是我的证件号码").
type FaceStartInput struct {
	IdentityInput
}

// FaceStart is an opened session: the mini-program passes VerifyID to
// wx.requestFacialVerify and then posts it back to finish.
type FaceStart struct {
	VerifyID  string    `json:"verify_id"`
	ExpiresAt time.Time `json:"expires_at"`
	Claim     bool      `json:"claim"` // the number is bound to another account: a pass moves it here
}

// FaceFinish is how a session ended, as the service says.
type FaceFinish struct {
	Result     string `json:"result"`      // passed | failed | mismatch | not_done
	ResultName string `json:"result_name"` // the result in Chinese
	Message    string `json:"message"`     // what to tell the candidate
	Claimed    bool   `json:"claimed"`     // the ID number moved here from another account
	Me         *Me    `json:"me"`
}

// StartFaceVerification opens a face verification session for a candidate,
// within the daily limits. Every start is audited.
func (c *Core) StartFaceVerification(ctx context.Context, candidateID int64, in FaceStartInput) (*FaceStart, error) {
	if c.face == nil {
		return nil, errFaceNotConfigured
	}
	cand, err := c.db.Read().GetCandidate(ctx, candidateID)
	if repo.IsNoRows(err) {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	if cand.VerifyState == VerifyVerified {
		return nil, errAlreadyVerified
	}
	name, doc, consent, err := c.faceIdentity(cand, in)
	if err != nil {
		return nil, err
	}
	if doc.Type != domain.IDTypeResidentCard {
		return nil, errFaceIDType
	}
	idx := c.IDNumberIndex(doc.Number)
	purpose := facePurposeVerify
	owner, err := c.db.Read().CandidateIDByIDNumber(ctx, idx)
	switch {
	case repo.IsNoRows(err):
	case err != nil:
		return nil, domain.Internal(err)
	case owner != candidateID:
		o, err := c.db.Read().GetCandidate(ctx, owner)
		if err != nil {
			return nil, domain.Internal(err)
		}
		if o.VerifyState == VerifyVerified {
			c.auditCandidate(ctx, c.db.Write(), candidateID, AuditFaceRefused, "candidate", candidateID, "证件号码已由其他账号核验，未发起核验")
			return nil, errIDNumberVerified
		}
		purpose = facePurposeClaim
	}
	if cand.IDNumberIdx.String != idx || cand.Name != name {
		if n, err := c.db.Read().CountLockingRegistrations(ctx, candidateID); err != nil {
			return nil, domain.Internal(err)
		} else if n > 0 {
			return nil, errIdentityLocked
		}
	}
	if err := c.faceLimits(ctx, candidateID, idx); err != nil {
		return nil, err
	}
	sealed, err := c.pii.Seal(doc.Number)
	if err != nil {
		return nil, domain.Internal(err)
	}
	seq := newOutSeqNo()
	sess, err := c.face.StartFace(ctx, domain.FaceCheck{OpenID: cand.OpenID, OutSeqNo: seq, Name: name,
		IDType: doc.Type, IDNumber: doc.Number})
	if err != nil {
		return nil, weChatError(err, "", "", "")
	}
	now := c.dbNow()
	expires := now.Add(sess.ExpiresIn)
	id, err := c.db.InsertFaceSession(ctx, repo.FaceSession{CandidateID: candidateID, Purpose: purpose, Name: name,
		IDType: doc.Type, IDNumberEnc: sealed, IDNumberIdx: idx, ConsentVersion: consent, OutSeqNo: seq,
		VerifyID: sess.VerifyID, Method: c.face.Method(), CreatedAt: now, ExpiresAt: expires})
	if err != nil {
		return nil, domain.Internal(err)
	}
	c.auditCandidate(ctx, c.db.Write(), candidateID, AuditFaceStart, "face_verification", id, faceDetail(purpose, ""))
	c.log.Info("face verification started", "candidate_id", candidateID, "session_id", id, "purpose", purpose)
	return &FaceStart{VerifyID: sess.VerifyID, ExpiresAt: expires, Claim: purpose == facePurposeClaim}, nil
}

// faceIdentity is the identity to verify: the one given (validated like a
// binding) or, without a number, the one bound to the account.
func (c *Core) faceIdentity(cand repo.Candidate, in FaceStartInput) (string, domain.IDDocument, string, error) {
	if strings.TrimSpace(in.IDNumber) == "" && strings.TrimSpace(in.Name) == "" {
		if !cand.IDNumberEnc.Valid {
			return "", domain.IDDocument{}, "", errIdentityRequired()
		}
		number, err := c.pii.Open(cand.IDNumberEnc.String)
		if err != nil {
			return "", domain.IDDocument{}, "", domain.Internal(err)
		}
		doc, derr := domain.ParseIDDocument(cand.IDType, number, c.now())
		if derr != nil {
			return "", domain.IDDocument{}, "", derr
		}
		return cand.Name, doc, "", nil
	}
	name, doc, ferr := c.validateIdentity(in.IdentityInput)
	if ferr != nil {
		return "", domain.IDDocument{}, "", ferr
	}
	return name, doc, strings.TrimSpace(in.ConsentVersion), nil
}

// faceLimits counts a session against the candidate's and the number's daily limits.
func (c *Core) faceLimits(ctx context.Context, candidateID int64, idx string) error {
	for _, bucket := range []string{fmt.Sprintf("face:candidate:%d", candidateID), "face:idnumber:" + idx} {
		ok, retry, err := c.limiter.Limit(ctx, bucket, FaceSessionsPerDay, faceWindow)
		if err != nil {
			// Fail closed: each session costs money and is a guessing oracle.
			return &domain.Error{Kind: domain.KindUnavailable, Code: "rate_limit_unavailable",
				Message: "服务暂时不可用，请稍后再试", Err: err}
		}
		if !ok {
			return ratelimit.RateLimited("face_rate_limited", "今日人脸核验次数已达上限（每天5次），请明天再试", retry)
		}
	}
	return nil
}

// newOutSeqNo is our serial number of a session: 26 characters of [a-z0-9].
func newOutSeqNo() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "sc" + hex.EncodeToString(b)
}
