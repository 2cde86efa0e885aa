package core

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/repo"
)

// ReviewDecision is an institution's decision on one registration: approve,
// return for changes (with a reason and the fields concerned), reject or cancel
// (each with a reason).
type ReviewDecision struct {
	Action domain.Action
	Reason string
	Fields []string // form fields or checklist items the candidate must change (return)
}

// MaxReviewReason is the longest reason a reviewer may give, in characters.
const MaxReviewReason = 200

// ReturnableFields are what a return may point at: the form fields, then the
// attachments of the checklist.
func ReturnableFields() []domain.Option {
	out := []domain.Option{}
	for _, f := range []string{domain.FieldBasis, domain.FieldEducation, domain.FieldYearsInOccupation,
		domain.FieldCandidateSource, domain.FieldLaborRelation, domain.FieldPhone, domain.FieldEmployer} {
		out = append(out, domain.Option{Code: f, Name: domain.FormFieldLabel(f)})
	}
	for _, k := range []string{domain.AttachDiploma, domain.AttachCHSIRecord, domain.AttachSocialInsurance,
		domain.AttachWorkProof, domain.AttachLaborContract, domain.AttachTitleCert, domain.AttachSelfProof} {
		out = append(out, domain.Option{Code: k, Name: domain.ChecklistItemName(k)})
	}
	return out
}

// validate checks the decision and normalises its reason and fields.
func (d *ReviewDecision) validate() error {
	if d.Action.Actor() != domain.ActorInstitution {
		return domain.Invalid(domain.FieldAction, "action_invalid", "审核操作不正确")
	}
	d.Reason = strings.TrimSpace(d.Reason)
	var fe []domain.FieldError
	if d.Action != domain.ActionApprove && d.Reason == "" {
		fe = append(fe, domain.FieldError{Field: "reason", Code: "reason_required", Message: "请填写" + d.Action.Name() + "的原因"})
	}
	if utf8.RuneCountInString(d.Reason) > MaxReviewReason {
		fe = append(fe, domain.FieldError{Field: "reason", Code: "reason_long", Message: fmt.Sprintf("原因最多%d个字", MaxReviewReason)})
	}
	if d.Action == domain.ActionReturn {
		known := ReturnableFields()
		var keep []string
		for _, f := range d.Fields {
			if _, ok := domain.FindOption(known, f); ok && !slices.Contains(keep, f) {
				keep = append(keep, f)
			}
		}
		d.Fields = keep
		if len(keep) == 0 {
			fe = append(fe, domain.FieldError{Field: "fields", Code: "fields_required", Message: "请勾选需要考生修改的项目"})
		}
	} else {
		d.Fields = nil
	}
	return domain.InvalidFields(fe)
}

// ReviewRegistration applies a decision to a registration of a plan of st's institution. The
// status machine decides whether it is allowed; a decision that ends the seat
// (reject, cancel) gives it back with a conditional update; the status change,
// the reviewer's record, the outbox event and the audit entry commit together.
func (c *Core) ReviewRegistration(ctx context.Context, st *Staff, planID, regID int64, d ReviewDecision) error {
	if err := d.validate(); err != nil {
		return err
	}
	freed, err := c.review(ctx, st, planID, regID, d)
	if err != nil {
		return err
	}
	if freed {
		c.refreshSeats(ctx, planID)
	}
	return nil
}

func (c *Core) review(ctx context.Context, st *Staff, planID, regID int64, d ReviewDecision) (freed bool, err error) {
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		p, err := c.planFor(ctx, tx.Reader, st, planID, Act)
		if err != nil {
			return err
		}
		r, err := tx.LockRegistration(ctx, regID)
		if repo.IsNoRows(err) || (err == nil && (r.PlanID != p.ID || r.Status == domain.StatusDraft)) {
			return errRegistrationNotFound()
		}
		if err != nil {
			return err
		}
		from := r.Status
		to, derr := domain.Transition(from, d.Action)
		if derr != nil {
			return derr
		}
		now := c.dbNow()
		if domain.SeatDelta(from, to) < 0 {
			if err := tx.FreeSeat(ctx, p.ID, now); err != nil {
				return err
			}
			if err := c.seatFreed(ctx, tx, p.ID); err != nil {
				return err
			}
			freed = true
		}
		if err := c.changeStatus(ctx, tx, r, to, d.Action, r.IDNumberIdx); err != nil {
			return err
		}
		rec := repo.ReviewRecord{ReviewedBy: st.ID, Note: d.Reason, ReturnFields: strings.Join(d.Fields, ",")}
		if err := tx.RecordReview(ctx, r.ID, rec, now); err != nil {
			return err
		}
		detail := fmt.Sprintf("计划编号 %s：%s → %s", p.PlanNo, from.Name(), to.Name())
		if d.Reason != "" {
			detail += "；原因：" + d.Reason
		}
		return c.audit(ctx, tx.Writer, st, AuditRegReview, "registration", r.ID, detail)
	})
	if err != nil {
		return false, asDomainError(err)
	}
	return freed, nil
}
