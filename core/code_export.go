package core

import (
	"context"
	"fmt"
	"time"

	"skillcert/domain"
)

// ExportCodes is every registration code of a plan as an .xlsx for its own
// institution (code, state, uses, last valid day, created), audited.
func (c *Core) ExportCodes(ctx context.Context, st *Staff, planID int64) (*Export, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return nil, err
	}
	now := c.now()
	var rows [][]any
	const batch = 1000
	for offset := 0; ; offset += batch {
		codes, total, err := c.db.ListRegCodes(ctx, p.ID, batch, offset)
		if err != nil {
			return nil, domain.Internal(err)
		}
		for _, r := range codes {
			v := codeView(r, now)
			expires := "不限"
			if r.ExpiresAt.Valid {
				expires = domain.FormatDate(r.ExpiresAt.Time.Add(-time.Second)) // the last valid day
			}
			rows = append(rows, []any{r.Code, v.StateName, r.UseCount, expires,
				r.CreatedAt.In(domain.Beijing).Format("2006-01-02 15:04")})
		}
		if offset+batch >= total || len(codes) == 0 {
			break
		}
	}
	cols := []column{{"报名码", 14}, {"状态", 10}, {"已使用次数", 12}, {"有效期至", 14}, {"生成时间", 18}}
	data, err := writeSheet("报名码", cols, rows)
	if err != nil {
		return nil, domain.Internal(err)
	}
	c.auditNow(ctx, st, AuditCodesExport, "plan", p.ID, fmt.Sprintf("计划编号 %s，%d 个报名码", p.PlanNo, len(rows)))
	return &Export{FileName: p.PlanNo + "-报名码.xlsx", Rows: len(rows), Data: data}, nil
}
