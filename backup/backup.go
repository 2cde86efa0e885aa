// Package backup makes and restores skillcert backups: one tar.gz file holding
// a consistent copy of the SQLite database (SQLite's VACUUM INTO, taken while
// the server runs), every attachment blob that copy refers to, and a manifest.
// On MySQL the database is dumped with mysqldump instead (docs/OPERATIONS.md);
// this package then archives the attachments only.
//
// The personal-data key is never put in the archive: a backup is useless
// without it, and a stolen backup without it reveals no ID or phone number.
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
	"time"

	"skillcert/blobstore"
	"skillcert/pii"
	"skillcert/repo"
)

// Format names the archive layout; restore refuses any other.
const Format = "skillcert-backup/1"

// Names inside the archive.
const (
	dbEntry       = "skillcert.db"
	manifestEntry = "manifest.json"
	blobPrefix    = "attachments/"
)

// Manifest describes one backup; it is the archive's last entry.
type Manifest struct {
	Format        string    `json:"format"`
	CreatedAt     time.Time `json:"created_at"`
	Engine        string    `json:"engine"`                  // sqlite, or mysql (attachments only)
	Database      bool      `json:"database"`                // the archive holds skillcert.db
	SchemaVersion int64     `json:"schema_version"`          // of the copied database
	Blobs         int       `json:"blobs"`                   // attachment blobs in the archive
	MissingBlobs  []string  `json:"missing_blobs,omitempty"` // referred to, but deleted before they were copied
	KeyID         string    `json:"key_id,omitempty"`        // the data key that sealed the newest personal data
}

// Options says what to back up and where.
type Options struct {
	DB              string // SKILLCERT_DB: a SQLite path or a MySQL DSN
	DataDir         string // SKILLCERT_DATA_DIR: attachments live in DataDir/attachments
	To              string // the archive to write (replaced only when complete)
	AttachmentsOnly bool   // MySQL: archive the attachments the database refers to
	// Blobs is where the attachments are read from (the server's store, a
	// bucket when SKILLCERT_BLOB_URL names one); DataDir/attachments when nil.
	Blobs blobstore.Store
}

// ErrMySQL is returned when asked to copy a MySQL database.
var ErrMySQL = errors.New("the database is MySQL/MariaDB: dump it with `mysqldump --single-transaction` " +
	"(docs/OPERATIONS.md, \"Backups on MySQL\"); `skillcert backup --attachments-only --to FILE` archives the attachments it refers to")

// Create writes a backup archive. The database copy is taken first; the blobs
// it refers to are then copied from the attachment folder. Blobs are written
// before their rows are committed and never change afterwards, so every blob
// the copy refers to is there unless it was deleted meanwhile (a purge, or a
// candidate removing a file): such keys are listed in the manifest.
func Create(ctx context.Context, opt Options) (Manifest, error) {
	m := Manifest{Format: Format, CreatedAt: time.Now().UTC()}
	if opt.To == "" {
		return m, errors.New("--to is required")
	}
	mysql := repo.IsMySQLDSN(opt.DB)
	if mysql && !opt.AttachmentsOnly {
		return m, ErrMySQL
	}
	tmpDir, err := os.MkdirTemp(filepath.Dir(opt.To), ".skillcert-backup-")
	if err != nil {
		return m, err
	}
	defer os.RemoveAll(tmpDir)

	live, err := repo.Open(ctx, opt.DB, repo.Options{MaxOpenConns: 2})
	if err != nil {
		return m, fmt.Errorf("open the database: %w", err)
	}
	source := live // where the blob list and the key id are read from
	var snapPath string
	if mysql {
		m.Engine = string(repo.MySQL)
	} else {
		m.Engine, m.Database = string(repo.SQLite), true
		snapPath = filepath.Join(tmpDir, dbEntry)
		err := live.VacuumInto(ctx, snapPath)
		live.Close()
		if err != nil {
			return m, err
		}
		if source, err = repo.Open(ctx, snapPath, repo.Options{}); err != nil {
			return m, fmt.Errorf("open the copy: %w", err)
		}
	}
	keys, err := describe(ctx, source, &m)
	if cerr := source.Close(); err == nil { // the copy is closed before it is archived
		err = cerr
	}
	if err != nil {
		return m, err
	}

	part := opt.To + ".part"
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return m, err
	}
	defer os.Remove(part)
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	if m.Database {
		if err := addFile(tw, dbEntry, snapPath); err != nil {
			f.Close()
			return m, err
		}
	}
	blobs := opt.Blobs
	if blobs == nil {
		if blobs, err = blobstore.NewLocal(filepath.Join(opt.DataDir, "attachments")); err != nil {
			f.Close()
			return m, err
		}
	}
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			f.Close()
			return m, err
		}
		ok, err := addBlob(ctx, tw, blobs, k)
		if err != nil {
			f.Close()
			return m, fmt.Errorf("attachment %s: %w", k, err)
		}
		if ok {
			m.Blobs++
		} else {
			m.MissingBlobs = append(m.MissingBlobs, k)
		}
	}
	mb, _ := json.MarshalIndent(m, "", "  ")
	if err := addBytes(tw, manifestEntry, mb); err != nil {
		f.Close()
		return m, err
	}
	for _, c := range []io.Closer{tw, gz} {
		if err := c.Close(); err != nil {
			f.Close()
			return m, err
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return m, err
	}
	if err := f.Close(); err != nil {
		return m, err
	}
	return m, os.Rename(part, opt.To)
}

func addBytes(tw *tar.Writer, name string, b []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: time.Now(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

func addFile(tw *tar.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// addBlob copies one blob into the archive; false when it no longer exists.
func addBlob(ctx context.Context, tw *tar.Writer, blobs blobstore.Store, key string) (bool, error) {
	rc, err := blobs.Open(ctx, key)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer rc.Close()
	// Blobs are small (SKILLCERT_MAX_UPLOAD_MB); reading one whole gives the
	// header its size without trusting a stat of a file that may be replaced.
	b, err := io.ReadAll(rc)
	if err != nil {
		return false, err
	}
	return true, addBytes(tw, blobPrefix+key, b)
}

// describe reads what the manifest says of a database, and the blob keys it
// refers to.
func describe(ctx context.Context, db *repo.DB, m *Manifest) ([]string, error) {
	var err error
	if m.SchemaVersion, _, err = db.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	keys, err := db.BlobKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	sample, err := db.SealedSample(ctx)
	if err != nil {
		return nil, err
	}
	m.KeyID = pii.KeyID(sample)
	return keys, nil
}
