package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// Deleting an account (注销账号, PIPL Art. 47). What may go goes; what the
// certification process must keep stays with the institution, unlinked from
// WeChat:
//   - refused while a registration is in review (已提交) or approved for an exam
//     that has not ended: the answer names them;
//   - drafts, returned, cancelled and rejected registrations are deleted with their
//     attachments (and files no one else uses), freeing any seat they held;
//   - approved registrations whose exam has ended stay, with their results and
//     certificate progress, and so do the name and sealed ID number they need;
//   - phones, consents, subscriptions, sessions, WeChat ids (the account's openid is
//     replaced), official-account follower records and conversations, and
//     training intentions are removed; feedback stays as an anonymous supervision
//     record without the contact phone.

// DeleteAccountInput is the candidate's confirmed request.
type DeleteAccountInput struct {
	Confirm bool `json:"confirm"`
}

// AccountDeleted tells what the deletion kept, and why.
type AccountDeleted struct {
	Deleted      int          `json:"deleted_registrations"`
	Kept         []KeptRecord `json:"kept"`
	KeptNotice   string       `json:"kept_notice"`
	FilesRemoved int          `json:"files_removed"`
}

// KeptRecord is a registration the certification process keeps.
type KeptRecord struct {
	RegistrationID int64  `json:"registration_id"`
	PlanNo         string `json:"plan_no"`
	Reason         string `json:"reason"`
}

// errAccountBusy refuses a deletion that would break a registration in progress.
func errAccountBusy(blocking []string) *domain.Error {
	return domain.Conflict("account_in_use", "以下报名正在办理中，暂不能注销账号："+strings.Join(blocking, "；")+
		"。请待审核结束或考试结束后再注销，或先撤销正在审核的报名。")
}

// DeleteAccount deletes the candidate's account as described above and ends all
// of its sessions: on this replica and, with Redis, on every replica at once;
// without Redis the others refuse them once they read the revocation feed.
func (c *Core) DeleteAccount(ctx context.Context, candidateID int64, in DeleteAccountInput) (*AccountDeleted, error) {
	if !in.Confirm {
		return nil, domain.Invalid("confirm", "confirm_required", "请确认注销账号：注销后无法恢复")
	}
	now := c.dbNow()
	today := domain.TodayBeijing(now)
	out := &AccountDeleted{Kept: []KeptRecord{}}
	var blobKeys, sessions []string
	var freed []int64
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		out.Deleted, out.Kept, blobKeys, freed = 0, []KeptRecord{}, nil, nil
		regs, err := tx.OwnedRegistrations(ctx, candidateID)
		if err != nil {
			return domain.Internal(fmt.Errorf("delete account: list registrations: %w", err))
		}
		var blocking []string
		for _, r := range regs {
			switch {
			case r.Status == domain.StatusSubmitted:
				blocking = append(blocking, fmt.Sprintf("计划%s（待审核）", r.PlanNo))
			case r.Status == domain.StatusApproved && r.EvalEnd >= today:
				blocking = append(blocking, fmt.Sprintf("计划%s（审核通过，考试%s结束）", r.PlanNo, r.EvalEnd))
			}
		}
		if len(blocking) > 0 {
			return errAccountBusy(blocking)
		}
		for _, r := range regs {
			if r.Status == domain.StatusApproved {
				out.Kept = append(out.Kept, KeptRecord{RegistrationID: r.ID, PlanNo: r.PlanNo,
					Reason: "已审核通过并参加评价，成绩与证书记录须由评价机构依法保存"})
				continue
			}
			if r.SeatHeld {
				if err := tx.FreeSeat(ctx, r.PlanID, now); err != nil {
					return domain.Internal(fmt.Errorf("delete account: free seat: %w", err))
				}
				freed = append(freed, r.PlanID)
			}
			keys, err := tx.DeleteOwnedRegistration(ctx, candidateID, r.ID)
			if err != nil {
				return domain.Internal(fmt.Errorf("delete account: registration %d: %w", r.ID, err))
			}
			blobKeys = append(blobKeys, keys...)
			out.Deleted++
		}
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return domain.Internal(err)
		}
		sessions, err = tx.EraseAccount(ctx, repo.AccountErasure{
			CandidateID: candidateID, Tombstone: "deleted:" + hex.EncodeToString(b[:]),
			EraseIdentity: len(out.Kept) == 0, KeptRegistrations: len(out.Kept), Now: now})
		if err != nil {
			return domain.Internal(fmt.Errorf("delete account: erase: %w", err))
		}
		return c.auditCandidate(ctx, tx.Writer, candidateID, AuditAccountDelete, "candidate", candidateID,
			fmt.Sprintf("注销账号：删除报名 %d 条，依法保留 %d 条", out.Deleted, len(out.Kept)))
	})
	var de *domain.Error
	if errors.As(err, &de) {
		return nil, de
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	c.sessionsEnded(ctx, sessions)
	for _, k := range blobKeys {
		unlock := c.reg.locks.lock(k) // an upload of the same content cannot slip in
		if c.dropUnreferenced(ctx, k) {
			out.FilesRemoved++
		}
		unlock()
	}
	if len(out.Kept) > 0 {
		out.KeptNotice = "您已审核通过并参加评价的报名，其成绩与证书记录须由评价机构依法保存，已与您的微信账号解除关联。"
	}
	for _, p := range freed {
		c.refreshSeats(ctx, p)
	}
	c.log.Info("account deleted", "candidate_id", candidateID, "deleted", out.Deleted, "kept", len(out.Kept))
	return out, nil
}
