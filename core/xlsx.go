package core

import (
	"bytes"

	"github.com/xuri/excelize/v2"
)

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
