package core

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// streamRows writes rows through a SheetStream and returns the file.
func streamRows(t *testing.T, cols []column, rows [][]any) []byte {
	t.Helper()
	s := &SheetStream{sheet: "花名册", cols: cols, fill: func(ctx context.Context, put func([]any) error) (int, error) {
		for _, r := range rows {
			if err := put(r); err != nil {
				return 0, err
			}
		}
		return len(rows), nil
	}}
	var buf bytes.Buffer
	n, err := s.WriteTo(context.Background(), &buf)
	if err != nil || n != len(rows) {
		t.Fatalf("WriteTo: %d rows, %v", n, err)
	}
	return buf.Bytes()
}

// excelizeStream writes the same rows with excelize's StreamWriter, as the
// exports did before (the reference for what a reader gets back).
func excelizeStream(t *testing.T, cols []column, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", "花名册")
	sw, err := x.NewStreamWriter("花名册")
	if err != nil {
		t.Fatal(err)
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = c.Head
	}
	if err := sw.SetRow("A1", head); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readBack(t *testing.T, data []byte) (*excelize.File, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

// TestSheetStreamReadsAsExcelize: what a reader gets back from the streamed
// sheet equals what it gets from excelize's own StreamWriter for the same
// values, awkward text included; the header is bold and the widths are set.
func TestSheetStreamReadsAsExcelize(t *testing.T) {
	cols := []column{{"序号", 6}, {"文本", 20}, {"数", 8}, {"更多", 10}}
	long := strings.Repeat("长", excelize.TotalCellChars+10)
	rows := [][]any{
		{1, "张三", int64(1234567890123), "11010519491231002X"},
		{2, " 前后空格 ", 0, "a & b < c > d \"q\" 'a'"},
		{3, "行1\n行2\r\n行3\t制表", -5, "_x0041_ and _x005F_x0041_ and _x00G1_ and _x004"},
		{4, "控制\x01字符\x1f", 3.25, true},
		{5, "bad utf8 \xff\xfe end", false, nil},
		{6, "", "", "😀 emoji 𠀀"},
		{7, long, int32(7), "\uFFFE\uFFFF"},
		{8, nil, nil, "末"},
	}
	got, want := streamRows(t, cols, rows), excelizeStream(t, cols, rows)
	f, gotRows := readBack(t, got)
	defer f.Close()
	_, wantRows := readBack(t, want)
	if !reflect.DeepEqual(gotRows, wantRows) {
		for i := range max(len(gotRows), len(wantRows)) {
			var g, w []string
			if i < len(gotRows) {
				g = gotRows[i]
			}
			if i < len(wantRows) {
				w = wantRows[i]
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("row %d:\n got  %q\n want %q", i+1, g, w)
			}
		}
	}
	sheet := f.GetSheetName(0)
	if sheet != "花名册" {
		t.Fatalf("sheet %q", sheet)
	}
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if w, _ := f.GetColWidth(sheet, name); w != c.Width {
			t.Errorf("column %s width %v, want %v", name, w, c.Width)
		}
	}
	style, _ := f.GetCellStyle(sheet, "B1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header not bold: %v %v", s, err)
	}
	// Numbers stay numbers, ID numbers text.
	if typ, _ := f.GetCellType(sheet, "C2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("C2 type %v", typ)
	}
	if typ, _ := f.GetCellType(sheet, "D2"); typ != excelize.CellTypeInlineString {
		t.Errorf("D2 type %v", typ)
	}
}

// TestSheetStreamManyRows: every row comes out, in order, across many flushes
// of the writer's buffer, and the sheet has the header and nothing after.
func TestSheetStreamManyRows(t *testing.T) {
	const n = 30000
	cols := []column{{"序号", 6}, {"姓名", 10}}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{i + 1, fmt.Sprintf("考生%d", i+1)}
	}
	f, got := readBack(t, streamRows(t, cols, rows))
	defer f.Close()
	if len(got) != n+1 || got[0][0] != "序号" {
		t.Fatalf("%d rows, first %v", len(got), got[0])
	}
	for i, r := range got[1:] {
		if len(r) != 2 || r[0] != fmt.Sprint(i+1) || r[1] != fmt.Sprintf("考生%d", i+1) {
			t.Fatalf("row %d: %q", i+2, r)
		}
	}
}
