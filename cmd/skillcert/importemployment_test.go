package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"skillcert/repo"
)

func TestImportEmployment(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "skillcert.db")
	t.Setenv("SKILLCERT_DATA_DIR", dir)
	t.Setenv("SKILLCERT_DB", dbPath)
	t.Setenv("SKILLCERT_DATA_KEY", "k1:c2tpbGxjZXJ0LXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmc=")
	const number = "11010519491231002X"
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	importFile := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := run(context.Background(), append([]string{"import-employment"}, args...), nil, &out, &out)
		return code, out.String()
	}

	// UTF-8 with a BOM and a header; a lower-case x; a later line for the same
	// person and date wins.
	utf := write("a.csv", []byte("\ufeff证件号码,工作单位,起始日期\n"+
		"11010519491231002x,广州某某科技有限公司,2020-07-01\n"+
		number+",旧单位,2015/1/1\n"+
		"440524188001010014,深圳某某有限公司,\n"+
		number+",广州某某科技有限责任公司,2020-07-01\n"))
	code, out := importFile(utf)
	if code != 0 || !strings.Contains(out, "3 records read, 3 added, 0 updated") {
		t.Fatalf("exit %d: %s", code, out)
	}
	// GBK (Excel on Chinese Windows), without a header: updates the same person and date.
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(number + ",广州新单位有限公司,2020-07-01\n")
	if err != nil {
		t.Fatal(err)
	}
	code, out = importFile(write("b.csv", []byte(gbk)))
	if code != 0 || !strings.Contains(out, "1 records read, 0 added, 1 updated") {
		t.Fatalf("GBK: exit %d: %s", code, out)
	}
	db, err := repo.Open(context.Background(), dbPath, repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var employers []string
	if err := db.R.Select(&employers, "SELECT employer FROM employment_register ORDER BY from_date DESC, id DESC"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(employers, "|") != "广州新单位有限公司|旧单位|深圳某某有限公司" {
		t.Fatalf("register: %v", employers)
	}
	var plain int
	if err := db.R.Get(&plain, "SELECT COUNT(*) FROM employment_register WHERE id_number_idx LIKE '%1101%'"); err != nil || plain != 0 {
		t.Fatalf("ID numbers stored in plain text? %d %v", plain, err)
	}

	// A bad file imports nothing and names its lines, not their numbers.
	bad := write("c.csv", []byte(number+",某单位,2020-13-01\n!!,某单位,\n"+number+",,2020-01-01\n"))
	code, out = importFile(bad)
	if code == 0 || !strings.Contains(out, "line 1: from-date") || !strings.Contains(out, "line 2: ID number") ||
		!strings.Contains(out, "line 3: employer") || strings.Contains(out, number) {
		t.Fatalf("bad file: exit %d: %s", code, out)
	}
	// --replace empties the register first.
	code, out = importFile("--replace", write("d.csv", []byte(number+",唯一单位,2021-01-01\n")))
	var n int
	if err := db.R.Get(&n, "SELECT COUNT(*) FROM employment_register"); code != 0 || err != nil || n != 1 {
		t.Fatalf("replace: exit %d, %d rows, %v: %s", code, n, err, out)
	}
	if code, _ := importFile(); code == 0 {
		t.Fatal("no file accepted")
	}
}
