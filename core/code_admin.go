package core

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// MaxCodesPerBatch is the most codes one request generates.
const MaxCodesPerBatch = 200

// RegCode is a registration code as stored (core's copy of repo.RegCode).
type RegCode struct {
	ID        int64
	Code      string
	PlanID    int64
	State     string // active | revoked
	ExpiresAt sql.NullTime
	UseCount  int
	CreatedBy sql.NullInt64
	CreatedAt time.Time
	RevokedAt sql.NullTime
}

// CodeView is a registration code as the console lists it.
type CodeView struct {
	RegCode
	StateName string // 有效, 已作废, 已过期
	Usable    bool
}

// GenerateCodes issues n new codes for a plan of st's institution, each 8
// characters from domain.GenerateCode and unique across all plans (a collision
// is retried). expires is an optional last valid day (YYYY-MM-DD, Beijing).
func (c *Core) GenerateCodes(ctx context.Context, st *Staff, planID int64, n int, expires string) ([]CodeView, error) {
	rows, err := c.generateCodes(ctx, st, planID, n, expires)
	if err != nil {
		return nil, err
	}
	out, now := make([]CodeView, len(rows)), c.now()
	for i, r := range rows {
		out[i] = codeView(r, now)
	}
	return out, nil
}

func (c *Core) generateCodes(ctx context.Context, st *Staff, planID int64, n int, expires string) ([]repo.RegCode, error) {
	var fe []domain.FieldError
	if n < 1 || n > MaxCodesPerBatch {
		fe = append(fe, domain.FieldError{Field: "count", Code: "count_invalid",
			Message: fmt.Sprintf("生成数量应为1至%d之间的整数", MaxCodesPerBatch)})
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	var exp sql.NullTime
	if expires = strings.TrimSpace(expires); expires != "" {
		switch {
		case !domain.ValidDate(expires):
			fe = append(fe, domain.FieldError{Field: "expires", Code: "date_invalid", Message: "有效期应为有效日期，格式如 2025-11-13"})
		case !domain.DayEnd(expires).After(now):
			fe = append(fe, domain.FieldError{Field: "expires", Code: "date_past", Message: "有效期不能早于今天"})
		default:
			exp = sql.NullTime{Time: domain.DayEnd(expires).UTC(), Valid: true}
		}
	}
	var out []repo.RegCode
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		p, err := c.planFor(ctx, tx.Reader, st, planID, Act)
		if err != nil {
			return err
		}
		if err := domain.InvalidFields(fe); err != nil {
			return err
		}
		if p.State == repo.PlanClosed || p.State == repo.PlanCancelled {
			return domain.Conflict("plan_closed", "评价计划已关闭，不能再生成报名码")
		}
		for i := 0; i < n; i++ {
			code, err := c.insertUniqueCode(ctx, tx, planID, exp, st.ID, now)
			if err != nil {
				return err
			}
			out = append(out, code)
		}
		detail := fmt.Sprintf("计划编号 %s，生成 %d 个", p.PlanNo, n)
		if exp.Valid {
			detail += "，有效期至 " + expires
		}
		return c.audit(ctx, tx.Writer, st, AuditCodesGenerate, "plan", planID, detail)
	})
	if err != nil {
		return nil, asDomainError(err)
	}
	return out, nil
}

// insertUniqueCode inserts one fresh code, drawing again on the (rare) collision.
func (c *Core) insertUniqueCode(ctx context.Context, tx repo.Tx, planID int64, exp sql.NullTime, by int64, now time.Time) (repo.RegCode, error) {
	for try := 0; try < 8; try++ {
		rc := repo.RegCode{Code: domain.GenerateCode(), PlanID: planID, ExpiresAt: exp,
			CreatedBy: sql.NullInt64{Int64: by, Valid: by != 0}, CreatedAt: now}
		err := tx.InsertRegCode(ctx, &rc)
		if repo.IsUniqueViolation(err) {
			continue
		}
		return rc, err
	}
	return repo.RegCode{}, fmt.Errorf("no free registration code after 8 draws")
}

// ListPlanCodes lists a plan's codes with their use counts; the plan's own
// institution only (codes let candidates in).
func (c *Core) ListPlanCodes(ctx context.Context, st *Staff, planID int64, page, size int) (Page[CodeView], error) {
	if _, err := c.planFor(ctx, c.db.Read(), st, planID, Act); err != nil {
		return Page[CodeView]{}, err
	}
	page, size = consolePage(page, size)
	rows, total, err := c.db.ListRegCodes(ctx, planID, size, (page-1)*size)
	if err != nil {
		return Page[CodeView]{}, domain.Internal(err)
	}
	now := c.now()
	out := Page[CodeView]{Items: make([]CodeView, 0, len(rows)), Total: total, Page: page, PageSize: size}
	for _, r := range rows {
		out.Items = append(out.Items, codeView(r, now))
	}
	return out, nil
}

// codeView names a code's state at now: 有效, 已作废 or 已过期.
func codeView(r repo.RegCode, now time.Time) CodeView {
	v := CodeView{RegCode: RegCode(r), StateName: "有效", Usable: true}
	switch {
	case r.State != "active":
		v.StateName, v.Usable = "已作废", false
	case r.ExpiresAt.Valid && !r.ExpiresAt.Time.After(now):
		v.StateName, v.Usable = "已过期", false
	}
	return v
}

// RevokeCode revokes an active code of a plan; candidates can no longer use it.
// Registrations made with it stay.
func (c *Core) RevokeCode(ctx context.Context, st *Staff, planID, codeID int64) error {
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		p, err := c.planFor(ctx, tx.Reader, st, planID, Act)
		if err != nil {
			return err
		}
		ok, err := tx.RevokeRegCode(ctx, planID, codeID, c.now().UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		if !ok {
			return domain.NotFound("code_not_found", "报名码不存在或已作废")
		}
		return c.audit(ctx, tx.Writer, st, AuditCodeRevoke, "registration_code", codeID, "计划编号 "+p.PlanNo)
	})
	if err != nil {
		return asDomainError(err)
	}
	return nil
}
