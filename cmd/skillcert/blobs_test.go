package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"skillcert/blobstore"
	"skillcert/internal/testenv"

	"github.com/minio/minio-go/v7"
)

// TestBlobsMigrate: a local attachment folder is copied into a bucket; a run
// interrupted half-way is finished by running again (what is there is
// skipped); --verify reads everything back; a damaged file is reported, not
// copied.
func TestBlobsMigrate(t *testing.T) {
	env := testenv.BlobEnv(t, blobstore.KindS3)
	for k, v := range env {
		t.Setenv(k, v)
	}
	t.Setenv("SKILLCERT_DATA_DIR", t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	src, err := blobstore.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for i := range 5 {
		st, err := src.Stage(ctx, strings.NewReader(fmt.Sprintf("attachment %d %s", i, strings.Repeat("x", i*1000))))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, st.Key())
	}
	dst, err := blobstore.Open(env[blobstore.URLEnv], t.TempDir(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	// An earlier run stopped after two blobs.
	for _, k := range keys[:2] {
		r, _ := src.Open(ctx, k)
		st, err := dst.Stage(ctx, r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if rc := run(ctx, []string{"blobs", "migrate", "--from", dir, "--verify"}, nil, &out, &out); rc != 0 {
		t.Fatalf("migrate: exit %d: %s", rc, out.String())
	}
	if !strings.Contains(out.String(), "5 blobs: 3 copied") || !strings.Contains(out.String(), "2 already in the bucket, 5 verified") {
		t.Fatalf("migrate: %s", out.String())
	}
	if got := testenv.StoreKeys(t, dst); strings.Join(got, ",") != strings.Join(sorted(keys), ",") {
		t.Fatalf("bucket holds %v, want %v", got, keys)
	}
	// Again: nothing to do.
	out.Reset()
	if rc := run(ctx, []string{"blobs", "migrate", "--from", dir}, nil, &out, &out); rc != 0 || !strings.Contains(out.String(), "5 blobs: 0 copied (0 bytes), 5 already in the bucket") {
		t.Fatalf("second run: exit %d: %s", rc, out.String())
	}
	// A file whose content is not its name: reported, not copied, exit 1.
	bad := sha256.Sum256([]byte("something else"))
	badKey := hex.EncodeToString(bad[:])
	if err := os.MkdirAll(filepath.Join(dir, badKey[:2]), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, badKey[:2], badKey), []byte("damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if rc := run(ctx, []string{"blobs", "migrate", "--from", dir}, nil, &out, &out); rc == 0 || !strings.Contains(out.String(), badKey) {
		t.Fatalf("damaged source: exit %d: %s", rc, out.String())
	}
	if _, err := dst.Stat(ctx, badKey); err == nil {
		t.Fatal("a damaged blob was copied")
	}
	// No bucket configured: refused with the variable named.
	t.Setenv(blobstore.URLEnv, "")
	out.Reset()
	if rc := run(ctx, []string{"blobs", "migrate", "--from", dir}, nil, &out, &out); rc == 0 || !strings.Contains(out.String(), blobstore.URLEnv) {
		t.Fatalf("without a bucket: exit %d: %s", rc, out.String())
	}
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// TestBlobsCreateBucket: a missing bucket is created once; again, it says the
// bucket exists; the new bucket takes blobs. Without a bucket URL it refuses.
func TestBlobsCreateBucket(t *testing.T) {
	env := testenv.BlobEnv(t, blobstore.KindS3)
	fresh := fmt.Sprintf("created-%d", os.Getpid())
	u := env[blobstore.URLEnv]
	u = "s3://" + fresh + u[strings.Index(u, "/blobs?"):]
	for k, v := range env {
		t.Setenv(k, v)
	}
	t.Setenv(blobstore.URLEnv, u)
	t.Setenv("SKILLCERT_DATA_DIR", t.TempDir())
	ctx := context.Background()
	var out bytes.Buffer
	if rc := run(ctx, []string{"blobs", "create-bucket"}, nil, &out, &out); rc != 0 || !strings.Contains(out.String(), "created s3 bucket \""+fresh+"\"") {
		t.Fatalf("create-bucket: exit %d: %s", rc, out.String())
	}
	out.Reset()
	if rc := run(ctx, []string{"blobs", "create-bucket"}, nil, &out, &out); rc != 0 || !strings.Contains(out.String(), "exists already") {
		t.Fatalf("create-bucket again: exit %d: %s", rc, out.String())
	}
	st, err := blobstore.Open(u, t.TempDir(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("the new bucket: %v", err)
	}
	staged, err := st.Stage(ctx, strings.NewReader("一个附件"))
	if err != nil {
		t.Fatal(err)
	}
	if err := staged.Commit(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = testenv.S3Client(t).RemoveObject(ctx, fresh, "blobs/"+staged.Key()[:2]+"/"+staged.Key(), minio.RemoveObjectOptions{})
	})

	t.Setenv(blobstore.URLEnv, "")
	out.Reset()
	if rc := run(ctx, []string{"blobs", "create-bucket"}, nil, &out, &out); rc == 0 || !strings.Contains(out.String(), "names no bucket") {
		t.Fatalf("without a bucket URL: exit %d: %s", rc, out.String())
	}
}
