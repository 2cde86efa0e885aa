package blobstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says which bucket of which S3-compatible server holds the blobs.
type S3Config struct {
	Endpoint  string // host:port
	Secure    bool   // https (the default) or http
	Region    string
	Bucket    string
	Prefix    string // objects are <Prefix>/<first two hex>/<sha256>; "" for the bucket's root
	PathStyle bool   // path-style requests (http://host/bucket/key) instead of auto-detection
	AccessKey string
	SecretKey string
	Token     string // a session token, when the keys are temporary
}

// S3 is a content-addressed blob store in an S3-compatible bucket (AWS S3,
// Tencent COS, MinIO, versitygw …). Objects are named
// <prefix>/<first two hex digits>/<SHA-256 hex> of their content.
//
// Staging hashes the upload into a temporary file of a local folder and the
// object is written by Commit in one PUT of known length. This is chosen over
// streaming to a temporary object and copying it under its key because:
// memory stays bounded by a copy buffer (minio-go buffers a whole multipart
// part, 16 MiB or more, in memory for a body of unknown length); an upload
// refused half-way (size limit, a content check, a client gone) never reaches
// the bucket; and a stored blob costs one request (plus a HEAD that makes a
// duplicate a no-op) instead of put, copy and delete. The local folder only
// holds uploads in flight, each at most the upload limit.
type S3 struct {
	c      *minio.Client
	bucket string
	prefix string // "" or ends in "/"
	tmp    string // local folder for staged uploads
	region string
	desc   string
}

// NewS3 connects to a bucket (no request is made: Ping checks it). tmpDir is a
// local folder for staged uploads, created when missing.
func NewS3(cfg S3Config, tmpDir string) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blob store: S3 needs an endpoint and a bucket")
	}
	opt := &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, cfg.Token),
		Secure: cfg.Secure,
		Region: cfg.Region,
		// Uploads are at most tens of MiB and downloads stream: a client
		// that waits for ever would hold a request for ever.
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
	}
	if cfg.PathStyle {
		opt.BucketLookup = minio.BucketLookupPath
	}
	c, err := minio.New(cfg.Endpoint, opt)
	if err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return nil, fmt.Errorf("blob store: staging folder: %w", err)
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	scheme := "https"
	if !cfg.Secure {
		scheme = "http"
	}
	return &S3{c: c, bucket: cfg.Bucket, prefix: prefix, tmp: tmpDir, region: cfg.Region,
		desc: fmt.Sprintf("s3 bucket %q at %s://%s", cfg.Bucket, scheme, cfg.Endpoint)}, nil
}

// String names the bucket and its endpoint (no credentials).
func (s *S3) String() string { return s.desc }

// Kind is "s3".
func (s *S3) Kind() string { return KindS3 }

// Client is the underlying minio client (tests and tools).
func (s *S3) Client() *minio.Client { return s.c }

// Bucket is the bucket's name.
func (s *S3) Bucket() string { return s.bucket }

// ObjectName is where a key is stored in the bucket.
func (s *S3) ObjectName(key string) string { return s.prefix + key[:2] + "/" + key }

func (s *S3) object(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	return s.ObjectName(key), nil
}

// notExist turns S3's "no such key/bucket" into an error wrapping os.ErrNotExist.
func notExist(key string, err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NotFound":
		return fmt.Errorf("blob %s: %w", key, os.ErrNotExist)
	}
	return err
}

// s3Staged is content hashed into a local temporary file, not yet in the bucket.
type s3Staged struct {
	ctx   context.Context
	store *S3
	tmp   string
	key   string
	size  int64
}

func (st *s3Staged) Key() string { return st.key }
func (st *s3Staged) Size() int64 { return st.size }

// Stage copies r into a local temporary file, hashing it on the way.
func (s *S3) Stage(ctx context.Context, r io.Reader) (Staged, error) {
	tmp, key, n, err := stageFile(ctx, s.tmp, r)
	if err != nil {
		return nil, err
	}
	// Commit runs after the upload was accepted: a client that goes away then
	// does not cut the PUT short (Commit bounds it with its own timeout).
	return &s3Staged{ctx: context.WithoutCancel(ctx), store: s, tmp: tmp, key: key, size: n}, nil
}

// Commit puts the content under its key, unless an object of the same size is
// there already (same name, same size: the same content), and drops the
// local copy.
func (st *s3Staged) Commit() error {
	s := st.store
	name := s.ObjectName(st.key)
	ctx, cancel := context.WithTimeout(st.ctx, 10*time.Minute)
	defer cancel()
	if info, err := s.c.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{}); err == nil && info.Size == st.size {
		return os.Remove(st.tmp)
	} else if err != nil && !errors.Is(notExist(st.key, err), os.ErrNotExist) {
		return fmt.Errorf("blob %s: %w", st.key, err)
	}
	f, err := os.Open(st.tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = s.c.PutObject(ctx, s.bucket, name, f, st.size, minio.PutObjectOptions{
		ContentType: "application/octet-stream",
		// The store is content-addressed: an integrity check on the way in
		// costs little and catches a damaged transfer.
		SendContentMd5: true,
	})
	if err != nil {
		return fmt.Errorf("blob %s: put: %w", st.key, err)
	}
	f.Close()
	return os.Remove(st.tmp)
}

// Discard drops the local copy.
func (st *s3Staged) Discard() error {
	err := os.Remove(st.tmp)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Open returns a blob's content, streamed from the bucket; an error wrapping
// os.ErrNotExist when there is no such blob.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.c.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, notExist(key, err)
	}
	// The request is sent by the first Stat or Read: a missing key shows here.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		return nil, notExist(key, err)
	}
	return obj, nil
}

// Stat returns a blob's size; an error wrapping os.ErrNotExist when missing.
func (s *S3) Stat(ctx context.Context, key string) (int64, error) {
	name, err := s.object(key)
	if err != nil {
		return 0, err
	}
	info, err := s.c.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return 0, notExist(key, err)
	}
	return info.Size, nil
}

// Delete removes a blob; a missing blob is not an error (S3 says so too).
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.c.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil &&
		!errors.Is(notExist(key, err), os.ErrNotExist) {
		return err
	}
	return nil
}

// Ping checks that the bucket exists and the credentials may read it.
func (s *S3) Ping(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("%s: %w", s.desc, err)
	}
	if !ok {
		return fmt.Errorf("%s: the bucket does not exist", s.desc)
	}
	return nil
}

// CreateBucket makes the bucket when it does not exist yet (a new deployment's
// first step, `skillcert blobs create-bucket`); it reports whether it made it.
// The bucket is private: nothing here grants public access.
func (s *S3) CreateBucket(ctx context.Context) (bool, error) {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return false, fmt.Errorf("%s: %w", s.desc, err)
	}
	if ok {
		return false, nil
	}
	if err := s.c.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region}); err != nil {
		return false, fmt.Errorf("%s: %w", s.desc, err)
	}
	return true, nil
}

// Blobs lists the stored blobs (objects under the prefix named like a key in
// its two-hex folder); anything else in the bucket is left alone.
func (s *S3) Blobs(ctx context.Context, fn func(key string, modified time.Time) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing when fn fails
	for obj := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return obj.Err
		}
		rel := strings.TrimPrefix(obj.Key, s.prefix)
		dir, key := path.Split(rel)
		if CheckKey(key) != nil || dir != key[:2]+"/" {
			continue
		}
		if err := fn(key, obj.LastModified); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// DropStale removes local staged uploads older than cutoff (nothing of an
// unfinished upload is in the bucket).
func (s *S3) DropStale(ctx context.Context, cutoff time.Time) (int, error) {
	return dropStaleFiles(ctx, s.tmp, cutoff)
}

// TmpDir is the local folder of staged uploads.
func (s *S3) TmpDir() string { return filepath.Clean(s.tmp) }
