package core

import (
	"bytes"
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"skillcert/domain"
	"skillcert/repo"
)

// RosterColumns are the roster's columns, as an exam office reads them.
var RosterColumns = []string{"序号", "姓名", "证件类型", "证件号码", "性别", "出生日期", "文化程度", "报考依据",
	"从业年限", "所在单位", "手机号码", "状态"}

// Roster is a plan's roster as an .xlsx file.
type Roster struct {
	FileName string
	Rows     int
	Data     []byte
}

// PlanRoster builds the roster of a plan st may see: every registration but
// drafts and cancelled ones (or one status), in submission order. Full ID numbers
// and phones only for staff of the plan's own institution; everyone else gets
// them masked. Every export is audited.
func (c *Core) PlanRoster(ctx context.Context, st *Staff, planID int64, status string) (*Roster, error) {
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
	full := st.OwnsPlan(&p)
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "花名册"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return nil, domain.Internal(err)
	}
	if err := x.SetSheetRow(sheet, "A1", &RosterColumns); err != nil {
		return nil, domain.Internal(err)
	}
	n := 0
	for _, r := range rows {
		if f.Status == "" && r.Status == string(domain.StatusCancelled) {
			continue
		}
		line, err := c.rosterLine(r, n+1, full)
		if err != nil {
			return nil, err
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		if err := x.SetSheetRow(sheet, cell, &line); err != nil {
			return nil, domain.Internal(err)
		}
	}
	if err := styleRoster(x, sheet); err != nil {
		return nil, domain.Internal(err)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, domain.Internal(err)
	}
	detail := fmt.Sprintf("计划编号 %s，%d 人", p.PlanNo, n)
	if full {
		detail += "，含完整证件号码"
	}
	c.auditNow(ctx, st, AuditRosterExport, "plan", p.ID, detail)
	return &Roster{FileName: fmt.Sprintf("花名册_%s.xlsx", p.PlanNo), Rows: n, Data: buf.Bytes()}, nil
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

// styleRoster sets readable column widths, a bold header and text cells.
func styleRoster(x *excelize.File, sheet string) error {
	widths := []float64{6, 10, 14, 22, 6, 12, 10, 18, 9, 28, 14, 16}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	head, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	return x.SetRowStyle(sheet, 1, 1, head)
}
