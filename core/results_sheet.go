package core

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"skillcert/domain"
)

// MaxResultRows is the most data rows one results file may have.
const MaxResultRows = 5000

// readSheet reads the first sheet of an .xlsx file, or a .csv file (UTF-8, with
// or without a BOM, or GB18030 as Excel saves it on Chinese Windows), into rows
// of trimmed cells.
func readSheet(name string, data []byte) ([][]string, error) {
	bad := func(msg string) *domain.Error { return domain.Invalid("file", "file_invalid", msg) }
	var rows [][]string
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		f, err := openXLSX(data)
		if err != nil && strings.Contains(err.Error(), "unzip size exceeds") { // excelize has no sentinel for it
			return nil, bad("文件解压后过大，请确认上传的是成绩表本身")
		}
		if err != nil {
			return nil, bad("无法读取该 .xlsx 文件，请确认文件未损坏")
		}
		defer f.Close()
		var tooMany bool
		if rows, tooMany, err = readXLSXRows(f, MaxResultRows+1); err != nil {
			return nil, bad("无法读取该 .xlsx 文件的第一个工作表")
		}
		if tooMany {
			return nil, bad("一次最多导入5000行")
		}
	case ".csv":
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
			if err != nil {
				return nil, bad("CSV 文件编码无法识别，请另存为 UTF-8 编码")
			}
			data = dec
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		var err error
		if rows, err = r.ReadAll(); err != nil {
			return nil, bad("CSV 文件格式不正确：" + err.Error())
		}
	default:
		return nil, bad("请上传 .xlsx 或 .csv 文件")
	}
	if len(rows) > MaxResultRows+1 {
		return nil, bad("一次最多导入5000行")
	}
	for _, row := range rows {
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
	}
	return rows, nil
}

// Columns of a results sheet, by the header names (and aliases) it may use.
const (
	colIDNumber = "证件号码"
	colName     = "姓名"
	colCertNo   = "证书编号"
	colStage    = "证书进度"
)

// resultColumn is one column of a results sheet: its header as the template
// writes it, the other headers the importer accepts for it, whether a sheet must
// have it, and its width in the template.
type resultColumn struct {
	head     string
	aliases  []string
	required bool
	width    float64
}

// resultColumns is the one definition of a results sheet: the importer reads
// headers by it and the template download (ExportResultsTemplate) is written from it.
var resultColumns = []resultColumn{
	{head: colIDNumber, aliases: []string{"身份证号码", "身份证号"}, required: true, width: 22},
	{head: colName, required: true, width: 10},
	{head: "理论", aliases: []string{"理论成绩", "理论知识"}, width: 8},
	{head: "实操", aliases: []string{"实操成绩", "操作技能", "技能操作"}, width: 8},
	{head: "综合", aliases: []string{"综合成绩", "综合评审"}, width: 8},
	{head: colCertNo, aliases: []string{"证书号码"}, width: 24},
	{head: colStage, aliases: []string{"进度", "证书环节"}, width: 12},
}

// columnAliases maps every accepted header to its column.
var columnAliases = func() map[string]string {
	m := map[string]string{}
	for _, c := range resultColumns {
		m[c.head] = c.head
		for _, a := range c.aliases {
			m[a] = c.head
		}
	}
	return m
}()

// headerIndex maps the known columns of the header row to their positions.
func headerIndex(header []string) (map[string]int, []RowError) {
	idx := map[string]int{}
	for i, h := range header {
		if c, ok := columnAliases[strings.ReplaceAll(h, " ", "")]; ok {
			if _, dup := idx[c]; !dup {
				idx[c] = i
			}
		}
	}
	var errs []RowError
	required := 0
	for _, c := range resultColumns {
		if !c.required {
			continue
		}
		required++
		if _, ok := idx[c.head]; !ok {
			errs = append(errs, RowError{Line: 1, Column: c.head, Message: "表头缺少“" + c.head + "”列"})
		}
	}
	if len(idx) == required && len(errs) == 0 {
		errs = append(errs, RowError{Line: 1, Column: "", Message: "表头须至少包含理论、实操、综合、证书编号、证书进度中的一列"})
	}
	return idx, errs
}
