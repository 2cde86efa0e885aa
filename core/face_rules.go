package core

import (
	"context"
	"database/sql"

	"skillcert/domain"
	"skillcert/repo"
)

// nullID is an optional id column: NULL for 0.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// markIdentities fills the verification state and claim flag of list items.
func (c *Core) markIdentities(ctx context.Context, planID int64, items []ReviewItem) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	marks, err := c.db.IdentityMarksOf(ctx, ids)
	if err != nil {
		return domain.Internal(err)
	}
	for i := range items {
		m := marks[items[i].ID]
		items[i].VerifyStateName, items[i].IdentityFlag = VerifyStateName(m.VerifyState), m.Flag
	}
	return nil
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
func (c *Core) auditCandidate(ctx context.Context, x repo.Writer, candidateID int64, action, objectKind string, objectID int64, detail string) error {
	err := x.InsertAudit(ctx, repo.AuditEntry{ActorKind: "candidate",
		ActorID: nullID(candidateID), Action: action, ObjectKind: objectKind, ObjectID: nullID(objectID),
		Detail: detail, CreatedAt: c.dbNow()})
	if err != nil {
		c.log.Error("audit write failed", "action", action, "err", err)
	}
	return err
}

// verifiedRule refuses the submit of an unverified identity when the
// deployment or the plan (whose rule planRule reads, only for a candidate not
// verified) requires verified identities.
func (c *Core) verifiedRule(cand repo.Candidate, planRule func() (bool, error)) error {
	if cand.VerifyState == VerifyVerified {
		return nil
	}
	if c.requireVerifiedAll {
		return errIdentityUnverif
	}
	on, err := planRule()
	if err != nil {
		return err
	}
	if on {
		return errIdentityUnverif
	}
	return nil
}

// GetPlanRequireVerified tells whether a plan (or the whole deployment) takes
// submissions only from verified identities.
func (c *Core) GetPlanRequireVerified(ctx context.Context, planID int64) (plan, all bool, err error) {
	on, err := c.db.Read().PlanRequiresVerified(ctx, planID)
	if err != nil {
		return false, false, domain.Internal(err)
	}
	return on, c.requireVerifiedAll, nil
}

// SetPlanRequireVerified turns the plan's "实名核验后方可提交" setting on or off;
// the plan's own institution only. Audited.
func (c *Core) SetPlanRequireVerified(ctx context.Context, st *Staff, planID int64, on bool) error {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
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
