package notify_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/notify"
	"skillcert/repo"
	"skillcert/wechat"
	"skillcert/wechat/fake"
)

// Two dispatchers (two replicas' adapters) sharing the access token in Redis:
// the token fetched first serves both, and no send is ever refused for a token
// another replica replaced.
func TestDispatchersShareTokenInRedis(t *testing.T) {
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s: %v", addr, err)
		}
		t.Skipf("Redis at %s: %v", addr, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "skillcert-test:notify:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		for it := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator(); it.Next(ctx); {
			rdb.Del(ctx, it.Val())
		}
	})

	h := newHarness(t, testenv.NewDSN(t, "sqlite"))
	var people []person
	for range 100 {
		p := h.person(h.plan)
		h.follow(&p)
		people = append(people, p)
	}
	for i := range 2 {
		client, err := wechat.New(wechat.Config{OAAppID: fake.DefaultOAAppID, OASecret: fake.DefaultOASecret,
			APIBase: h.url, Timeout: time.Second}, wechat.NewRedisCache(rdb, prefix))
		if err != nil {
			t.Fatal(err)
		}
		cfg := h.cfg()
		cfg.ID = []string{"A", "B"}[i]
		d := notify.New(notify.Deps{DB: h.db, Sender: client, Templates: h.tpl, Metrics: h.m}, cfg)
		d.Start(h.ctx)
		t.Cleanup(d.Shutdown)
	}
	h.fake.ResetCalls()
	for _, p := range people {
		h.enqueue(p, domain.EventRegistrationApproved, "{}")
	}
	h.waitSettled(20 * time.Second)
	// Both may fetch at their very first send, before either stored the token;
	// stable tokens make that harmless, and nothing fetches again afterwards.
	if got := h.fake.Calls(fake.PathStableToken); got < 1 || got > 2 {
		t.Errorf("%d token fetches for two dispatchers and %d events, want 1 or 2", got, len(people))
	}
	if got := h.fake.Calls(fake.PathTemplate); got != len(people) {
		t.Errorf("%d template calls for %d events: some were refused", got, len(people))
	}
	var sent int
	if err := h.db.R.Get(&sent, "SELECT COUNT(*) FROM outbox WHERE state = ?", repo.OutboxSent); err != nil || sent != len(people) {
		t.Errorf("%d sent (%v), want %d", sent, err, len(people))
	}
}
