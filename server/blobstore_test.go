package server_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/server"
)

// TestBlobStoreConfig: SKILLCERT_BLOB_URL chooses the store; a bad URL or
// missing credentials stop the start with the variable named; /readyz says
// which store it is and whether it answers.
func TestBlobStoreConfig(t *testing.T) {
	for _, bad := range []map[string]string{
		{"SKILLCERT_BLOB_URL": "/var/lib/skillcert/attachments"},
		{"SKILLCERT_BLOB_URL": "s3://bucket"},
		{"SKILLCERT_BLOB_URL": "s3://bucket?endpoint=h:9000&secure=perhaps"},
	} {
		_, err := server.LoadConfig(func(k string) string { return bad[k] })
		if err == nil || !strings.Contains(err.Error(), "SKILLCERT_BLOB_URL") {
			t.Errorf("%v: %v", bad, err)
		}
	}
	noKeys := map[string]string{"SKILLCERT_BLOB_URL": "s3://bucket?endpoint=h:9000"}
	if _, err := server.LoadConfig(func(k string) string { return noKeys[k] }); err == nil || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Errorf("no credentials: %v", err)
	}

	testenv.ForEachStore(t, func(t *testing.T, blobEnv map[string]string) {
		app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Env: blobEnv})
		want := "local"
		if blobEnv != nil {
			want = "s3"
		}
		var ready struct {
			Status    string            `json:"status"`
			BlobStore string            `json:"blob_store"`
			Checks    map[string]string `json:"checks"`
			Degraded  []string          `json:"degraded"`
		}
		r := app.Client().Get(t, "/readyz")
		r.JSON(t, &ready)
		if r.Status != 200 || ready.Status != "ok" || ready.BlobStore != want || ready.Checks["blob_store"] != "ok" {
			t.Fatalf("readyz: %d %s", r.Status, r.Body)
		}
		if blobEnv == nil {
			return
		}
		// A bucket that is not there: the server does not start.
		env := testenv.WithEnv(blobEnv, map[string]string{"SKILLCERT_BLOB_URL": strings.Replace(blobEnv["SKILLCERT_BLOB_URL"], "s3://", "s3://no-such-bucket-", 1),
			"SKILLCERT_DB": testenv.NewDSN(t, "sqlite"), "SKILLCERT_DATA_DIR": t.TempDir(), "SKILLCERT_DEMO": "false"})
		cfg, err := server.LoadConfig(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		_, err = server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{})
		if err == nil || !strings.Contains(err.Error(), "SKILLCERT_BLOB_URL") || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("start on a missing bucket: %v", err)
		}
		// The bucket goes away while serving: degraded, still in the balancer.
		bucket := strings.SplitN(blobEnv["SKILLCERT_BLOB_URL"], "/", 4)[2] // s3://bucket/prefix?…
		c := testenv.S3Client(t)
		if err := c.RemoveBucket(context.Background(), bucket); err != nil {
			t.Fatal(err)
		}
		ready.Degraded = nil
		r = app.Client().Get(t, "/readyz")
		r.JSON(t, &ready)
		if r.Status != 200 || ready.Status != "degraded" || ready.Checks["blob_store"] != "down" || len(ready.Degraded) != 1 || ready.Degraded[0] != "blob_store" {
			t.Fatalf("readyz without the bucket: %d %s", r.Status, r.Body)
		}
	})
}
