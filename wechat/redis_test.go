package wechat_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/internal/testenv"
	"skillcert/wechat"
	"skillcert/wechat/fake"
)

// testRedis is the shared Redis with a key prefix of the test's own.
func testRedis(t *testing.T) (*redis.Client, string) { return testenv.SharedRedisKeys(t) }

func TestRedisCache(t *testing.T) {
	rdb, prefix := testRedis(t)
	c := wechat.NewRedisCache(rdb, prefix)
	if c.Get("k") != nil || c.IsExist("k") {
		t.Fatal("empty cache has k")
	}
	if err := c.Set("k", "v", time.Minute); err != nil {
		t.Fatal(err)
	}
	if c.Get("k") != "v" || !c.IsExist("k") {
		t.Fatalf("Get = %v", c.Get("k"))
	}
	if ttl := rdb.TTL(context.Background(), prefix+"k").Val(); ttl <= 0 || ttl > time.Minute {
		t.Fatalf("TTL = %s", ttl)
	}
	if err := c.Set("k", "v", 0); err != nil || c.IsExist("k") {
		t.Fatalf("zero timeout kept the value (err %v)", err)
	}
	_ = c.Set("k", "v", time.Minute)
	if err := c.Delete("k"); err != nil || c.IsExist("k") {
		t.Fatalf("Delete: %v", err)
	}
	if err := c.Delete("never"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
}

// Two replicas sharing one Redis share one access token: one token fetch for
// both, and one replica recovering from an expired token does not cut off the
// other.
func TestStableTokenSharedThroughRedis(t *testing.T) {
	rdb, prefix := testRedis(t)
	f := fake.New(fake.Options{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	ctx := context.Background()

	a, err := wechat.New(baseConfig(srv.URL), wechat.NewRedisCache(rdb, prefix))
	if err != nil {
		t.Fatal(err)
	}
	b, err := wechat.New(baseConfig(srv.URL), wechat.NewRedisCache(rdb, prefix))
	if err != nil {
		t.Fatal(err)
	}
	f.GrantSubscribe("o-1", "tpl-review", 10)
	for range 3 {
		for _, c := range []*wechat.Client{a, b} {
			if err := c.SendSubscribe(ctx, subscribeMsg("o-1", okData)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := f.Calls(fake.PathStableToken); n != 1 {
		t.Fatalf("stable_token fetched %d times by two replicas, want 1", n)
	}

	f.ExpireTokens()
	if err := a.SendSubscribe(ctx, subscribeMsg("o-1", okData)); err != nil {
		t.Fatalf("replica a after expiry: %v", err)
	}
	if err := b.SendSubscribe(ctx, subscribeMsg("o-1", okData)); err != nil {
		t.Fatalf("replica b after expiry: %v", err)
	}
	if n := f.Calls(fake.PathStableToken); n != 2 {
		t.Fatalf("stable_token fetched %d times, want 2 (b reuses a's new token)", n)
	}
	if err := a.SendSubscribe(ctx, subscribeMsg("o-1", okData)); err != nil {
		t.Fatalf("replica a after b's refresh: %v", err)
	}
	if n := f.Calls(fake.PathSubscribe); n != 10 {
		t.Fatalf("subscribe/send called %d times, want 10 (9 sends, one 42001)", n)
	}
}
