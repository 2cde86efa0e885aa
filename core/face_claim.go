package core

import (
	"context"
	"fmt"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// takeIDNumber releases another account's binding of the session's number (it
// must not be verified): its drafts are cancelled, its submitted registrations
// move to the verified owner when the names match and are flagged for the
// institution otherwise, and the other account is told why.
func (c *Core) takeIDNumber(ctx context.Context, tx repo.Tx, s repo.FaceSession, owner int64, now time.Time) error {
	other, err := tx.GetCandidate(ctx, owner)
	if err != nil {
		return err
	}
	if other.VerifyState == VerifyVerified {
		return errIDNumberVerified
	}
	if ok, err := tx.ReleaseIdentity(ctx, owner, s.IDNumberIdx, now); err != nil {
		return err
	} else if !ok {
		return errClaimLost
	}
	if err := c.auditCandidate(ctx, tx.Writer, s.CandidateID, AuditIdentityReleased, "candidate", owner,
		fmt.Sprintf("证件号码经人脸核验归属考生%d，原绑定账号（考生%d）解除绑定", s.CandidateID, owner)); err != nil {
		return err
	}
	drafts, err := tx.CancelDrafts(ctx, owner, now)
	if err != nil {
		return err
	}
	if drafts > 0 {
		if err := c.auditCandidate(ctx, tx.Writer, s.CandidateID, AuditDraftsCancelled, "candidate", owner,
			fmt.Sprintf("作废原绑定账号的报名草稿%d份", drafts)); err != nil {
			return err
		}
	}
	regs, err := tx.LockingRegistrationsOf(ctx, owner)
	if err != nil {
		return err
	}
	sameName := sameName(other.Name, s.Name)
	moved, flagged := 0, 0
	for _, r := range regs {
		ok := false
		if sameName {
			ok, err = tx.MoveRegistration(ctx, r.ID, owner, s.CandidateID, now)
			if err != nil && !repo.IsUniqueViolation(err) {
				return err
			}
		}
		if ok {
			moved++
			if err := c.auditCandidate(ctx, tx.Writer, s.CandidateID, AuditRegMoved, "registration", r.ID,
				fmt.Sprintf("从考生%d转给经人脸核验的证件本人（考生%d）", owner, s.CandidateID)); err != nil {
				return err
			}
			continue
		}
		flagged++
		if err := tx.FlagRegistration(ctx, r.ID, RegistrationFlagIDClaimed,
			"报名时姓名："+other.Name+"。该证件号码已由证件本人通过人脸核验认领（姓名不一致），请核实考生身份", now); err != nil {
			return err
		}
		if err := c.auditCandidate(ctx, tx.Writer, s.CandidateID, AuditRegFlagged, "registration", r.ID,
			"证件号码被人脸核验认领，姓名不一致，待机构核实"); err != nil {
			return err
		}
	}
	return c.EnqueueEvent(ctx, tx, Event{Kind: domain.EventIdentityReleased, CandidateID: owner,
		Key: fmt.Sprintf("%d", s.ID),
		Payload: map[string]any{"drafts_cancelled": drafts, "registrations_moved": moved, "registrations_flagged": flagged,
			"remark": "您账号绑定的证件号码已由证件本人通过人脸核验认领，绑定已解除。如有疑问请联系评价机构"}})
}

// sameName compares two names as binding normalises them.
func sameName(a, b string) bool {
	na, errA := normalizeName(a)
	nb, errB := normalizeName(b)
	return errA == nil && errB == nil && na == nb
}
