package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"skillcert/blobstore"
	"skillcert/server"
)

func init() {
	register("blobs", "attachment storage: `blobs create-bucket` makes the bucket of SKILLCERT_BLOB_URL when missing; `blobs migrate --from DIR [--verify]` copies a local attachment folder into it (resumable)", cmdBlobs)
}

const blobsUsage = "usage: skillcert blobs create-bucket | skillcert blobs migrate --from DIR [--verify]"

func cmdBlobs(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errors.New(blobsUsage)
	}
	switch args[0] {
	case "migrate":
		return cmdBlobsMigrate(ctx, e, args)
	case "create-bucket":
		return cmdBlobsCreateBucket(ctx, e, args)
	}
	return errors.New(blobsUsage)
}

// cmdBlobsCreateBucket makes the bucket of SKILLCERT_BLOB_URL when it is
// missing: a new deployment's first step (deploy/docker-compose.yml runs it
// before the replicas start, which refuse to start without their bucket).
func cmdBlobsCreateBucket(ctx context.Context, e *env, args []string) error {
	if len(args) > 1 {
		return errors.New(blobsUsage)
	}
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		return err
	}
	if !cfg.Blob.IsS3() {
		return fmt.Errorf("%s names no bucket: set it (and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) to the bucket to create", blobstore.URLEnv)
	}
	st, err := server.OpenBlobs(cfg)
	if err != nil {
		return err
	}
	s3, ok := st.(*blobstore.S3)
	if !ok {
		return fmt.Errorf("%s: not an S3 bucket", blobstore.URLEnv)
	}
	made, err := s3.CreateBucket(ctx)
	if err != nil {
		return err
	}
	if made {
		fmt.Fprintf(e.stdout, "created %v\n", s3)
	} else {
		fmt.Fprintf(e.stdout, "%v exists already\n", s3)
	}
	return nil
}

func cmdBlobsMigrate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("blobs migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	from := fs.String("from", "", "the local attachment folder (the old SKILLCERT_DATA_DIR/attachments)")
	verify := fs.Bool("verify", false, "read every blob back from the bucket and check its SHA-256")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("--from DIR is required (the folder that holds the two-hex-digit folders of attachments)")
	}
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		return err
	}
	if !cfg.Blob.IsS3() {
		return fmt.Errorf("%s names no bucket: set it (and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) to the bucket to copy into", blobstore.URLEnv)
	}
	src, err := blobstore.OpenSource(*from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	dst, err := server.OpenBlobs(cfg)
	if err != nil {
		return err
	}
	if err := dst.Ping(ctx); err != nil {
		return fmt.Errorf("%s: %w", blobstore.URLEnv, err)
	}
	fmt.Fprintf(e.stdout, "copying %s into %v\n", *from, dst)
	rep, err := blobstore.Migrate(ctx, src, dst, *verify, func(r blobstore.MigrateReport) {
		if r.Seen%1000 == 0 {
			fmt.Fprintf(e.stdout, "  %d blobs: %d copied, %d already there\n", r.Seen, r.Copied, r.Present)
		}
	})
	line := fmt.Sprintf("%d blobs: %d copied (%d bytes), %d already in the bucket", rep.Seen, rep.Copied, rep.Bytes, rep.Present)
	if *verify {
		line += fmt.Sprintf(", %d verified", rep.Verified)
	}
	fmt.Fprintln(e.stdout, line)
	if err != nil {
		return fmt.Errorf("interrupted (run the same command again to finish): %w", err)
	}
	if len(rep.Damaged) > 0 {
		return fmt.Errorf("%d blobs do not match their SHA-256 (not copied, or their copy is damaged): %s", len(rep.Damaged), strings.Join(rep.Damaged, ", "))
	}
	return nil
}
