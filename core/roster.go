package core

import (
	"context"
	"fmt"
	"strconv"

	"skillcert/domain"
	"skillcert/pii"
	"skillcert/repo"
)

// rosterColumns are the roster's columns, as an exam office reads them: the
// candidate, the form, the status, then the plan (so a sheet stands alone when
// rosters of several plans are put together).
var rosterColumns = []column{{"序号", 6}, {"姓名", 10}, {"证件类型", 14}, {"证件号码", 22}, {"性别", 6},
	{"出生日期", 12}, {"文化程度", 10}, {"报考依据", 18}, {"从业年限", 9}, {"考生来源", 12}, {"所在单位", 28},
	{"劳务关系", 12}, {"手机号码", 14}, {"状态", 16}, {"实名核验", 10},
	{"计划编号", 14}, {"职业（工种）", 20}, {"等级", 12}, {"评价时间", 24}}

// ExportPlanRoster is the roster of a plan st may see: every registration but drafts
// and cancelled ones (or one status), in submission order, streamed row by row
// when written. Full ID numbers and phones only for staff of the plan's own
// institution; everyone else gets them masked. Every export is audited with
// the number of rows that went out.
func (c *Core) ExportPlanRoster(ctx context.Context, st *Staff, planID int64, status string) (*SheetStream, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Read)
	if err != nil {
		return nil, err
	}
	f := repo.ReviewFilter{PlanID: planID}
	if s, err := domain.ParseStatus(status); err == nil && s != domain.StatusDraft {
		f.Status = s
	}
	full := st.ownsInstitution(p.InstitutionID)
	occupation := p.OccupationName
	if p.WorkType != "" && p.WorkType != "无" {
		occupation += "（" + p.WorkType + "）"
	}
	evaluation := p.EvalStart
	if p.EvalEnd != p.EvalStart {
		evaluation += " 至 " + p.EvalEnd
	}
	planCells := []any{p.PlanNo, occupation, domain.Level(p.Level).Name(), evaluation}
	fill := func(ctx context.Context, put func([]any) error) (int, error) {
		n := 0
		open := c.pii.NewOpener()
		line := make([]any, 0, len(rosterColumns)) // one row, reused
		err := c.db.EachReviewRow(ctx, f, func(r repo.ReviewRow) error {
			if f.Status == "" && r.Status == domain.StatusCancelled {
				return nil
			}
			var err error
			line, err = c.rosterLine(line[:0], open, r, n+1, full)
			if err != nil {
				return err
			}
			n++
			line = append(line, VerifyStateName(r.VerifyState))
			return put(append(line, planCells...))
		})
		return n, err
	}
	done := func(ctx context.Context, n int, err error) {
		detail := fmt.Sprintf("计划编号 %s，%d 人", p.PlanNo, n)
		if full {
			detail += "，含完整证件号码"
		}
		if err != nil {
			detail += "（导出中断）"
		}
		c.auditNow(context.WithoutCancel(ctx), st, AuditRosterExport, "plan", p.ID, detail)
	}
	return &SheetStream{FileName: fmt.Sprintf("花名册_%s.xlsx", p.PlanNo), sheet: "花名册", cols: rosterColumns,
		fill: fill, done: done}, nil
}

// rosterLine appends one roster row to line; ID numbers and phones are text,
// never numbers (Excel would round an 18-digit number).
func (c *Core) rosterLine(line []any, open *pii.Opener, r repo.ReviewRow, seq int, full bool) ([]any, error) {
	id, err := open.Open(r.IDNumberEnc.String)
	if err != nil {
		return nil, domain.Internal(err)
	}
	phone, err := open.Open(r.PhoneEnc.String)
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
		years = strconv.FormatInt(r.YearsInOccupation.Int64, 10)
	}
	return append(line, seq, r.Name, domain.IDTypeName(r.IDType), id, r.Gender, r.BirthDate,
		c.opts.EducationName(r.Education), c.opts.BasisName(r.Basis), years,
		c.opts.CandidateSourceName(r.CandidateSource), r.Employer, c.opts.LaborRelationName(r.LaborRelation), phone,
		r.Status.Name()), nil
}
