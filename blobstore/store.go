// Package blobstore keeps the bytes of attachments and feedback photos by
// content key (the SHA-256 of the content, in lower-case hex): in a local
// folder (the default, [Local]) or in an S3-compatible bucket ([S3]), chosen by
// SKILLCERT_BLOB_URL ([Open]). Core reaches it through [Store]; the database
// rows refer to blobs by key.
package blobstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"time"
)

// Kinds of store, as /readyz reports them.
const (
	KindLocal = "local"
	KindS3    = "s3"
)

// Store keeps blobs by content key. A new blob is staged first and committed
// once the caller knows it will keep it, so that the database row and the
// bytes can be made to exist together.
type Store interface {
	// Stage copies r into a pending blob, not readable until its Commit.
	Stage(ctx context.Context, r io.Reader) (Staged, error)
	// Open returns a blob's bytes; an error wrapping os.ErrNotExist when missing.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat returns a blob's size; an error wrapping os.ErrNotExist when missing.
	Stat(ctx context.Context, key string) (int64, error)
	// Delete removes a blob; a missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// Kind is KindLocal or KindS3.
	Kind() string
	// Ping checks that the store answers (the folder is writable, the bucket
	// is reachable).
	Ping(ctx context.Context) error
}

// Staged is content written but not yet stored under its key.
type Staged interface {
	Key() string   // SHA-256 of the content, lower-case hex
	Size() int64   // bytes
	Commit() error // store under Key (a no-op when that content is stored already)
	Discard() error
}

// FreeSpacer is a store that can tell how much space is left (a local folder
// can; a bucket cannot, and has no floor to keep).
type FreeSpacer interface {
	FreeBytes() (uint64, error)
}

// Lister is a Store that can list what it holds, for the sweep of files no
// row refers to (a crash between storing a file and inserting its row) and
// for `skillcert blobs migrate`.
type Lister interface {
	// Blobs calls fn with each stored blob's key and when it was last written.
	Blobs(ctx context.Context, fn func(key string, modified time.Time) error) error
	// DropStale removes staged uploads abandoned before cutoff (a crash mid-upload).
	DropStale(ctx context.Context, cutoff time.Time) (int, error)
}

// ErrBadKey means a key is not a SHA-256 in lower-case hex.
var ErrBadKey = errors.New("blob: malformed key")

// CheckKey returns ErrBadKey unless key is a SHA-256 in lower-case hex: keys
// become file names and object names, so nothing else gets that far.
func CheckKey(key string) error {
	if len(key) != sha256.Size*2 {
		return ErrBadKey
	}
	if _, err := hex.DecodeString(key); err != nil || strings.ToLower(key) != key {
		return ErrBadKey
	}
	return nil
}
