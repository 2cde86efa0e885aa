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
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a redis-server of the test's own, on a free port, that the test may
// stop and start again (never the shared one on 6379).
type Redis struct {
	Addr string
	dir  string
	cmd  *exec.Cmd
}

// StartRedis starts a private redis-server (no persistence) and stops it at
// cleanup. Skipped when redis-server is not installed, except in CI.
func StartRedis(t testing.TB) *Redis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server not installed in CI: %v", err)
		}
		t.Skipf("redis-server not installed: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := &Redis{Addr: addr, dir: t.TempDir()}
	r.Start(t)
	t.Cleanup(r.stop)
	return r
}

// URL is the SKILLCERT_REDIS_URL of this server.
func (r *Redis) URL() string { return "redis://" + r.Addr + "/0" }

// Start (re)starts the server on its address and waits until it answers.
func (r *Redis) Start(t testing.TB) {
	t.Helper()
	_, port, _ := net.SplitHostPort(r.Addr)
	r.cmd = exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", r.dir, "--logfile", filepath.Join(r.dir, "redis.log"))
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", r.Addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("redis-server on %s did not start", r.Addr)
}

// Stop kills the server (its process only) and waits until the port is closed.
func (r *Redis) Stop(t testing.TB) {
	t.Helper()
	r.stop()
	for i := 0; i < 100; i++ {
		c, err := net.DialTimeout("tcp", r.Addr, 100*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("redis-server on %s still answers", r.Addr)
}

func (r *Redis) stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_, _ = r.cmd.Process.Wait()
	r.cmd = nil
}

// String names the server in messages.
func (r *Redis) String() string { return fmt.Sprintf("redis-server %s (pid %s)", r.Addr, r.pid()) }

func (r *Redis) pid() string {
	if r.cmd == nil || r.cmd.Process == nil {
		return "-"
	}
	return strconv.Itoa(r.cmd.Process.Pid)
}

// SharedRedisAddr is the shared Redis the tests may use: SKILLCERT_TEST_REDIS
// (host:port, 127.0.0.1:6379 by default). The test is skipped when it does not
// answer, except in CI (CI=true), where it fails. Tests keep to keys of their
// own (a random prefix) or to a database of their own.
func SharedRedisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("SKILLCERT_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s (SKILLCERT_TEST_REDIS) unreachable in CI: %v", addr, err)
		}
		t.Skipf("Redis at %s (SKILLCERT_TEST_REDIS) unreachable: %v", addr, err)
	}
	conn.Close()
	return addr
}

// SharedRedisURL is SharedRedisAddr as a SKILLCERT_REDIS_URL.
func SharedRedisURL(t testing.TB) string { return "redis://" + SharedRedisAddr(t) + "/0" }

// SharedRedis is a client of SharedRedisAddr, closed at cleanup.
func SharedRedis(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: SharedRedisAddr(t)})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// SharedRedisKeys is SharedRedis with a random key prefix of the test's own;
// the keys under it are deleted at cleanup.
func SharedRedisKeys(t testing.TB) (*redis.Client, string) {
	t.Helper()
	rdb := SharedRedis(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "skillcert-test:" + t.Name() + ":" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		for it := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator(); it.Next(ctx); {
			rdb.Del(ctx, it.Val())
		}
	})
	return rdb, prefix
}
