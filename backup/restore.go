package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"skillcert/blobstore"
	"skillcert/pii"
	"skillcert/repo"
)

// RestoreOptions says which archive to restore where, and with which key.
type RestoreOptions struct {
	From    string // the archive
	DataDir string // a new (or empty) folder: it becomes SKILLCERT_DATA_DIR
	// Key is the personal-data key spec (SKILLCERT_DATA_KEY); KeyFile a file
	// holding it (a saved data.key), copied into DataDir as data.key. One of
	// them is needed when the backup holds personal data.
	Key     string
	KeyFile string
}

// ErrNoKey is returned when a backup holds personal data and no key was given.
var ErrNoKey = errors.New("this backup holds personal data sealed with a data key that is not in the archive: " +
	"set SKILLCERT_DATA_KEY to the key of the server it came from, or pass --key-file with its saved data.key")

// Restore unpacks an archive into a new data folder, checking every blob
// against its name (the SHA-256 of its content) and the data key against the
// database. On any error the folder is left empty.
func Restore(ctx context.Context, opt RestoreOptions) (m Manifest, err error) {
	if opt.From == "" || opt.DataDir == "" {
		return m, errors.New("--from and --data are required")
	}
	if err := emptyDir(opt.DataDir); err != nil {
		return m, err
	}
	defer func() {
		if err != nil {
			emptyOut(opt.DataDir)
		}
	}()
	spec := opt.Key
	if opt.KeyFile != "" {
		b, err := os.ReadFile(opt.KeyFile)
		if err != nil {
			return m, fmt.Errorf("--key-file: %w", err)
		}
		spec = strings.TrimSpace(string(b))
	}
	var sealer *pii.Sealer
	if spec != "" {
		if sealer, err = pii.Parse(spec); err != nil {
			return m, fmt.Errorf("data key: %w", err)
		}
	}
	m, err = unpack(ctx, opt.From, opt.DataDir)
	if err != nil {
		return m, err
	}
	if m.Database {
		if err := checkKey(ctx, filepath.Join(opt.DataDir, dbEntry), sealer); err != nil {
			return m, err
		}
	}
	if opt.KeyFile != "" {
		if err := os.WriteFile(filepath.Join(opt.DataDir, "data.key"), []byte(spec+"\n"), 0o600); err != nil {
			return m, err
		}
	}
	return m, nil
}

// checkKey proves the key opens the restored database's personal data.
func checkKey(ctx context.Context, path string, sealer *pii.Sealer) error {
	db, err := repo.Open(ctx, path, repo.Options{})
	if err != nil {
		return fmt.Errorf("open the restored database: %w", err)
	}
	defer db.Close()
	sample, err := db.SealedSample(ctx)
	if err != nil {
		return err
	}
	if sample == "" {
		return nil
	}
	if sealer == nil {
		return fmt.Errorf("%w (key id %q)", ErrNoKey, pii.KeyID(sample))
	}
	if err := sealer.Check(sample); err != nil {
		return fmt.Errorf("data key: %w", err)
	}
	return nil
}

// unpack writes the archive's database and blobs into dir and returns its manifest.
func unpack(ctx context.Context, from, dir string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(from)
	if err != nil {
		return m, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return m, fmt.Errorf("%s is not a skillcert backup (not gzip): %w", from, err)
	}
	blobs, err := blobstore.NewLocal(filepath.Join(dir, "attachments"))
	if err != nil {
		return m, err
	}
	tr := tar.NewReader(gz)
	var sawDB, sawManifest bool
	n := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("read %s: %w", from, err)
		}
		if err := ctx.Err(); err != nil {
			return m, err
		}
		switch name := h.Name; {
		case name == dbEntry:
			if err := writeFile(filepath.Join(dir, dbEntry), tr); err != nil {
				return m, err
			}
			sawDB = true
		case name == manifestEntry:
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil {
				return m, fmt.Errorf("manifest: %w", err)
			}
			sawManifest = true
		case strings.HasPrefix(name, blobPrefix):
			key := strings.TrimPrefix(name, blobPrefix)
			st, err := blobs.Stage(ctx, tr)
			if err != nil {
				return m, err
			}
			if st.Key() != key {
				_ = st.Discard()
				return m, fmt.Errorf("attachment %s: its content does not match its name (damaged archive)", key)
			}
			if err := st.Commit(); err != nil {
				return m, err
			}
			n++
		default:
			return m, fmt.Errorf("unexpected entry %q: not a skillcert backup", name)
		}
	}
	switch {
	case !sawManifest || m.Format != Format:
		return m, fmt.Errorf("%s is not a %s archive (manifest missing or of another format)", from, Format)
	case m.Database != sawDB:
		return m, fmt.Errorf("%s: the database is missing (damaged archive)", from)
	case n != m.Blobs:
		return m, fmt.Errorf("%s: %d attachments, the manifest says %d (damaged archive)", from, n, m.Blobs)
	}
	return m, nil
}

func writeFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// emptyDir makes dir (owner only) or accepts it when it exists and is empty:
// a restore never mixes with data already there.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o700)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: restore into a new folder", dir)
	}
	return os.Chmod(dir, 0o700)
}

// emptyOut empties dir after a failed restore.
func emptyOut(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}
