package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"skillcert/core"
	"skillcert/repo"
)

func TestAdminCreateUserReadsThePasswordFromStdin(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("SKILLCERT_DATA_DIR", dir)
	t.Setenv("SKILLCERT_DB", filepath.Join(dir, "skillcert.db"))
	const password = "First-admin-passw0rd"
	var out bytes.Buffer
	code := run(context.Background(), []string{"admin", "create-user", "--username", "root", "--role", "admin"},
		strings.NewReader(password+"\n"), &out, &out)
	if code != 0 || !strings.Contains(out.String(), `created admin account "root"`) {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	if strings.Contains(out.String(), password) {
		t.Fatal("the password was printed")
	}
	// Bad input is refused with the reasons, and nothing is created.
	out.Reset()
	code = run(context.Background(), []string{"admin", "create-user", "--username", "inst", "--role", "institution"},
		strings.NewReader("short\n"), &out, &out)
	if code == 0 || !strings.Contains(out.String(), "密码至少10个字符") || !strings.Contains(out.String(), "须选择所属评价机构") {
		t.Fatalf("bad account accepted (exit %d): %s", code, out.String())
	}
	// The account signs in.
	db, err := repo.Open(context.Background(), filepath.Join(dir, "skillcert.db"), repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := core.New(core.Deps{DB: db})
	if _, st, err := c.LogInStaff(context.Background(), "root", password, "127.0.0.1", core.LoginPolicy{MaxFailures: 5}); err != nil || st.Username != "root" {
		t.Fatalf("login: %v", err)
	}
}
