package core

import (
	"context"
	"fmt"

	"skillcert/domain"
	"skillcert/repo"
)

// rosterColumns are the roster's columns, as an exam office reads them.
var rosterColumns = []column{{"序号", 6}, {"姓名", 10}, {"证件类型", 14}, {"证件号码", 22}, {"性别", 6},
	{"出生日期", 12}, {"文化程度", 10}, {"报考依据", 18}, {"从业年限", 9}, {"所在单位", 28}, {"手机号码", 14},
	{"状态", 16}, {"实名核验", 10}}

// PlanRoster builds the roster of a plan st may see: every registration but
// drafts and cancelled ones (or one status), in submission order. Full ID numbers
// and phones only for staff of the plan's own institution; everyone else gets
// them masked. Every export is audited.
func (c *Core) PlanRoster(ctx context.Context, st *Staff, planID int64, status string) (*Export, error) {
	p, err := c.planFor(ctx, c.db.R, st, planID, Read)
	if err != nil {
		return nil, err
	}
	f := repo.ReviewFilter{PlanID: planID}
	if s, err := domain.ParseStatus(status); err == nil && s != domain.StatusDraft {
		f.Status = string(s)
	}
	rows, _, err := c.db.ListReviewRows(ctx, f, domain.MaxPlanSeats, 0)
	if err != nil {
		return nil, domain.Internal(err)
	}
	marks, err := c.db.PlanIdentityMarks(ctx, planID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	full := st.OwnsPlan(&p)
	var lines [][]any
	for _, r := range rows {
		if f.Status == "" && r.Status == string(domain.StatusCancelled) {
			continue
		}
		line, err := c.rosterLine(r, len(lines)+1, full)
		if err != nil {
			return nil, err
		}
		lines = append(lines, append(line, VerifyStateName(marks[r.ID].VerifyState)))
	}
	data, err := writeSheet("花名册", rosterColumns, lines)
	if err != nil {
		return nil, domain.Internal(err)
	}
	n := len(lines)
	detail := fmt.Sprintf("计划编号 %s，%d 人", p.PlanNo, n)
	if full {
		detail += "，含完整证件号码"
	}
	c.auditNow(ctx, st, AuditRosterExport, "plan", p.ID, detail)
	return &Export{FileName: fmt.Sprintf("花名册_%s.xlsx", p.PlanNo), Rows: n, Data: data}, nil
}

// rosterLine is one roster row; ID numbers and phones are text, never numbers
// (Excel would round an 18-digit number).
func (c *Core) rosterLine(r repo.ReviewRow, seq int, full bool) ([]any, error) {
	id, err := c.pii.Open(r.IDNumberEnc.String)
	if err != nil {
		return nil, domain.Internal(err)
	}
	phone, err := c.pii.Open(r.PhoneEnc.String)
	if err != nil {
		return nil, domain.Internal(err)
	}
	if !full {
		id = domain.MaskIDNumber(id)
		if phone != "" {
			phone = domain.MaskPhone(phone)
		}
	}
	years := ""
	if r.YearsInOccupation.Valid {
		years = fmt.Sprint(r.YearsInOccupation.Int64)
	}
	return []any{seq, r.Name, domain.IDTypeName(r.IDType), id, r.Gender, r.BirthDate,
		c.opts.EducationName(r.Education), c.opts.BasisName(r.Basis), years, r.Employer, phone,
		domain.Status(r.Status).Name()}, nil
}
