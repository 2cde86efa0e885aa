package errcodes_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"skillcert/domain"
	"skillcert/internal/errcodes"
)

const root = "../.."

// The generated list and the API reference's table are what the code makes
// today: a new, renamed or dropped code without `go generate ./domain` fails.
func TestListAndDocsAreCurrent(t *testing.T) {
	codes, err := errcodes.Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	var listed []errcodes.Code
	for _, c := range domain.ErrorCodes {
		listed = append(listed, errcodes.Code{Code: c.Code, Message: c.Message, Packages: strings.Fields(c.Packages)})
	}
	if !reflect.DeepEqual(codes, listed) {
		t.Errorf("%s is stale: run go generate ./domain (%d codes in the code, %d listed)", errcodes.GoFile, len(codes), len(listed))
		have := map[string]bool{}
		for _, c := range listed {
			have[c.Code] = true
		}
		for _, c := range codes {
			if !have[c.Code] {
				t.Errorf("not listed: %s (%s)", c.Code, c.Message)
			}
		}
	}
	doc, err := os.ReadFile(filepath.Join(root, errcodes.DocsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), errcodes.DocTable(codes)) {
		t.Errorf("%s's error code table is stale: run go generate ./domain", errcodes.DocsFile)
	}
	for _, want := range []string{"plan_full", "busy", "code_not_found", "invalid", "internal", "identity_unverified"} {
		if !containsCode(codes, want) {
			t.Errorf("the scan misses %s", want)
		}
	}
	for _, field := range []string{"note", "page", "preferred_time"} {
		if containsCode(codes, field) {
			t.Errorf("a field name taken for a code: %s", field)
		}
	}
}

// The scan finds each way a code is made.
func TestScanFindsEveryForm(t *testing.T) {
	dir := t.TempDir()
	src := `package x

import ("fmt"; "skillcert/domain")

func f(n int) error {
	bad := func(field, code, msg string) {}
	bad("seats", "seats_odd", "座位数应为偶数")
	_ = domain.FieldError{Field: "a", Code: "a_missing", Message: "请填写甲"}
	_ = domain.Invalid("b", "b_wrong", fmt.Sprintf("乙应为%d位", n))
	_ = domain.Option{Code: "draft", Name: "草稿"}
	_ = map[string]string{"k": "值"}
	return domain.Conflict("x_conflict", "丙" + fmt.Sprint(n))
}
`
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	codes, err := errcodes.Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range codes {
		got = append(got, c.Code+"="+c.Message)
	}
	want := []string{"a_missing=请填写甲", "b_wrong=乙应为%d位", "seats_odd=座位数应为偶数", "x_conflict=丙…"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("scan: %q, want %q", got, want)
	}
}

func containsCode(codes []errcodes.Code, code string) bool {
	for _, c := range codes {
		if c.Code == code {
			return true
		}
	}
	return false
}
