package blobstore

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
	"time"
)

// Local is a content-addressed blob store in a local directory: each blob is
// the file <dir>/<first two hex digits>/<SHA-256 hex> of its content. Blobs are
// written to a temporary file first and renamed into place, so a reader never
// sees a partial blob, and storing the same content twice stores it once.
type Local struct {
	dir string
}

// NewLocal opens (creating when missing) a blob directory.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("blob folder: %w", err)
	}
	return &Local{dir: dir}, nil
}

func (b *Local) path(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	return filepath.Join(b.dir, key[:2], key), nil
}

// localStaged is content written to a temporary file, not yet visible under its key.
type localStaged struct {
	store *Local
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
func (b *Local) Stage(ctx context.Context, r io.Reader) (Staged, error) {
	tmp, key, n, err := stageFile(ctx, filepath.Join(b.dir, "tmp"), r)
	if err != nil {
		return nil, err
	}
	return &localStaged{store: b, tmp: tmp, key: key, size: n}, nil
}

// stageFile copies r into a new file of dir, synced to disk, and returns its
// path, SHA-256 (hex) and size. A read error from r leaves nothing behind.
func stageFile(ctx context.Context, dir string, r io.Reader) (string, string, int64, error) {
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return "", "", 0, err
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
		return "", "", 0, err
	}
	return f.Name(), sum(h), n, nil
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
func (b *Local) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := b.path(key)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// Delete removes a blob; a missing blob is not an error.
func (b *Local) Delete(ctx context.Context, key string) error {
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

// Blobs walks the two-level folder of stored blobs.
func (b *Local) Blobs(ctx context.Context, fn func(key string, modified time.Time) error) error {
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
func (b *Local) DropStale(ctx context.Context, cutoff time.Time) (int, error) {
	return dropStaleFiles(ctx, filepath.Join(b.dir, "tmp"), cutoff)
}

// dropStaleFiles removes the files of dir older than cutoff.
func dropStaleFiles(ctx context.Context, dir string, cutoff time.Time) (int, error) {
	files, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		info, err := f.Info()
		if err != nil || f.IsDir() || !info.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, f.Name())); err == nil {
			n++
		}
	}
	return n, ctx.Err()
}

// Stat returns a stored blob's size; an error wrapping os.ErrNotExist when
// there is no such blob.
func (b *Local) Stat(ctx context.Context, key string) (int64, error) {
	p, err := b.path(key)
	if err != nil {
		return 0, err
	}
	info, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// Kind is "local".
func (b *Local) Kind() string { return KindLocal }

// Ping checks that the folder is there and writable.
func (b *Local) Ping(ctx context.Context) error {
	f, err := os.CreateTemp(filepath.Join(b.dir, "tmp"), "ping-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// Dir is the blob folder.
func (b *Local) Dir() string { return b.dir }
