package core

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/domain"
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
	cand, err := c.db.GetCandidate(ctx, c.db.R, candidateID)
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
	owner, err := c.db.CandidateIDByIDNumber(ctx, c.db.R, idx)
	switch {
	case repo.IsNoRows(err):
	case err != nil:
		return nil, domain.Internal(err)
	case owner != candidateID:
		o, err := c.db.GetCandidate(ctx, c.db.R, owner)
		if err != nil {
			return nil, domain.Internal(err)
		}
		if o.VerifyState == VerifyVerified {
			c.auditCandidate(ctx, c.db.W, candidateID, AuditFaceRefused, "candidate", candidateID, "证件号码已由其他账号核验，未发起核验")
			return nil, errIDNumberVerified
		}
		purpose = facePurposeClaim
	}
	if cand.IDNumberIdx.String != idx || cand.Name != name {
		if n, err := c.db.CountLockingRegistrations(ctx, c.db.R, candidateID); err != nil {
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
	c.auditCandidate(ctx, c.db.W, candidateID, AuditFaceStart, "face_verification", id, faceDetail(purpose, ""))
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
			return RateLimited("face_rate_limited", "今日人脸核验次数已达上限（每天5次），请明天再试", retry)
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

// FinishFaceVerification asks the service how the session verifyID ended and
// applies it: a pass verifies and locks the identity (taking the number from an
// unverified account if need be); anything else is audited and changes nothing.
// A session finishes once.
func (c *Core) FinishFaceVerification(ctx context.Context, candidateID int64, verifyID string) (*FaceFinish, error) {
	if c.face == nil {
		return nil, errFaceNotConfigured
	}
	verifyID = strings.TrimSpace(verifyID)
	if verifyID == "" || len(verifyID) > 256 {
		return nil, domain.Invalid("verify_id", "verify_id_required", "缺少核验会话标识，请重新发起人脸核验")
	}
	s, err := c.db.FaceSessionByVerifyID(ctx, verifyID)
	if repo.IsNoRows(err) || (err == nil && s.CandidateID != candidateID) {
		return nil, errVerifyIDInvalid
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	if s.State != "pending" {
		return nil, errVerifyIDUsed
	}
	cand, err := c.db.GetCandidate(ctx, c.db.R, candidateID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	number, err := c.pii.Open(s.IDNumberEnc)
	if err != nil {
		return nil, domain.Internal(err)
	}
	fc := domain.FaceCheck{OpenID: cand.OpenID, OutSeqNo: s.OutSeqNo, Name: s.Name, IDType: s.IDType, IDNumber: number}
	out := domain.FaceOutcome{Result: domain.FaceInvalid}
	if c.now().Before(s.ExpiresAt) {
		out, err = c.face.FaceOutcome(ctx, fc, verifyID)
		if err != nil {
			return nil, weChatError(err, "", "", "")
		}
	}
	if out.Result != domain.FacePassed {
		return c.faceNotPassed(ctx, s, out)
	}
	claimed, err := c.applyFacePass(ctx, s, fc, out.Code)
	switch {
	case errors.Is(err, errVerifyIDUsed):
		return nil, errVerifyIDUsed
	case errors.Is(err, errIDNumberVerified), errors.Is(err, errIdentityLocked):
		// WeChat says the face is the number's owner, but the number is held by
		// a verified account (or this account is locked to another identity):
		// nothing moves; the institution sorts it out.
		_ = c.db.SetFaceSessionState(ctx, s.ID, "refused")
		c.auditCandidate(ctx, c.db.W, candidateID, AuditFaceRefused, "face_verification", s.ID, faceDetail(s.Purpose, string(domain.FacePassed)))
		return nil, err
	case err != nil:
		return nil, asDomainError(err)
	}
	me, err := c.me(ctx, candidateID, false)
	if err != nil {
		return nil, err
	}
	msg := "实名核验通过，您的身份信息已锁定"
	if claimed {
		msg = "实名核验通过，该证件号码已绑定到您的账号，原绑定的账号已解除绑定"
	}
	c.log.Info("identity verified by face", "candidate_id", candidateID, "session_id", s.ID, "claimed", claimed)
	return &FaceFinish{Result: string(domain.FacePassed), ResultName: domain.FaceResultName(domain.FacePassed),
		Message: msg, Claimed: claimed, Me: me}, nil
}

// faceNotPassed records a session that did not pass (audited) and tells the
// candidate what to do.
func (c *Core) faceNotPassed(ctx context.Context, s repo.FaceSession, out domain.FaceOutcome) (*FaceFinish, error) {
	now := c.dbNow()
	var ok bool
	err := c.db.WithTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if ok, err = c.db.FinishFaceSession(ctx, tx, s.ID, string(out.Result), out.Code, now); err != nil || !ok {
			return err
		}
		return c.auditCandidate(ctx, tx, s.CandidateID, AuditFaceFailed, "face_verification", s.ID,
			faceDetail(s.Purpose, string(out.Result))+fmt.Sprintf("，代码%d", out.Code))
	})
	if err != nil {
		return nil, domain.Internal(err)
	}
	if !ok {
		return nil, errVerifyIDUsed
	}
	if out.Result == domain.FaceInvalid {
		return nil, errVerifyExpired
	}
	c.log.Info("face verification not passed", "candidate_id", s.CandidateID, "session_id", s.ID, "result", out.Result)
	me, err := c.me(ctx, s.CandidateID, false)
	if err != nil {
		return nil, err
	}
	msg := map[domain.FaceResult]string{
		domain.FaceFailed:   "人脸比对未通过：请确认由证件本人操作，在光线充足处正对手机重试",
		domain.FaceMismatch: "姓名与证件号码不一致，请核对后重新核验",
		domain.FaceNotDone:  "人脸核验未完成，可重新发起核验",
	}[out.Result]
	return &FaceFinish{Result: string(out.Result), ResultName: domain.FaceResultName(out.Result), Message: msg, Me: me}, nil
}

// applyFacePass verifies the session's identity on its candidate in one
// transaction, taking the number from an unverified account that holds it. It
// tries twice: a concurrent claim of the same number may change the holder
// between the reads and the writes (MySQL); then the second try sees who won.
func (c *Core) applyFacePass(ctx context.Context, s repo.FaceSession, fc domain.FaceCheck, code int) (bool, error) {
	var claimed bool
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		claimed = false
		err = c.db.WithTx(ctx, func(tx *sqlx.Tx) error {
			var err error
			claimed, err = c.applyFacePassTx(ctx, tx, s, fc, code)
			return err
		})
		if !errors.Is(err, errClaimLost) && !repo.IsUniqueViolation(err) && !repo.IsDeadlock(err) {
			return claimed, err
		}
	}
	return false, errIDNumberVerified
}

// applyFacePassTx is one try of applyFacePass.
func (c *Core) applyFacePassTx(ctx context.Context, tx *sqlx.Tx, s repo.FaceSession, fc domain.FaceCheck, code int) (bool, error) {
	now := c.dbNow()
	me := s.CandidateID
	if ok, err := c.db.FinishFaceSession(ctx, tx, s.ID, string(domain.FacePassed), code, now); err != nil {
		return false, err
	} else if !ok {
		return false, errVerifyIDUsed
	}
	if err := c.db.LockCandidate(ctx, tx, me); err != nil {
		return false, err
	}
	cur, err := c.db.GetCandidate(ctx, tx, me)
	if err != nil {
		return false, err
	}
	if cur.IDNumberIdx.String != s.IDNumberIdx || cur.Name != s.Name {
		if n, err := c.db.CountLockingRegistrations(ctx, tx, me); err != nil {
			return false, err
		} else if n > 0 {
			return false, errIdentityLocked
		}
	}
	claimed := false
	owner, err := c.db.LockCandidateByIDNumber(ctx, tx, s.IDNumberIdx)
	switch {
	case repo.IsNoRows(err):
	case err != nil:
		return false, err
	case owner != me:
		if err := c.takeIDNumber(ctx, tx, s, owner, now); err != nil {
			return false, err
		}
		claimed = true
	}
	doc, derr := domain.ParseIDDocument(fc.IDType, fc.IDNumber, c.now())
	if derr != nil {
		return false, derr
	}
	v := repo.CandidateIdentity{Name: s.Name, IDType: s.IDType, IDNumberEnc: s.IDNumberEnc, IDNumberIdx: s.IDNumberIdx,
		Gender: doc.Gender, BirthDate: doc.BirthDate}
	if err := c.db.VerifyCandidate(ctx, tx, me, v, s.Method, s.ID, now); err != nil {
		return false, err
	}
	if s.ConsentVersion != "" {
		if err := c.db.InsertConsent(ctx, tx, me, ConsentPrivacy, s.ConsentVersion, now); err != nil {
			return false, err
		}
	}
	return claimed, c.auditCandidate(ctx, tx, me, AuditIdentityVerified, "face_verification", s.ID,
		faceDetail(s.Purpose, string(domain.FacePassed))+"，方式："+s.Method)
}

// takeIDNumber releases another account's binding of the session's number (it
// must not be verified): its drafts are cancelled, its submitted registrations
// move to the verified owner when the names match and are flagged for the
// institution otherwise, and the other account is told why.
func (c *Core) takeIDNumber(ctx context.Context, tx *sqlx.Tx, s repo.FaceSession, owner int64, now time.Time) error {
	other, err := c.db.GetCandidate(ctx, tx, owner)
	if err != nil {
		return err
	}
	if other.VerifyState == VerifyVerified {
		return errIDNumberVerified
	}
	if ok, err := c.db.ReleaseIdentity(ctx, tx, owner, s.IDNumberIdx, now); err != nil {
		return err
	} else if !ok {
		return errClaimLost
	}
	if err := c.auditCandidate(ctx, tx, s.CandidateID, AuditIdentityReleased, "candidate", owner,
		fmt.Sprintf("证件号码经人脸核验归属考生%d，原绑定账号（考生%d）解除绑定", s.CandidateID, owner)); err != nil {
		return err
	}
	drafts, err := c.db.CancelDrafts(ctx, tx, owner, now)
	if err != nil {
		return err
	}
	if drafts > 0 {
		if err := c.auditCandidate(ctx, tx, s.CandidateID, AuditDraftsCancelled, "candidate", owner,
			fmt.Sprintf("作废原绑定账号的报名草稿%d份", drafts)); err != nil {
			return err
		}
	}
	regs, err := c.db.LockingRegistrationsOf(ctx, tx, owner)
	if err != nil {
		return err
	}
	sameName := sameName(other.Name, s.Name)
	moved, flagged := 0, 0
	for _, r := range regs {
		ok := false
		if sameName {
			ok, err = c.db.MoveRegistration(ctx, tx, r.ID, owner, s.CandidateID, now)
			if err != nil && !repo.IsUniqueViolation(err) {
				return err
			}
		}
		if ok {
			moved++
			if err := c.auditCandidate(ctx, tx, s.CandidateID, AuditRegMoved, "registration", r.ID,
				fmt.Sprintf("从考生%d转给经人脸核验的证件本人（考生%d）", owner, s.CandidateID)); err != nil {
				return err
			}
			continue
		}
		flagged++
		if err := c.db.FlagRegistration(ctx, tx, r.ID, RegistrationFlagIDClaimed,
			"报名时姓名："+other.Name+"。该证件号码已由证件本人通过人脸核验认领（姓名不一致），请核实考生身份", now); err != nil {
			return err
		}
		if err := c.auditCandidate(ctx, tx, s.CandidateID, AuditRegFlagged, "registration", r.ID,
			"证件号码被人脸核验认领，姓名不一致，待机构核实"); err != nil {
			return err
		}
	}
	return c.Enqueue(ctx, tx, Event{Kind: domain.EventIdentityReleased, CandidateID: owner,
		Key: fmt.Sprintf("%d", s.ID),
		Payload: map[string]any{"drafts_cancelled": drafts, "registrations_moved": moved, "registrations_flagged": flagged,
			"remark": "您账号绑定的证件号码已由证件本人通过人脸核验认领，绑定已解除。如有疑问请联系评价机构"}})
}

// markIdentities fills the verification state and claim flag of list items.
func (c *Core) markIdentities(ctx context.Context, planID int64, items []ReviewItem) error {
	if len(items) == 0 {
		return nil
	}
	marks, err := c.db.PlanIdentityMarks(ctx, planID)
	if err != nil {
		return domain.Internal(err)
	}
	for i := range items {
		m := marks[items[i].ID]
		items[i].VerifyStateName, items[i].IdentityFlag = VerifyStateName(m.VerifyState), m.Flag
	}
	return nil
}

// sameName compares two names as binding normalises them.
func sameName(a, b string) bool {
	na, errA := normalizeName(a)
	nb, errB := normalizeName(b)
	return errA == nil && errB == nil && na == nb
}

// faceDetail is the audit detail of a session: its purpose and result, never
// the number or any face data.
func faceDetail(purpose, result string) string {
	p := "核验本人身份"
	if purpose == facePurposeClaim {
		p = "认领已被其他账号绑定的证件号码"
	}
	if result == "" {
		return p
	}
	return p + "，结果：" + domain.FaceResultName(domain.FaceResult(result))
}

// auditCandidate appends an entry whose actor is a candidate, inside x.
func (c *Core) auditCandidate(ctx context.Context, x sqlx.ExecerContext, candidateID int64, action, objectKind string, objectID int64, detail string) error {
	err := c.db.InsertAudit(ctx, x, repo.AuditEntry{ActorKind: "candidate",
		ActorID: nullID(candidateID), Action: action, ObjectKind: objectKind, ObjectID: nullID(objectID),
		Detail: detail, CreatedAt: c.dbNow()})
	if err != nil {
		c.log.Error("audit write failed", "action", action, "err", err)
	}
	return err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// requireVerified refuses the submit of an unverified identity when the
// deployment or the plan requires verified identities.
func (c *Core) requireVerified(ctx context.Context, q sqlx.QueryerContext, planID int64, cand repo.Candidate) error {
	if cand.VerifyState == VerifyVerified {
		return nil
	}
	if c.requireVerifiedAll {
		return errIdentityUnverif
	}
	on, err := c.db.PlanRequiresVerified(ctx, q, planID)
	if err != nil {
		return err
	}
	if on {
		return errIdentityUnverif
	}
	return nil
}

// PlanRequiresVerified tells whether a plan (or the whole deployment) takes
// submissions only from verified identities.
func (c *Core) PlanRequiresVerified(ctx context.Context, planID int64) (plan, all bool, err error) {
	on, err := c.db.PlanRequiresVerified(ctx, c.db.R, planID)
	if err != nil {
		return false, false, domain.Internal(err)
	}
	return on, c.requireVerifiedAll, nil
}

// SetPlanRequireVerified turns the plan's "实名核验后方可提交" setting on or off;
// the plan's own institution only. Audited.
func (c *Core) SetPlanRequireVerified(ctx context.Context, st *Staff, planID int64, on bool) error {
	p, err := c.planFor(ctx, c.db.R, st, planID, Act)
	if err != nil {
		return asDomainError(err)
	}
	if err := c.db.SetPlanRequiresVerified(ctx, planID, on, st.ID, c.dbNow()); err != nil {
		return domain.Internal(err)
	}
	detail := "计划编号 " + p.PlanNo + "：不要求实名核验"
	if on {
		detail = "计划编号 " + p.PlanNo + "：要求实名核验后方可提交报名"
	}
	c.auditNow(ctx, st, AuditPlanRequireVerif, "plan", planID, detail)
	return nil
}
