package core

import (
	"bytes"

	"github.com/xuri/excelize/v2"
)

// Limits of every spreadsheet read (imports): a decompression bomb (a small
// file holding a huge compressed entry) is refused before anything is unzipped,
// from the sizes its zip directory declares (Go's zip reader refuses an entry
// longer than declared). Worksheets over the XML limit are unzipped to a
// temporary file instead of memory, within the total.
const (
	XLSXUnzipLimit    = 64 << 20 // all entries together, unzipped
	XLSXUnzipXMLLimit = 16 << 20 // one worksheet or the shared strings, in memory
)

// openXLSX opens an uploaded .xlsx under the unzip limits.
func openXLSX(data []byte) (*excelize.File, error) {
	return excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: XLSXUnzipLimit, UnzipXMLSizeLimit: XLSXUnzipXMLLimit})
}

// readXLSXRows reads the rows of a workbook's first sheet, at most maxRows
// (tooMany is true when there are more; reading stops there).
func readXLSXRows(f *excelize.File, maxRows int) (rows [][]string, tooMany bool, err error) {
	it, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return nil, false, err
	}
	defer it.Close()
	for it.Next() {
		if len(rows) == maxRows {
			return rows, true, nil
		}
		row, err := it.Columns()
		if err != nil {
			return nil, false, err
		}
		rows = append(rows, row)
	}
	return rows, false, it.Error()
}

// Export is a spreadsheet made for download.
type Export struct {
	FileName string
	Rows     int // data rows, the header not counted
	Data     []byte
}

// column is one column of an exported sheet: its header and width.
type column struct {
	Head  string
	Width float64
}

// writeSheet makes an .xlsx of one sheet: a bold header row, then rows. Values
// that must stay text (phones, plan numbers) are passed as strings.
func writeSheet(sheet string, cols []column, rows [][]any) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = c.Head
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.SetColWidth(sheet, name, name, c.Width); err != nil {
			return nil, err
		}
	}
	if err := x.SetSheetRow(sheet, "A1", &head); err != nil {
		return nil, err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	if err := x.SetRowStyle(sheet, 1, 1, bold); err != nil {
		return nil, err
	}
	for i := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(sheet, cell, &rows[i]); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
