package blobstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"skillcert/blobstore"
	"skillcert/internal/testenv"
)

// forEachStore runs fn on a local folder and on a bucket of the test S3 server.
func forEachStore(t *testing.T, fn func(t *testing.T, s blobstore.Store, tmp string)) {
	t.Run("local", func(t *testing.T) {
		dir := t.TempDir()
		s, err := blobstore.Open("", dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s, filepath.Join(dir, "tmp"))
	})
	t.Run("s3", func(t *testing.T) {
		s := testenv.NewS3Store(t)
		fn(t, s, s.TmpDir())
	})
}

func tmpFiles(t *testing.T, dir string) int {
	t.Helper()
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}

// TestStoreContract: both stores behave the same to core.
func TestStoreContract(t *testing.T) {
	forEachStore(t, func(t *testing.T, b blobstore.Store, tmp string) {
		ctx := context.Background()
		if err := b.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		content := "%PDF-1.4 毕业证"
		sum := sha256.Sum256([]byte(content))
		want := hex.EncodeToString(sum[:])

		st, err := b.Stage(ctx, strings.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		if st.Key() != want || st.Size() != int64(len(content)) {
			t.Fatalf("key %s size %d", st.Key(), st.Size())
		}
		if _, err := b.Open(ctx, want); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("readable before commit: %v", err)
		}
		if _, err := b.Stat(ctx, want); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("stat before commit: %v", err)
		}
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
		r, err := b.Open(ctx, want)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if string(got) != content {
			t.Fatalf("read %q", got)
		}
		if n, err := b.Stat(ctx, want); err != nil || n != int64(len(content)) {
			t.Fatalf("stat: %d %v", n, err)
		}

		// The same content again: stored once, no temporary file left.
		st2, err := b.Stage(ctx, strings.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		if err := st2.Commit(); err != nil {
			t.Fatal(err)
		}
		if n := tmpFiles(t, tmp); n != 0 {
			t.Fatalf("temporary files left: %d", n)
		}

		// Discarded and failed stages leave nothing, in the folder or the bucket.
		st3, err := b.Stage(ctx, strings.NewReader("other"))
		if err != nil {
			t.Fatal(err)
		}
		if err := st3.Discard(); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		if _, err := b.Stage(ctx, io.MultiReader(strings.NewReader("part"), failReader{boom})); !errors.Is(err, boom) {
			t.Fatalf("read error: %v", err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := b.Stage(cancelled, strings.NewReader("x")); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled: %v", err)
		}
		if n := tmpFiles(t, tmp); n != 0 {
			t.Fatalf("temporary files left: %d", n)
		}

		// Listing: exactly the stored blob.
		l := b.(blobstore.Lister)
		var keys []string
		if err := l.Blobs(ctx, func(key string, modified time.Time) error {
			if time.Since(modified) > time.Hour || time.Until(modified) > time.Hour {
				t.Errorf("modified %v", modified)
			}
			keys = append(keys, key)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(keys) != 1 || keys[0] != want {
			t.Fatalf("listed %v", keys)
		}
		// An abandoned upload is dropped once stale.
		if _, err := b.Stage(ctx, strings.NewReader("abandoned")); err != nil {
			t.Fatal(err)
		}
		if n, err := l.DropStale(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("fresh upload dropped: %d %v", n, err)
		}
		if n, err := l.DropStale(ctx, time.Now().Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("stale upload: %d %v", n, err)
		}

		// Delete, twice; keys that are not SHA-256 hex go nowhere.
		if err := b.Delete(ctx, want); err != nil {
			t.Fatal(err)
		}
		if err := b.Delete(ctx, want); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Open(ctx, want); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("deleted blob: %v", err)
		}
		for _, bad := range []string{"", "../../etc/passwd", strings.ToUpper(want), want[:63] + "g", "tmp/" + want[:60]} {
			if _, err := b.Open(ctx, bad); !errors.Is(err, blobstore.ErrBadKey) {
				t.Errorf("Open(%q): %v", bad, err)
			}
			if err := b.Delete(ctx, bad); !errors.Is(err, blobstore.ErrBadKey) {
				t.Errorf("Delete(%q): %v", bad, err)
			}
		}
	})
}

// TestS3Layout: objects are <prefix>/<two hex>/<sha256>, nothing else is
// listed as a blob, and a bucket that is not there fails Ping.
func TestS3Layout(t *testing.T) {
	s := testenv.NewS3Store(t)
	ctx := context.Background()
	st, err := s.Stage(ctx, strings.NewReader("photo"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	c := s.Client()
	var names []string
	for obj := range c.ListObjects(ctx, s.Bucket(), minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		names = append(names, obj.Key)
	}
	if want := "blobs/" + st.Key()[:2] + "/" + st.Key(); len(names) != 1 || names[0] != want {
		t.Fatalf("objects %v, want [%s]", names, want)
	}
	// Foreign objects under the prefix are not blobs.
	if _, err := c.PutObject(ctx, s.Bucket(), "blobs/readme.txt", strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if keys := testenv.StoreKeys(t, s); len(keys) != 1 {
		t.Fatalf("listed %v", keys)
	}

	missing, err := blobstore.NewS3(blobstore.S3Config{Endpoint: testenv.S3Endpoint(t), Bucket: "no-such-bucket-here",
		PathStyle: true, AccessKey: "skillcert-test", SecretKey: "skillcert-test-secret-key"}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := missing.Ping(ctx); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("ping of a missing bucket: %v", err)
	}
	wrongKey, _ := blobstore.NewS3(blobstore.S3Config{Endpoint: testenv.S3Endpoint(t), Bucket: s.Bucket(),
		PathStyle: true, AccessKey: "skillcert-test", SecretKey: "wrong"}, t.TempDir())
	if err := wrongKey.Ping(ctx); err == nil {
		t.Fatal("ping with a wrong secret succeeded")
	}
}

func TestParseURL(t *testing.T) {
	cfg, s3, err := blobstore.ParseURL("s3://attachments/prod/skillcert?endpoint=cos.ap-guangzhou.myqcloud.com&region=ap-guangzhou")
	if err != nil || !s3 {
		t.Fatal(s3, err)
	}
	if cfg.Bucket != "attachments" || cfg.Prefix != "prod/skillcert" || cfg.Endpoint != "cos.ap-guangzhou.myqcloud.com" ||
		cfg.Region != "ap-guangzhou" || !cfg.Secure || cfg.PathStyle {
		t.Fatalf("%+v", cfg)
	}
	cfg, _, err = blobstore.ParseURL("s3://b?endpoint=127.0.0.1:7070&secure=false&path_style=true")
	if err != nil || cfg.Secure || !cfg.PathStyle || cfg.Prefix != "" {
		t.Fatalf("%+v %v", cfg, err)
	}
	if _, s3, err := blobstore.ParseURL(""); s3 || err != nil {
		t.Fatal("empty is the local folder")
	}
	for _, bad := range []string{
		"/var/lib/skillcert", "https://b.example.com", "s3://?endpoint=h:1", "s3://b", "s3://b?endpoint=http://h:1",
		"s3://b?endpoint=h:1&secure=maybe", "s3://b?endpoint=h:1&bucket=x", "s3://key:secret@b?endpoint=h:1",
	} {
		_, _, err := blobstore.ParseURL(bad)
		if err == nil || !strings.Contains(err.Error(), blobstore.URLEnv) {
			t.Errorf("%q: %v", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") && strings.Contains(bad, "secret") && !strings.Contains(err.Error(), "credentials") {
			t.Errorf("%q: error shows the secret: %v", bad, err)
		}
	}
	if _, err := blobstore.Open("s3://b?endpoint=h:1", t.TempDir(), func(string) string { return "" }); err == nil ||
		!strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Fatalf("no credentials: %v", err)
	}
}

type failReader struct{ err error }

func (e failReader) Read([]byte) (int, error) { return 0, e.err }
