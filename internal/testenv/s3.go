package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"skillcert/blobstore"
	"skillcert/server"
)

// S3Env names the variable holding the path of a versitygw binary, the real
// S3-compatible server the S3 half of the blob tests runs on (`.ci/run`
// installs it into .cache/bin). Unset, those tests are skipped, except in CI
// (CI=true) where they fail.
const S3Env = "SKILLCERT_TEST_S3_BIN"

// Stores are the blob stores every attachment test runs on.
var Stores = []string{blobstore.KindLocal, blobstore.KindS3}

// The credentials of the test S3 server (a private process on loopback).
const (
	s3AccessKey = "skillcert-test"
	s3SecretKey = "skillcert-test-secret-key"
)

// s3Server is the one versitygw of a test binary: started on first use, on a
// free port over a temporary folder, killed when the test binary exits.
var s3Server struct {
	once     sync.Once
	endpoint string
	dir      string
	err      error
}

// ForEachStore runs fn as a subtest on the local folder and on an S3 bucket of
// its own; blobEnv is what Options.Env needs for that store (nil for local).
func ForEachStore(t *testing.T, fn func(t *testing.T, blobEnv map[string]string)) {
	t.Helper()
	for _, store := range Stores {
		t.Run(store, func(t *testing.T) {
			fn(t, BlobEnv(t, store))
		})
	}
}

// BlobEnv is the server environment for a store: nil for the local folder;
// for "s3" a new bucket on the test S3 server (removed at cleanup) and its
// credentials. Skips (fails in CI) without SKILLCERT_TEST_S3_BIN.
func BlobEnv(t testing.TB, store string) map[string]string {
	t.Helper()
	if store == blobstore.KindLocal {
		return nil
	}
	bucket := NewBucket(t)
	return map[string]string{
		blobstore.URLEnv:        fmt.Sprintf("s3://%s/blobs?endpoint=%s&region=us-east-1&secure=false&path_style=true", bucket, S3Endpoint(t)),
		"AWS_ACCESS_KEY_ID":     s3AccessKey,
		"AWS_SECRET_ACCESS_KEY": s3SecretKey,
	}
}

// WithEnv returns base with extra's settings added (a new map).
func WithEnv(base, extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// NewS3Store is a blob store on a new bucket of the test S3 server.
func NewS3Store(t testing.TB) *blobstore.S3 {
	t.Helper()
	env := BlobEnv(t, blobstore.KindS3)
	s, err := blobstore.Open(env[blobstore.URLEnv], t.TempDir(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return s.(*blobstore.S3)
}

// S3Endpoint starts the test S3 server if needed and returns its host:port.
func S3Endpoint(t testing.TB) string {
	t.Helper()
	bin := os.Getenv(S3Env)
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: the S3 tests must run in CI", S3Env)
		}
		t.Skipf("%s not set (a versitygw binary): S3 tests skipped", S3Env)
	}
	s3Server.once.Do(func() { s3Server.endpoint, s3Server.err = startVersity(bin) })
	if s3Server.err != nil {
		t.Fatalf("test S3 server: %v", s3Server.err)
	}
	return s3Server.endpoint
}

// startVersity starts versitygw's posix gateway. It is tied to the test
// binary with PR_SET_PDEATHSIG from a thread that never exits, so it dies
// with the test binary however that ends; its folder is under the system's
// temporary folder, and folders left by earlier runs are removed.
func startVersity(bin string) (string, error) {
	removeStaleS3Dirs()
	dir, err := os.MkdirTemp("", fmt.Sprintf("skillcert-s3-%d-", os.Getpid()))
	if err != nil {
		return "", err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	l.Close()
	logf, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		return "", err
	}
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o700); err != nil {
		return "", err
	}
	started := make(chan error, 1)
	go func() {
		// PR_SET_PDEATHSIG fires when the thread that started the child ends:
		// this goroutine keeps its thread for the life of the process.
		runtime.LockOSThread()
		cmd := exec.Command(bin, "--access", s3AccessKey, "--secret", s3SecretKey, "--port", addr,
			"posix", "--sidecar", filepath.Join(dir, "meta"), root)
		cmd.Stdout, cmd.Stderr = logf, logf
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := os.Mkdir(filepath.Join(dir, "meta"), 0o700); err != nil {
			started <- err
			return
		}
		err := cmd.Start()
		started <- err
		if err == nil {
			_ = cmd.Wait()
		}
		select {} // keep the thread
	}()
	if err := <-started; err != nil {
		return "", fmt.Errorf("start %s: %w", bin, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return addr, nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "versitygw.log"))
			return "", fmt.Errorf("versitygw did not answer on %s within 30s: %s", addr, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// removeStaleS3Dirs removes the folders of test S3 servers whose test binary
// is gone.
func removeStaleS3Dirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "skillcert-s3-*"))
	for _, d := range dirs {
		var pid int
		if _, err := fmt.Sscanf(filepath.Base(d), "skillcert-s3-%d-", &pid); err != nil || pid == os.Getpid() {
			continue
		}
		if syscall.Kill(pid, 0) == nil {
			continue // still running
		}
		info, err := os.Stat(d)
		if err == nil && time.Since(info.ModTime()) > time.Minute {
			os.RemoveAll(d)
		}
	}
}

// S3Client is a client of the test S3 server.
func S3Client(t testing.TB) *minio.Client {
	t.Helper()
	endpoint := S3Endpoint(t)
	s, err := blobstore.NewS3(blobstore.S3Config{Endpoint: endpoint, Bucket: "x", PathStyle: true, Region: "us-east-1",
		AccessKey: s3AccessKey, SecretKey: s3SecretKey}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s.Client()
}

// NewBucket creates an empty bucket on the test S3 server, emptied and
// removed when the test ends.
func NewBucket(t testing.TB) string {
	t.Helper()
	c := S3Client(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "skillcert-test-" + hex.EncodeToString(b)
	ctx := context.Background()
	if err := c.MakeBucket(ctx, name, minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for obj := range c.ListObjects(ctx, name, minio.ListObjectsOptions{Recursive: true}) {
			if obj.Err == nil {
				_ = c.RemoveObject(ctx, name, obj.Key, minio.RemoveObjectOptions{})
			}
		}
		if err := c.RemoveBucket(ctx, name); err != nil {
			t.Logf("remove bucket %s: %v", name, err)
		}
	})
	return name
}

// BlobKeys lists the keys of the blobs a server's store holds, sorted.
func (a *App) BlobKeys(t testing.TB) []string {
	t.Helper()
	return StoreKeys(t, a.Blobs)
}

// StoreKeys lists the keys of the blobs a store holds, sorted.
func StoreKeys(t testing.TB, s blobstore.Store) []string {
	t.Helper()
	l, ok := s.(blobstore.Lister)
	if !ok {
		t.Fatalf("%T cannot list its blobs", s)
	}
	var keys []string
	if err := l.Blobs(context.Background(), func(key string, _ time.Time) error {
		keys = append(keys, key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	return keys
}

// OpenBlobs opens the blob store a running server uses, as the operator
// commands do (server.OpenBlobs over its configuration).
func (a *App) OpenBlobs(t testing.TB) blobstore.Store {
	t.Helper()
	s, err := server.OpenBlobs(a.Cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ForEachEngineAndStore runs fn as a subtest on each database engine and,
// within it, on each blob store (local folder, S3 bucket): blobEnv is what
// Options.Env needs for the store (nil for the local folder).
func ForEachEngineAndStore(t *testing.T, fn func(t *testing.T, dsn string, blobEnv map[string]string)) {
	t.Helper()
	ForEachEngine(t, func(t *testing.T, dsn string) {
		first := true
		ForEachStore(t, func(t *testing.T, blobEnv map[string]string) {
			if !first {
				dsn = NewDSN(t, engineOf(dsn)) // a fresh database for the second store
			}
			first = false
			fn(t, dsn, blobEnv)
		})
	})
}

// engineOf tells a test DSN's engine.
func engineOf(dsn string) string {
	if strings.HasSuffix(dsn, ".db") {
		return "sqlite"
	}
	return "mysql"
}
