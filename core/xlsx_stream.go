package core

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// SheetStream is a one-sheet spreadsheet for download that is written as its
// rows are read: excelize's StreamWriter keeps memory flat in the row count
// (it spills the sheet to a temporary file past a few megabytes), and nothing
// is cut short. Write it once, with WriteTo.
type SheetStream struct {
	FileName string
	// fill feeds every data row to put; it returns how many it fed.
	fill func(ctx context.Context, put func(row []any) error) (int, error)
	// done is told how many rows went out and whether the write failed (the
	// audit entry records the real count).
	done  func(ctx context.Context, rows int, err error)
	sheet string
	cols  []column
	jsonl bool // JSON Lines instead of a workbook (AsJSONLines)
}

// AsJSONLines makes the stream write JSON Lines instead of a workbook: one
// object a row, keyed by the column heads in their order (for programs, e.g. a
// supervisor's inspection tools).
func (s *SheetStream) AsJSONLines() {
	s.jsonl = true
	s.FileName = strings.TrimSuffix(s.FileName, ".xlsx") + ".jsonl"
}

// ContentType is the stream's media type.
func (s *SheetStream) ContentType() string {
	if s.jsonl {
		return "application/jsonl; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// writeJSONL writes one JSON object a row, its keys in column order.
func (s *SheetStream) writeJSONL(ctx context.Context, w io.Writer) (int, error) {
	bw := bufio.NewWriter(w)
	keys := make([][]byte, len(s.cols))
	for i, c := range s.cols {
		keys[i], _ = json.Marshal(c.Head)
	}
	n, err := s.fill(ctx, func(row []any) error {
		bw.WriteByte('{')
		for i, v := range row {
			if i >= len(keys) {
				break
			}
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.Write(keys[i])
			bw.WriteByte(':')
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			bw.Write(b)
		}
		_, err := bw.WriteString("}\n")
		return err
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// WriteTo writes the workbook to w and returns how many data rows it holds.
func (s *SheetStream) WriteTo(ctx context.Context, w io.Writer) (int, error) {
	n, err := s.write(ctx, w)
	if s.done != nil {
		s.done(ctx, n, err)
	}
	return n, err
}

func (s *SheetStream) write(ctx context.Context, w io.Writer) (int, error) {
	if s.jsonl {
		return s.writeJSONL(ctx, w)
	}
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", s.sheet); err != nil {
		return 0, err
	}
	sw, err := x.NewStreamWriter(s.sheet)
	if err != nil {
		return 0, err
	}
	head := make([]any, len(s.cols))
	for i, c := range s.cols {
		head[i] = c.Head
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return 0, err
		}
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return 0, err
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return 0, err
	}
	line := 1
	n, err := s.fill(ctx, func(row []any) error {
		line++
		cell, _ := excelize.CoordinatesToCellName(1, line)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return n, err
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	return n, x.Write(w)
}
