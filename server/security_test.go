package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"skillcert/internal/testenv"
)

// The SQLite database, its WAL and the data folder are private to the owner.
func TestDataFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "skillcert.db")
	app := testenv.Start(t, db, testenv.Options{Env: map[string]string{"SKILLCERT_DATA_DIR": dir}})
	app.Client().Get(t, "/api/v1/plans")
	for path, want := range map[string]os.FileMode{dir: 0o700, db: 0o600, db + "-wal": 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", filepath.Base(path), got, want)
		}
	}
}

// /metrics is not on the public address unless a token is set, and then only
// to that token.
func TestMetricsBehindToken(t *testing.T) {
	const token = "a-metrics-token-of-enough-length"
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Env: map[string]string{"SKILLCERT_METRICS_TOKEN": token}})
	if r := app.Client().Get(t, "/metrics"); r.Status != 404 {
		t.Fatalf("without the token: %d", r.Status)
	}
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if r := app.Client().Send(t, req); r.Status != 200 {
		t.Fatalf("with the token: %d", r.Status)
	}
}
