package core

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// SheetStream is a one-sheet spreadsheet for download that is written as its
// rows are read, straight through the zip compressor to the writer: memory
// stays flat in the row count, and nothing is cut short. The package around
// the worksheet (styles, the bold header row, column widths) is excelize's,
// made once per sheet; the data rows are written here, since excelize's
// StreamWriter keeps up to 16 MB of sheet XML in memory and File.Write builds
// the whole file in a buffer (bench/README.md, issue 26). Write it once, with
// WriteTo.
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
	t, err := sheetTemplateFor(s.sheet, s.cols)
	if err != nil {
		return 0, err
	}
	zr, err := zip.NewReader(bytes.NewReader(t.zip), int64(len(t.zip)))
	if err != nil {
		return 0, err
	}
	zw := zip.NewWriter(w)
	n := 0
	for _, f := range zr.File {
		if f.Name != t.sheetPath {
			if err := zw.Copy(f); err != nil {
				return n, err
			}
			continue
		}
		part, err := zw.Create(f.Name)
		if err != nil {
			return n, err
		}
		sw := &sheetWriter{w: part, buf: append(make([]byte, 0, sheetFlushAt+4096), t.head...), line: 1}
		n, err = s.fill(ctx, sw.put)
		if err != nil {
			return n, err
		}
		sw.buf = append(sw.buf, t.tail...)
		if err := sw.flush(); err != nil {
			return n, err
		}
	}
	return n, zw.Close()
}

// sheetTemplate is what excelize makes of a sheet with its header row and
// column widths and no data: the whole package (styles, theme, workbook,
// shared strings of the header) and the worksheet cut where the data rows go.
type sheetTemplate struct {
	zip       []byte
	sheetPath string
	head      []byte // the worksheet up to the end of the header row
	tail      []byte // from </sheetData> on
}

// sheetTemplates caches a template per sheet name and columns (a few exports).
var sheetTemplates sync.Map

func sheetTemplateFor(sheet string, cols []column) (*sheetTemplate, error) {
	key := fmt.Sprint(sheet, cols)
	if t, ok := sheetTemplates.Load(key); ok {
		return t.(*sheetTemplate), nil
	}
	data, err := writeSheet(sheet, cols, nil)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	t := &sheetTemplate{zip: data}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		if t.sheetPath != "" {
			return nil, fmt.Errorf("xlsx template: two worksheets %s and %s", t.sheetPath, f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		xml, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		// The dimension excelize wrote covers the header alone; it is optional,
		// and a streamed sheet does not know its size beforehand.
		if i := bytes.Index(xml, []byte("<dimension ")); i >= 0 {
			j := bytes.IndexByte(xml[i:], '>') + 1
			if j > 1 && xml[i+j-2] != '/' {
				if k := bytes.Index(xml[i:], []byte("</dimension>")); k >= 0 {
					j = k + len("</dimension>")
				} else {
					j = 0
				}
			}
			if j <= 0 {
				return nil, fmt.Errorf("xlsx template: unterminated dimension in %s", f.Name)
			}
			xml = append(xml[:i:i], xml[i+j:]...)
		}
		end := bytes.Index(xml, []byte("</sheetData>"))
		if end < 0 || !bytes.Contains(xml[:end], []byte(`<row r="1"`)) {
			return nil, fmt.Errorf("xlsx template: no header row in %s", f.Name)
		}
		t.sheetPath, t.head, t.tail = f.Name, xml[:end], xml[end:]
	}
	if t.sheetPath == "" {
		return nil, fmt.Errorf("xlsx template: no worksheet")
	}
	v, _ := sheetTemplates.LoadOrStore(key, t)
	return v.(*sheetTemplate), nil
}

// sheetFlushAt is how much worksheet XML is gathered before it goes to the
// zip entry (and on through the compressor to the response).
const sheetFlushAt = 32 << 10

// sheetWriter writes the data rows of a worksheet as SpreadsheetML, each cell
// as excelize's StreamWriter wrote it (numbers as numbers, text as inline
// strings), into one reused buffer: memory stays flat in the row count.
type sheetWriter struct {
	w    io.Writer
	buf  []byte
	line int      // the last row written (1: the header)
	cols []string // column names: A, B, …
}

// put writes one row; nil values leave their cell out.
func (sw *sheetWriter) put(row []any) error {
	if sw.line >= excelize.TotalRows {
		return fmt.Errorf("xlsx: more than %d rows do not fit in a worksheet", excelize.TotalRows)
	}
	sw.line++
	for len(sw.cols) < len(row) {
		name, err := excelize.ColumnNumberToName(len(sw.cols) + 1)
		if err != nil {
			return err
		}
		sw.cols = append(sw.cols, name)
	}
	b := append(sw.buf, `<row r="`...)
	b = strconv.AppendInt(b, int64(sw.line), 10)
	b = append(b, `">`...)
	for i, v := range row {
		if v == nil {
			continue
		}
		b = append(b, `<c r="`...)
		b = append(b, sw.cols[i]...)
		b = strconv.AppendInt(b, int64(sw.line), 10)
		b = append(b, '"')
		switch v := v.(type) {
		case string:
			b = appendInlineString(b, v)
		case int:
			b = appendNumber(strconv.AppendInt(append(b, `><v>`...), int64(v), 10))
		case int64:
			b = appendNumber(strconv.AppendInt(append(b, `><v>`...), v, 10))
		case int32:
			b = appendNumber(strconv.AppendInt(append(b, `><v>`...), int64(v), 10))
		case float64:
			b = appendNumber(strconv.AppendFloat(append(b, `><v>`...), v, 'f', -1, 64))
		case bool:
			b = append(b, ` t="b"><v>0</v></c>`...)
			if v {
				b[len(b)-len("0</v></c>")] = '1'
			}
		default: // as excelize: its text
			b = appendInlineString(b, fmt.Sprint(v))
		}
	}
	sw.buf = append(b, `</row>`...)
	if len(sw.buf) >= sheetFlushAt {
		return sw.flush()
	}
	return nil
}

func (sw *sheetWriter) flush() error {
	_, err := sw.w.Write(sw.buf)
	sw.buf = sw.buf[:0]
	return err
}

func appendNumber(b []byte) []byte { return append(b, `</v></c>`...) }

// appendInlineString closes a cell's start tag and writes s as an inline
// string, as excelize does: at most excelize.TotalCellChars UTF-16 units (a
// cell holds no more), xml:space="preserve" when it starts or ends with white
// space, XML-escaped, characters XML cannot carry replaced by U+FFFD, and
// "_xHHHH_" escaped as "_x005F_xHHHH_" so that readers do not decode it.
func appendInlineString(b []byte, s string) []byte {
	if len(s) > excelize.TotalCellChars { // bytes ≥ UTF-16 units
		s = truncateUTF16(s, excelize.TotalCellChars)
	}
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '\r':
				b = append(b, "&#xD;"...) // a raw CR would read back as LF
			case c == '_' && isEscapeLike(s[i:]):
				b = append(b, "_x005F_"...)
			case c < 0x20 && c != '\t' && c != '\n':
				b = append(b, "\uFFFD"...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, `</t></is></c>`...)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isEscapeLike tells whether s starts with _xHHHH_ (H a hex digit), which
// spreadsheet readers decode as the character U+HHHH.
func isEscapeLike(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// truncateUTF16 cuts s to at most n UTF-16 units, at a character boundary.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > n {
			return s[:i]
		}
		units += u
	}
	return s
}
