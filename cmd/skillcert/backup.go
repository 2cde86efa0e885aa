package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"skillcert/backup"
	"skillcert/server"
)

func init() {
	register("backup", "write a consistent backup (database and attachments) while the server runs: --to FILE", cmdBackup)
	register("restore", "unpack a backup into a new data folder: --from FILE --data DIR [--key-file FILE]", cmdRestore)
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	to := fs.String("to", "", "the archive to write (tar.gz); replaced only once complete")
	attOnly := fs.Bool("attachments-only", false, "MySQL: archive only the attachments the database refers to (dump the database with mysqldump)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		return err
	}
	blobs, err := server.OpenBlobs(cfg)
	if err != nil {
		return err
	}
	m, err := backup.Create(ctx, backup.Options{DB: cfg.DB, DataDir: cfg.DataDir, To: *to, AttachmentsOnly: *attOnly, Blobs: blobs})
	if err != nil {
		return err
	}
	what := "database (schema version %d) and %d attachments"
	if !m.Database {
		what = "attachments only (schema version %d), %d files"
	}
	fmt.Fprintf(e.stdout, "wrote %s: "+what+"\n", *to, m.SchemaVersion, m.Blobs)
	if len(m.MissingBlobs) > 0 {
		fmt.Fprintf(e.stdout, "%d attachments were deleted while the backup ran and are not in it (listed in its manifest)\n", len(m.MissingBlobs))
	}
	if m.KeyID != "" {
		fmt.Fprintf(e.stdout, "the personal data in it is sealed with data key %q, which is NOT in the archive: keep that key (SKILLCERT_DATA_KEY, or %s) safe and apart from the backups\n",
			m.KeyID, filepath.Join(cfg.DataDir, "data.key"))
	}
	return nil
}

func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	from := fs.String("from", "", "the archive written by skillcert backup")
	dir := fs.String("data", "", "a new (or empty) folder to restore into; it becomes SKILLCERT_DATA_DIR")
	keyFile := fs.String("key-file", "", "a saved data.key to use and copy into the folder (else SKILLCERT_DATA_KEY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, err := backup.Restore(ctx, backup.RestoreOptions{From: *from, DataDir: *dir, Key: os.Getenv("SKILLCERT_DATA_KEY"), KeyFile: *keyFile})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s (taken %s) into %s: %d attachments\n", *from, m.CreatedAt.Format("2006-01-02 15:04:05 UTC"), *dir, m.Blobs)
	if m.Database {
		fmt.Fprintf(e.stdout, "start it with SKILLCERT_DATA_DIR=%s SKILLCERT_DB=%s and the same data key\n", *dir, filepath.Join(*dir, "skillcert.db"))
	} else {
		fmt.Fprintf(e.stdout, "attachments only: load the matching mysqldump into the database and point SKILLCERT_DATA_DIR at %s\n", *dir)
	}
	return nil
}
