package core

// Face verification: finishing a session (the true result from the service).

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

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
	cand, err := c.db.Read().GetCandidate(ctx, candidateID)
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
		c.auditCandidate(ctx, c.db.Write(), candidateID, AuditFaceRefused, "face_verification", s.ID, faceDetail(s.Purpose, string(domain.FacePassed)))
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
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		var err error
		if ok, err = tx.FinishFaceSession(ctx, s.ID, string(out.Result), out.Code, now); err != nil || !ok {
			return err
		}
		return c.auditCandidate(ctx, tx.Writer, s.CandidateID, AuditFaceFailed, "face_verification", s.ID,
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
		err = c.db.WithTx(ctx, func(tx repo.Tx) error {
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
func (c *Core) applyFacePassTx(ctx context.Context, tx repo.Tx, s repo.FaceSession, fc domain.FaceCheck, code int) (bool, error) {
	now := c.dbNow()
	me := s.CandidateID
	if ok, err := tx.FinishFaceSession(ctx, s.ID, string(domain.FacePassed), code, now); err != nil {
		return false, err
	} else if !ok {
		return false, errVerifyIDUsed
	}
	if err := tx.LockCandidate(ctx, me); err != nil {
		return false, err
	}
	cur, err := tx.GetCandidate(ctx, me)
	if err != nil {
		return false, err
	}
	if cur.IDNumberIdx.String != s.IDNumberIdx || cur.Name != s.Name {
		if n, err := tx.CountLockingRegistrations(ctx, me); err != nil {
			return false, err
		} else if n > 0 {
			return false, errIdentityLocked
		}
	}
	claimed := false
	owner, err := tx.LockCandidateByIDNumber(ctx, s.IDNumberIdx)
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
	if err := tx.VerifyCandidate(ctx, me, v, s.Method, s.ID, now); err != nil {
		return false, err
	}
	if s.ConsentVersion != "" {
		if err := tx.InsertConsent(ctx, me, ConsentPrivacy, s.ConsentVersion, now); err != nil {
			return false, err
		}
	}
	return claimed, c.auditCandidate(ctx, tx.Writer, me, AuditIdentityVerified, "face_verification", s.ID,
		faceDetail(s.Purpose, string(domain.FacePassed))+"，方式："+s.Method)
}
