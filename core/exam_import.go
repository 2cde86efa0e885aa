package core

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"skillcert/domain"
	"skillcert/repo"
)

// Unzip limits of an uploaded workbook: an .xlsx is a zip, and a small file can
// expand to gigabytes (a zip bomb). excelize refuses to expand beyond these.
const (
	xlsxUnzipLimit    = 64 << 20
	xlsxUnzipXMLLimit = 16 << 20
)

// readLimitedSheet reads an arrangement file like readSheet (the results
// file), opening workbooks with the unzip limits above.
func readLimitedSheet(name string, data []byte) ([][]string, error) {
	if strings.ToLower(filepath.Ext(name)) != ".xlsx" {
		return readSheet(name, data)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		return nil, domain.Invalid("file", "file_invalid", "无法读取该 .xlsx 文件，请确认文件未损坏")
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		return nil, domain.Invalid("file", "file_invalid", "无法读取该 .xlsx 文件的第一个工作表")
	}
	if len(rows) > MaxResultRows+1 {
		return nil, domain.Invalid("file", "file_invalid", fmt.Sprintf("一次最多导入%d行", MaxResultRows))
	}
	for _, row := range rows {
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
	}
	return rows, nil
}

// arrangeColumns maps the header names of an arrangement file to the column
// keys: "id", "name", and "<subject>:session" / "<subject>:seat".
var arrangeColumns = map[string]string{
	"证件号码": "id", "身份证号码": "id", "身份证号": "id", "姓名": "name",
	"理论场次": "theory:session", "理论座位号": "theory:seat", "理论座位": "theory:seat",
	"实操场次": "practical:session", "实操座位号": "practical:seat", "实操座位": "practical:seat",
	"综合场次": "comprehensive:session", "综合座位号": "comprehensive:seat", "综合座位": "comprehensive:seat",
	"综合评审场次": "comprehensive:session", "综合评审座位号": "comprehensive:seat",
}

// ImportArrangement reads an arrangement file (.xlsx, or .csv) of a plan of st's
// institution: one row per approved candidate, 证件号码, 姓名, and for each
// subject a 场次 (the session number shown in the console, or its room name)
// and an optional 座位号 (empty: the first free seat of that room). The file is
// the whole arrangement: it is validated as a whole and applied, replacing every
// seat of the plan, only when every row is right.
func (c *Core) ImportArrangement(ctx context.Context, st *Staff, planID int64, fileName string, data []byte) (ArrangeReport, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return ArrangeReport{}, err
	}
	sheet, derr := readLimitedSheet(fileName, data)
	if derr != nil {
		return ArrangeReport{}, derr
	}
	var rep ArrangeReport
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		a, err := c.loadArrangement(ctx, tx.Reader, p)
		if err != nil {
			return err
		}
		sp, order, r := c.validateArrangement(a, sheet)
		rep = r
		if len(rep.Errors) > 0 {
			return nil
		}
		if rep.Created, rep.Changed, err = c.applySeats(ctx, tx, a, sp, order); err != nil {
			return err
		}
		rep.Seated = len(order)
		return c.audit(ctx, tx.Writer, st, AuditExamArrange, "plan", p.ID, fmt.Sprintf("计划编号 %s，导入考场编排 %s，%d 人，新发准考证号 %d 个，变更 %d 人",
			p.PlanNo, fileName, rep.Seated, rep.Created, rep.Changed))
	})
	if err != nil {
		return ArrangeReport{}, asDomainError(err)
	}
	if len(rep.Errors) > 0 {
		c.auditNow(ctx, st, AuditExamArrange, "plan", p.ID, fmt.Sprintf("计划编号 %s，考场编排文件 %s 有 %d 处错误，未导入", p.PlanNo, fileName, len(rep.Errors)))
	}
	return rep, nil
}

// validateArrangement checks every row; it returns the seats and the order of
// the rows, or the errors.
func (c *Core) validateArrangement(a *arrangement, sheet [][]string) (seatPlan, []int64, ArrangeReport) {
	var rep ArrangeReport
	fail := func(line int, col, msg string) {
		rep.Errors = append(rep.Errors, RowError{Line: line, Column: col, Message: msg})
	}
	if len(sheet) == 0 {
		fail(1, "", "文件是空的")
		return nil, nil, rep
	}
	idx := map[string]int{}
	for i, h := range sheet[0] {
		if k, ok := arrangeColumns[strings.ReplaceAll(h, " ", "")]; ok {
			if _, dup := idx[k]; !dup {
				idx[k] = i
			}
		}
	}
	for _, need := range []struct{ key, name string }{{"id", "证件号码"}, {"name", "姓名"}} {
		if _, ok := idx[need.key]; !ok {
			fail(1, need.name, "表头缺少“"+need.name+"”列")
		}
	}
	for _, subj := range a.subjects {
		if _, ok := idx[string(subj)+":session"]; !ok {
			fail(1, subj.Name()+"场次", "表头缺少“"+subj.Name()+"场次”列（本计划有"+subj.Name()+"场次）")
		}
	}
	if len(rep.Errors) > 0 {
		return nil, nil, rep
	}
	cell := func(row []string, key string) string {
		if i, ok := idx[key]; ok && i < len(row) {
			return row[i]
		}
		return ""
	}
	byIdx := map[string]repo.ReviewRow{}
	for _, r := range a.approved {
		full, err := c.pii.Open(r.IDNumberEnc.String)
		if err == nil {
			byIdx[c.IDNumberIndex(full)] = r
		}
	}
	type pending struct {
		line   int
		regID  int64
		subj   domain.Subject
		sessID int64
	}
	var waiting []pending // rows without a seat number, seated after the others
	sp := seatPlan{}
	seen := map[int64]int{}
	seatLine := map[[2]int64]int{} // (session, seat) → line
	used := map[int64]int{}        // session → seats used
	var order []int64
	for i, row := range sheet[1:] {
		line := i + 2
		if strings.Join(row, "") == "" {
			continue
		}
		rep.Rows++
		id := cell(row, "id")
		r, ok := byIdx[c.IDNumberIndex(id)]
		switch {
		case id == "":
			fail(line, "证件号码", "请填写证件号码")
			continue
		case !ok:
			fail(line, "证件号码", "本评价计划审核通过的考生中没有该证件号码")
			continue
		}
		if name := cell(row, "name"); name != r.Name {
			fail(line, "姓名", "姓名与证件号码对应的考生（"+r.Name+"）不符")
		}
		if prev, dup := seen[r.ID]; dup {
			fail(line, "证件号码", fmt.Sprintf("与第%d行是同一考生", prev))
			continue
		}
		seen[r.ID] = line
		order = append(order, r.ID)
		for _, subj := range a.subjects {
			col := subj.Name() + "场次"
			v := cell(row, string(subj)+":session")
			if v == "" {
				fail(line, col, "请填写"+col)
				continue
			}
			s, msg := a.findSession(subj, v)
			if msg != "" {
				fail(line, col, msg)
				continue
			}
			seatText := cell(row, string(subj)+":seat")
			if seatText == "" {
				waiting = append(waiting, pending{line, r.ID, subj, s.ID})
				continue
			}
			seat, err := strconv.Atoi(seatText)
			if err != nil || seat < 1 || seat > s.Seats {
				fail(line, subj.Name()+"座位号", fmt.Sprintf("座位号应为1至%d的整数（%s共%d座）", s.Seats, s.Room, s.Seats))
				continue
			}
			key := [2]int64{s.ID, int64(seat)}
			if prev, dup := seatLine[key]; dup {
				fail(line, subj.Name()+"座位号", fmt.Sprintf("%s %d号座位与第%d行重复", s.Room, seat, prev))
				continue
			}
			seatLine[key] = line
			used[s.ID]++
			sp.put(r.ID, repo.ExamSeat{RegistrationID: r.ID, Subject: string(subj), SessionID: s.ID, SeatNo: seat})
		}
	}
	next := map[int64]int{}
	for _, w := range waiting {
		s := a.sessionByID[w.sessID]
		n := next[s.ID] + 1
		for ; n <= s.Seats; n++ {
			if _, busy := seatLine[[2]int64{s.ID, int64(n)}]; !busy {
				break
			}
		}
		if n > s.Seats {
			fail(w.line, w.subj.Name()+"场次", fmt.Sprintf("%s已满（%d座）", s.Room, s.Seats))
			continue
		}
		next[s.ID] = n
		seatLine[[2]int64{s.ID, int64(n)}] = w.line
		sp.put(w.regID, repo.ExamSeat{RegistrationID: w.regID, Subject: string(w.subj), SessionID: s.ID, SeatNo: n})
	}
	if rep.Rows == 0 && len(rep.Errors) == 0 {
		fail(2, "", "文件中没有数据行")
	}
	sortRowErrors(rep.Errors)
	return sp, order, rep
}

// findSession finds a session of subj by its number or its room name.
func (a *arrangement) findSession(subj domain.Subject, v string) (repo.ExamSession, string) {
	if n, err := strconv.ParseInt(strings.TrimPrefix(v, "#"), 10, 64); err == nil {
		s, ok := a.sessionByID[n]
		if !ok || domain.Subject(s.Subject) != subj {
			return s, fmt.Sprintf("本计划没有编号为%d的%s场次", n, subj.Name())
		}
		return s, ""
	}
	var found []repo.ExamSession
	for _, s := range a.sessions {
		if domain.Subject(s.Subject) == subj && s.Room == v {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return repo.ExamSession{}, "本计划没有名为“" + v + "”的" + subj.Name() + "考场"
	case 1:
		return found[0], ""
	}
	return repo.ExamSession{}, "“" + v + "”有多个" + subj.Name() + "场次，请填写场次编号"
}

func sortRowErrors(errs []RowError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Line < errs[j-1].Line; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}
