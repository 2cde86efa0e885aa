package domain

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// idNow is a fixed "now" for ID tests: 2025-11-13 09:00 Beijing.
var idNow = time.Date(2025, 11, 13, 1, 0, 0, 0, time.UTC)

// withCheck completes 17 digits with their GB 11643 check character.
func withCheck(t testing.TB, first17 string) string {
	t.Helper()
	c, ok := IDCheckChar(first17)
	if !ok {
		t.Fatalf("IDCheckChar(%q) failed", first17)
	}
	return first17 + string(c)
}

func TestIDCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
		ok   bool
	}{
		{"11010519491231002", 'X', true},
		{"44052418800101001", '4', true},
		{"81000019940823002", '1', true},
		{"1101051949123100", 0, false},
		{"1101051949123100A", 0, false},
	}
	for _, tt := range tests {
		got, ok := IDCheckChar(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("IDCheckChar(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseIDDocumentValid(t *testing.T) {
	tests := []struct {
		name, typ, in string
		want          IDDocument
	}{
		{"vector X", "01", "11010519491231002X",
			IDDocument{"01", "11010519491231002X", GenderFemale, "1949-12-31"}},
		{"vector lower x and spaces", "01", " 11010519491231002x\t",
			IDDocument{"01", "11010519491231002X", GenderFemale, "1949-12-31"}},
		{"vector 1880", "01", "440524188001010014",
			IDDocument{"01", "440524188001010014", GenderMale, "1880-01-01"}},
		{"born today", "01", withCheck(t, "44030820251113123"),
			IDDocument{"01", withCheck(t, "44030820251113123"), GenderMale, "2025-11-13"}},
		{"leap day", "01", withCheck(t, "44030820000229124"),
			IDDocument{"01", withCheck(t, "44030820000229124"), GenderFemale, "2000-02-29"}},
		{"type 02 vector HK", "02", "810000199408230021",
			IDDocument{"02", "810000199408230021", GenderFemale, "1994-08-23"}},
		{"type 02 Macao", "02", withCheck(t, "82000019900101001"),
			IDDocument{"02", withCheck(t, "82000019900101001"), GenderMale, "1990-01-01"}},
		{"type 02 Taiwan", "02", withCheck(t, "83000019900101002"),
			IDDocument{"02", withCheck(t, "83000019900101002"), GenderFemale, "1990-01-01"}},
		{"type 05", "05", withCheck(t, "93115619850612001"),
			IDDocument{"05", withCheck(t, "93115619850612001"), GenderMale, "1985-06-12"}},
		{"type 03 H8", "03", "h12345678", IDDocument{Type: "03", Number: "H12345678"}},
		{"type 03 M10", "03", "M1234567890", IDDocument{Type: "03", Number: "M1234567890"}},
		{"type 04", "04", "12345678", IDDocument{Type: "04", Number: "12345678"}},
		{"type 06 short", "06", "e1234", IDDocument{Type: "06", Number: "E1234"}},
		{"type 06 long", "06", strings.Repeat("A1", 10), IDDocument{Type: "06", Number: strings.Repeat("A1", 10)}},
		{"type trimmed", " 01 ", "440524188001010014",
			IDDocument{"01", "440524188001010014", GenderMale, "1880-01-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIDDocument(tt.typ, tt.in, idNow)
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseIDDocumentInvalid(t *testing.T) {
	tests := []struct {
		name, typ, in string
		field, code   string
		msgHas        string
	}{
		{"no type", "", "440524188001010014", FieldIDType, "id_type_required", "请选择证件类型"},
		{"unknown type", "07", "440524188001010014", FieldIDType, "id_type_invalid", "证件类型"},
		{"empty number", "01", "  ", FieldIDNumber, "id_number_required", "请填写证件号码"},
		{"wrong check digit", "01", "440524188001010015", FieldIDNumber, "id_number_check_digit", "校验位"},
		{"X where a digit is due", "01", "44052418800101001X", FieldIDNumber, "id_number_check_digit", "校验位"},
		{"17 digits", "01", "44052418800101001", FieldIDNumber, "id_number_length", "应为18位，当前为17位"},
		{"15 digit old card", "01", "440524800101001", FieldIDNumber, "id_number_length", "当前为15位"},
		{"19 chars", "01", "4405241880010100140", FieldIDNumber, "id_number_length", "当前为19位"},
		{"letter inside", "01", "44052418800A010014", FieldIDNumber, "id_number_format", "前17位应为数字"},
		{"full-width digit", "01", "４40524188001010014", FieldIDNumber, "id_number_format", "前17位应为数字"},
		{"bad last char", "01", "44052418800101001Y", FieldIDNumber, "id_number_format", "最后一位"},
		{"birth 19990230", "01", withCheck(t, "44030819990230001"), FieldIDNumber, "id_number_birth_date", "1999年02月30日"},
		{"birth month 13", "01", withCheck(t, "44030819991301001"), FieldIDNumber, "id_number_birth_date", "不是有效日期"},
		{"birth 2001-02-29", "01", withCheck(t, "44030820010229001"), FieldIDNumber, "id_number_birth_date", "不是有效日期"},
		{"future birth", "01", withCheck(t, "44030820251114001"), FieldIDNumber, "id_number_birth_future", "晚于今天"},
		{"far future birth", "01", withCheck(t, "44030830000101001"), FieldIDNumber, "id_number_birth_future", "晚于今天"},
		{"too early", "01", withCheck(t, "44030818491231001"), FieldIDNumber, "id_number_birth_date", "早于1850年"},
		{"unknown region 10", "01", withCheck(t, "10010519491231002"), FieldIDNumber, "id_number_region", "（10）"},
		{"unknown region 71", "01", withCheck(t, "71010519491231002"), FieldIDNumber, "id_number_region", "地区码"},
		{"unknown region 99", "01", withCheck(t, "99010519491231002"), FieldIDNumber, "id_number_region", "地区码"},
		{"HK number as type 01", "01", "810000199408230021", FieldIDNumber, "id_number_region", "港澳台居民居住证"},
		{"Taiwan number as type 01", "01", withCheck(t, "83000019900101002"), FieldIDNumber, "id_number_region", "港澳台居民居住证"},
		{"type 02 mainland number", "02", "440524188001010014", FieldIDNumber, "id_number_prefix", "810000"},
		{"type 02 810001", "02", withCheck(t, "81000119940823002"), FieldIDNumber, "id_number_prefix", "830000（台湾）"},
		{"type 02 wrong check", "02", "810000199408230022", FieldIDNumber, "id_number_check_digit", "校验位"},
		{"type 02 length", "02", "81000019940823002", FieldIDNumber, "id_number_length", "港澳台居民居住证号码应为18位"},
		{"type 05 not 9", "05", "440524188001010014", FieldIDNumber, "id_number_prefix", "应以9开头"},
		{"type 05 length", "05", "93115619850612", FieldIDNumber, "id_number_length", "外国人永久居留身份证号码应为18位"},
		{"type 03 no letter", "03", "12345678", FieldIDNumber, "id_number_format", "H或M开头"},
		{"type 03 wrong letter", "03", "A12345678", FieldIDNumber, "id_number_format", "H或M开头"},
		{"type 03 9 digits", "03", "H123456789", FieldIDNumber, "id_number_format", "8位或10位"},
		{"type 03 7 digits", "03", "H1234567", FieldIDNumber, "id_number_format", "8位或10位"},
		{"type 04 7 digits", "04", "1234567", FieldIDNumber, "id_number_format", "8位数字"},
		{"type 04 letters", "04", "T1234567", FieldIDNumber, "id_number_format", "8位数字"},
		{"type 06 4 chars", "06", "E123", FieldIDNumber, "id_number_format", "5至20位"},
		{"type 06 21 chars", "06", strings.Repeat("A", 21), FieldIDNumber, "id_number_format", "5至20位"},
		{"type 06 symbol", "06", "E12-345", FieldIDNumber, "id_number_format", "字母或数字"},
		{"type 06 inner space", "06", "E12 345", FieldIDNumber, "id_number_format", "字母或数字"},
		{"type 06 non-ASCII", "06", "ABCDé", FieldIDNumber, "id_number_format", "字母或数字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseIDDocument(tt.typ, tt.in, idNow)
			if err == nil {
				t.Fatalf("accepted %+v", doc)
			}
			if de(err).Kind != KindInvalid || de(err).Field != tt.field || de(err).Code != tt.code {
				t.Errorf("error = %s/%s/%q; want field %s code %s", de(err).Field, de(err).Code, de(err).Message, tt.field, tt.code)
			}
			if !strings.Contains(de(err).Message, tt.msgHas) {
				t.Errorf("message %q lacks %q", de(err).Message, tt.msgHas)
			}
			if len(de(err).Fields) != 1 || de(err).Fields[0].Field != tt.field {
				t.Errorf("Fields = %+v", de(err).Fields)
			}
			if doc != (IDDocument{}) {
				t.Errorf("document %+v returned with an error", doc)
			}
		})
	}
}

// TestParseIDDocumentBeijingToday checks that "the future" is judged by the date in
// Beijing, not in UTC: at 2025-11-13 20:00 UTC it is already the 14th in Beijing.
func TestParseIDDocumentBeijingToday(t *testing.T) {
	n := withCheck(t, "44030820251114001")
	if _, err := ParseIDDocument("01", n, time.Date(2025, 11, 13, 15, 59, 0, 0, time.UTC)); err == nil {
		t.Error("born on the 14th accepted at 23:59 on the 13th Beijing time")
	}
	if _, err := ParseIDDocument("01", n, time.Date(2025, 11, 13, 16, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("born on the 14th refused at 00:00 on the 14th Beijing time: %v", err)
	}
}

func TestIDTypes(t *testing.T) {
	types := IDTypes()
	want := []Option{
		{"01", "居民身份证"}, {"02", "港澳台居民居住证"}, {"03", "港澳居民来往内地通行证"},
		{"04", "台湾居民来往大陆通行证"}, {"05", "外国人永久居留身份证"}, {"06", "护照"},
	}
	if len(types) != len(want) {
		t.Fatalf("IDTypes() = %v", types)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Errorf("IDTypes()[%d] = %v, want %v", i, types[i], want[i])
		}
	}
	types[0].Name = "changed"
	if IDTypeName("01") != "居民身份证" {
		t.Error("IDTypes() exposes the package table")
	}
	for _, tt := range []struct {
		code     string
		valid    bool
		identity bool
	}{
		{"01", true, true}, {"02", true, true}, {"03", true, false},
		{"04", true, false}, {"05", true, true}, {"06", true, false}, {"1", false, false}, {"", false, false},
	} {
		if ValidIDType(tt.code) != tt.valid || IDTypeEncodesIdentity(tt.code) != tt.identity {
			t.Errorf("code %q: valid %v identity %v", tt.code, ValidIDType(tt.code), IDTypeEncodesIdentity(tt.code))
		}
	}
}

func FuzzParseIDDocument(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", "440524188001010014", "810000199408230021",
		"440524188001010015", "44030819990230001", "44052418800101001", " H12345678 ", "m1234567890",
		"12345678", "e12345", "", "９", "4405241880０1010014",
	} {
		for _, typ := range []string{"01", "02", "03", "04", "05", "06"} {
			f.Add(typ, s)
		}
	}
	f.Fuzz(func(t *testing.T, typ, in string) {
		checkParsed(t, typ, in)
		// Random bytes rarely carry a right check character: also try the input's
		// first 17 bytes completed with theirs, to exercise the accepting path.
		if len(in) >= 17 {
			if c, ok := IDCheckChar(in[:17]); ok {
				checkParsed(t, typ, in[:17]+string(c))
			}
		}
	})
}

// checkParsed parses one input and checks the invariants of the result.
func checkParsed(t *testing.T, typ, in string) {
	t.Helper()
	doc, err := ParseIDDocument(typ, in, idNow)
	if err != nil {
		if de(err).Field != FieldIDType && de(err).Field != FieldIDNumber {
			t.Fatalf("error on field %q", de(err).Field)
		}
		if de(err).Message == "" || !utf8.ValidString(de(err).Message) {
			t.Fatalf("bad message %q", de(err).Message)
		}
		return
	}
	// Normalised output is idempotent.
	again, err2 := ParseIDDocument(doc.Type, doc.Number, idNow)
	if err2 != nil || again != doc {
		t.Fatalf("re-parse of %+v = %+v, %v", doc, again, err2)
	}
	if doc.Number != strings.TrimSpace(doc.Number) || doc.Number != strings.ToUpper(doc.Number) {
		t.Fatalf("number not normalised: %q", doc.Number)
	}
	if IDTypeEncodesIdentity(doc.Type) {
		// An accepted 18-character number re-validates independently.
		if len(doc.Number) != 18 {
			t.Fatalf("type %s accepted %q", doc.Type, doc.Number)
		}
		c, ok := IDCheckChar(doc.Number[:17])
		if !ok || c != doc.Number[17] {
			t.Fatalf("accepted %q with a wrong check character", doc.Number)
		}
		if !ValidDate(doc.BirthDate) || doc.BirthDate > TodayBeijing(idNow) || doc.BirthDate < "1850-01-01" {
			t.Fatalf("accepted %q with birth date %q", doc.Number, doc.BirthDate)
		}
		if doc.Gender != GenderMale && doc.Gender != GenderFemale {
			t.Fatalf("accepted %q without gender", doc.Number)
		}
	} else if doc.Gender != "" || doc.BirthDate != "" {
		t.Fatalf("type %s got gender/birth date: %+v", doc.Type, doc)
	}
}
