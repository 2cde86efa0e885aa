package core

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"skillcert/domain"
	"skillcert/repo"
)

// employerMismatch runs the employer check (工作单位预警): for a basis that
// involves an employer, the form's employer is compared with the latest one the
// employment register holds for the ID number. No record, or a basis without an
// employer (报名五级, 以学历报考), is no mismatch.
func (c *Core) employerMismatch(ctx context.Context, q repo.Reader, idNumberIdx string, f domain.Form) (bool, error) {
	if !domain.EmployerCheckApplies(f.Basis) || strings.TrimSpace(f.Employer) == "" {
		return false, nil
	}
	onRecord, err := q.LatestEmployer(ctx, idNumberIdx)
	if repo.IsNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !domain.SameEmployer(f.Employer, onRecord), nil
}

// EmploymentImport is the outcome of loading an employment register file.
type EmploymentImport struct {
	Rows    int // distinct records read (a person and a from-date; a later line wins)
	Added   int
	Updated int // same person and from-date as a row already there: employer replaced
}

// MaxImportErrors is how many bad lines an import reports before it stops reading.
const MaxImportErrors = 20

// ImportEmployment loads an employment register CSV (the provincial HR system's
// record of employers): one row per person and employer, with the columns ID
// number, employer, from-date (YYYY-MM-DD, may be empty). A header row is
// recognised and skipped; UTF-8 (with or without BOM) and GB18030/GBK files are
// read. ID numbers are stored only as their blind index. The file is loaded
// whole or not at all: any bad line fails the import, and the error names the
// lines (never their ID numbers). With replace the register is emptied first.
func (c *Core) ImportEmployment(ctx context.Context, r io.Reader, replace bool) (EmploymentImport, error) {
	recs, err := c.readEmployment(r)
	if err != nil {
		return EmploymentImport{}, err
	}
	added, updated, err := c.db.ImportEmployment(ctx, recs, replace, c.dbNow())
	if err != nil {
		return EmploymentImport{}, fmt.Errorf("store employment register: %w", err)
	}
	return EmploymentImport{Rows: len(recs), Added: added, Updated: updated}, nil
}

// Limits of one employment register import: a file past either is refused
// whole, before memory grows with it.
const (
	MaxEmploymentRows  = 500000
	MaxEmploymentBytes = 128 << 20
)

// readEmployment parses and checks every line; a later line for the same person
// and from-date wins.
func (c *Core) readEmployment(r io.Reader) ([]repo.EmploymentRecord, error) {
	lim := &io.LimitedReader{R: r, N: MaxEmploymentBytes + 1}
	cr := csv.NewReader(decodeChinese(lim))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var recs []repo.EmploymentRecord
	at := map[[2]string]int{} // (index, from-date) → position in recs
	var bad []string
	for line := 1; ; line++ {
		row, err := cr.Read()
		if lim.N <= 0 {
			return nil, fmt.Errorf("nothing imported: the file is larger than %d MB; split it", MaxEmploymentBytes>>20)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if line > MaxEmploymentRows+1 {
			return nil, fmt.Errorf("nothing imported: more than %d lines; split the file", MaxEmploymentRows)
		}
		if line == 1 && isHeader(row) {
			continue
		}
		rec, msg := c.employmentRow(row)
		if msg != "" {
			bad = append(bad, fmt.Sprintf("line %d: %s", line, msg))
			if len(bad) >= MaxImportErrors {
				break
			}
			continue
		}
		k := [2]string{rec.IDNumberIdx, rec.FromDate}
		if i, dup := at[k]; dup {
			recs[i] = rec
			continue
		}
		at[k] = len(recs)
		recs = append(recs, rec)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("nothing imported; fix these lines:\n  %s", strings.Join(bad, "\n  "))
	}
	return recs, nil
}

// employmentRow checks one data row; msg says what is wrong (without the number).
func (c *Core) employmentRow(row []string) (rec repo.EmploymentRecord, msg string) {
	if len(row) < 2 || len(row) > 3 {
		return rec, "want 3 columns: ID number, employer, from-date"
	}
	number := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(row[0], "\ufeff")))
	if n := len(number); n < 5 || n > 20 || !isAlnum(number) {
		return rec, "ID number: want 5 to 20 letters and digits"
	}
	employer := strings.Join(strings.Fields(row[1]), " ")
	if employer == "" || utf8.RuneCountInString(employer) > 200 {
		return rec, "employer: want 1 to 200 characters"
	}
	from := ""
	if len(row) == 3 {
		// 2020-07-01, or as spreadsheets write it: 2020/7/1.
		from = strings.ReplaceAll(strings.TrimSpace(row[2]), "/", "-")
		if t, err := time.ParseInLocation("2006-1-2", from, domain.Beijing); err == nil {
			from = t.Format(domain.DateLayout)
		} else if from != "" {
			return rec, "from-date: want YYYY-MM-DD"
		}
	}
	return repo.EmploymentRecord{IDNumberIdx: c.IDNumberIndex(number), Employer: employer, FromDate: from}, ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z') {
			return false
		}
	}
	return true
}

// isHeader tells a header row from data: its first cell is not an ID number.
func isHeader(row []string) bool {
	if len(row) == 0 {
		return false
	}
	first := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(row[0], "\ufeff")))
	return first == "" || !isAlnum(first) || strings.Contains(first, "ID")
}

// decodeChinese reads UTF-8 as is and anything that is not valid UTF-8 in its
// first 4 KB as GB18030 (a superset of GBK, what Excel writes on Chinese Windows).
func decodeChinese(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(4096)
	// A multi-byte character cut at the end of the peek is not a reason to switch.
	for i := 0; i < utf8.UTFMax && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if utf8.Valid(head) {
		return br
	}
	return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
}
