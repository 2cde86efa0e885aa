package blobstore

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// MigrateReport counts what Migrate did.
type MigrateReport struct {
	Seen     int   // blobs in the source folder
	Copied   int   // written to the destination
	Bytes    int64 // bytes written
	Present  int   // already in the destination with the same size (an earlier, interrupted run)
	Verified int   // read back from the destination with the right SHA-256 (--verify)
	Damaged  []string
	// Damaged: keys whose source content does not hash to its name, or whose
	// copy in the destination does not (--verify); not copied, or to be copied again.
}

// Migrate copies every blob of the local folder src into dst (a bucket):
// blobs already there with the same size are skipped, so a run that was
// interrupted is finished by running it again; a PUT is all or nothing, so
// an interruption never leaves a partial object under a key. With verify,
// each blob is read back from dst and its SHA-256 checked against its key.
// progress, when not nil, is called after each blob.
func Migrate(ctx context.Context, src *Local, dst Store, verify bool, progress func(MigrateReport)) (MigrateReport, error) {
	var rep MigrateReport
	err := src.Blobs(ctx, func(key string, _ time.Time) error {
		rep.Seen++
		size, err := src.Stat(ctx, key)
		if err != nil {
			return err
		}
		have, err := dst.Stat(ctx, key)
		switch {
		case err == nil && have == size:
			rep.Present++
		case err == nil || errors.Is(err, os.ErrNotExist):
			ok, err := copyBlob(ctx, src, dst, key)
			if err != nil {
				return fmt.Errorf("blob %s: %w", key, err)
			}
			if !ok {
				rep.Damaged = append(rep.Damaged, key)
				return nil
			}
			rep.Copied++
			rep.Bytes += size
		default:
			return fmt.Errorf("blob %s: %w", key, err)
		}
		if verify {
			ok, err := checkBlob(ctx, dst, key)
			if err != nil {
				return fmt.Errorf("verify %s: %w", key, err)
			}
			if !ok {
				rep.Damaged = append(rep.Damaged, key)
			} else {
				rep.Verified++
			}
		}
		if progress != nil {
			progress(rep)
		}
		return nil
	})
	return rep, err
}

// copyBlob stages the source's content into dst and commits it when it hashes
// to its key (false, nothing stored, when it does not).
func copyBlob(ctx context.Context, src Store, dst Store, key string) (bool, error) {
	r, err := src.Open(ctx, key)
	if err != nil {
		return false, err
	}
	defer r.Close()
	st, err := dst.Stage(ctx, r)
	if err != nil {
		return false, err
	}
	if st.Key() != key {
		return false, st.Discard()
	}
	return true, st.Commit()
}

// checkBlob reads a stored blob and tells whether it hashes to its key.
func checkBlob(ctx context.Context, s Store, key string) (bool, error) {
	r, err := s.Open(ctx, key)
	if err != nil {
		return false, err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx: ctx, r: r}); err != nil {
		return false, err
	}
	return sum(h) == key, nil
}

// OpenSource opens an existing blob folder for reading (NewLocal would
// create a missing one).
func OpenSource(dir string) (*Local, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	return &Local{dir: dir}, nil
}
