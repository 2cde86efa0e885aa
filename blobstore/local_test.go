package blobstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocalContentAddressed checks what only the local store has: a committed
// blob lies in its folder at <key[:2]>/<key>. The behaviour both stores share
// (staging, commit, discard, delete, bad keys) is TestStoreContract's.
func TestLocalContentAddressed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	content := "%PDF-1.4 毕业证"
	sum := sha256.Sum256([]byte(content))
	want := hex.EncodeToString(sum[:])
	st, err := b.Stage(ctx, strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, want[:2], want)); err != nil {
		t.Fatalf("content-addressed path: %v", err)
	}
}
