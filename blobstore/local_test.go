package blobstore

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
)

func TestLocal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	content := "%PDF-1.4 毕业证"
	sum := sha256.Sum256([]byte(content))
	want := hex.EncodeToString(sum[:])

	// Staged content is not readable until committed, and leaves only a temp file.
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
	if _, err := os.Stat(filepath.Join(dir, want[:2], want)); err != nil {
		t.Fatalf("content-addressed path: %v", err)
	}

	// The same content again: one file; the second copy goes away.
	st2, err := b.Stage(ctx, strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if err := st2.Commit(); err != nil {
		t.Fatal(err)
	}
	if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) != 0 {
		t.Fatalf("temporary files left: %d", len(tmp))
	}

	// Discarded and failed stages leave nothing.
	st3, err := b.Stage(ctx, strings.NewReader("other"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st3.Discard(); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if _, err := b.Stage(ctx, io.MultiReader(strings.NewReader("part"), errReader{boom})); !errors.Is(err, boom) {
		t.Fatalf("read error: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.Stage(cancelled, strings.NewReader("x")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) != 0 {
		t.Fatalf("temporary files left: %d", len(tmp))
	}

	// Delete, twice; keys that are not SHA-256 hex never reach the file system.
	if err := b.Delete(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, want); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.ToUpper(want), want[:63] + "g"} {
		if _, err := b.Open(ctx, bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("Open(%q): %v", bad, err)
		}
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
