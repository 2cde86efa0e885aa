package repo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// BlobStore keeps attachment bytes by content key (the SHA-256 of the content, in
// hex). A new blob is staged first and committed once the caller knows it will
// keep it, so that the database row and the bytes can be made to exist together.
type BlobStore interface {
	// Stage copies r into a pending blob, not readable until its Commit.
	Stage(ctx context.Context, r io.Reader) (StagedBlob, error)
	// Open returns a blob's bytes; an error wrapping os.ErrNotExist when missing.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes a blob; a missing blob is not an error.
	Delete(ctx context.Context, key string) error
}

// StagedBlob is content written but not yet stored under its key.
type StagedBlob interface {
	Key() string   // SHA-256 of the content, lower-case hex
	Size() int64   // bytes
	Commit() error // store under Key (a no-op when that content is stored already)
	Discard() error
}

// LocalBlobs is a content-addressed blob store in a local directory: each blob is
// the file <dir>/<first two hex digits>/<SHA-256 hex> of its content. Blobs are
// written to a temporary file first and renamed into place, so a reader never
// sees a partial blob, and storing the same content twice stores it once.
type LocalBlobs struct {
	dir string
}

// NewLocalBlobs opens (creating when missing) a blob directory.
func NewLocalBlobs(dir string) (*LocalBlobs, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("blob folder: %w", err)
	}
	return &LocalBlobs{dir: dir}, nil
}

// ErrBadBlobKey means a key is not a SHA-256 in lower-case hex.
var ErrBadBlobKey = errors.New("blob: malformed key")

func (b *LocalBlobs) path(key string) (string, error) {
	if len(key) != sha256.Size*2 {
		return "", ErrBadBlobKey
	}
	if _, err := hex.DecodeString(key); err != nil || strings.ToLower(key) != key {
		return "", ErrBadBlobKey
	}
	return filepath.Join(b.dir, key[:2], key), nil
}

// localStaged is content written to a temporary file, not yet visible under its key.
type localStaged struct {
	store *LocalBlobs
	tmp   string
	key   string
	size  int64
}

// Key is the SHA-256 of the content in hex.
func (s *localStaged) Key() string { return s.key }

// Size is the content's length in bytes.
func (s *localStaged) Size() int64 { return s.size }

// Stage copies r to a temporary file, synced to disk, hashing it on the way. A
// read error from r (a size limit, say) leaves nothing behind.
func (b *LocalBlobs) Stage(ctx context.Context, r io.Reader) (StagedBlob, error) {
	f, err := os.CreateTemp(filepath.Join(b.dir, "tmp"), "upload-*")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx: ctx, r: r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	return &localStaged{store: b, tmp: f.Name(), key: sum(h), size: n}, nil
}

func sum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// Commit makes the content readable under its key: an atomic rename into place
// (when the same content is already stored, the copy is dropped).
func (s *localStaged) Commit() error {
	dst, err := s.store.path(s.key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		return os.Remove(s.tmp)
	}
	if err := os.Rename(s.tmp, dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dst))
}

// Discard drops staged content that will not be stored.
func (s *localStaged) Discard() error {
	err := os.Remove(s.tmp)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Open returns a blob's content; an error wrapping os.ErrNotExist when there is
// no such blob.
func (b *LocalBlobs) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := b.path(key)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// Delete removes a blob; a missing blob is not an error.
func (b *LocalBlobs) Delete(ctx context.Context, key string) error {
	p, err := b.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// FreeSpacer is a blob store that can tell how much space is left (a local
// folder can; a bucket cannot).
type FreeSpacer interface {
	FreeBytes() (uint64, error)
}

// BlobLister is a BlobStore that can list what it holds, for the sweep of files
// no row refers to (a crash between storing a file and inserting its row).
type BlobLister interface {
	// Blobs calls fn with each stored blob's key and when it was last written.
	Blobs(ctx context.Context, fn func(key string, modified time.Time) error) error
	// DropStale removes staged uploads abandoned before cutoff (a crash mid-upload).
	DropStale(ctx context.Context, cutoff time.Time) (int, error)
}

// Blobs walks the two-level folder of stored blobs.
func (b *LocalBlobs) Blobs(ctx context.Context, fn func(key string, modified time.Time) error) error {
	dirs, err := os.ReadDir(b.dir)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		files, err := os.ReadDir(filepath.Join(b.dir, d.Name()))
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, err := b.path(f.Name()); err != nil || f.IsDir() {
				continue // not a blob
			}
			info, err := f.Info()
			if err != nil {
				continue // removed meanwhile
			}
			if err := fn(f.Name(), info.ModTime()); err != nil {
				return err
			}
		}
	}
	return nil
}

// DropStale removes temporary upload files older than cutoff.
func (b *LocalBlobs) DropStale(ctx context.Context, cutoff time.Time) (int, error) {
	files, err := os.ReadDir(filepath.Join(b.dir, "tmp"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		info, err := f.Info()
		if err != nil || f.IsDir() || !info.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(b.dir, "tmp", f.Name())); err == nil {
			n++
		}
	}
	return n, ctx.Err()
}
