package chatbot

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"

	"skillcert/core"
	"skillcert/internal/redisguard"
)

// DedupeTTL is how long an inbound message is remembered. WeChat retries within
// seconds; a day leaves room for any replay.
const DedupeTTL = core.ChatDedupeTTL

// Deduper remembers inbound messages so that WeChat's retries of one message
// (the same MsgId; for events the same FromUserName and CreateTime) produce one
// effect and get the same reply.
type Deduper interface {
	// Claim records the first delivery of key; first is false for a retry.
	Claim(ctx context.Context, key, openID string) (first bool, err error)
	// Result reads the reply recorded for key; done is false while its first
	// delivery is still being answered.
	Result(ctx context.Context, key string) (reply string, done bool, err error)
	// Finish records the reply of key ("" for none).
	Finish(ctx context.Context, key, reply string) error
}

// The database's Deduper is core.ChatStore.
var _ Deduper = (*core.ChatStore)(nil)

// RedisDeduper keeps inbound messages in Redis (SET NX with an expiry), shared
// by every replica. A value is "0" while the first delivery is at work, then "1"
// followed by the reply.
type RedisDeduper struct {
	RDB    redis.UniversalClient
	Prefix string // e.g. "skillcert:oa-inbound:"
}

// Claim sets the key if it is absent.
func (d RedisDeduper) Claim(ctx context.Context, key, _ string) (bool, error) {
	return d.RDB.SetNX(ctx, d.Prefix+key, "0", DedupeTTL).Result()
}

// Result reads the key.
func (d RedisDeduper) Result(ctx context.Context, key string) (string, bool, error) {
	v, err := d.RDB.Get(ctx, d.Prefix+key).Result()
	if errors.Is(err, redis.Nil) || (err == nil && len(v) == 0) {
		return "", false, errors.New("inbound message not recorded")
	}
	if err != nil {
		return "", false, err
	}
	if v[0] != '1' {
		return "", false, nil
	}
	return v[1:], true, nil
}

// Finish records the reply, keeping the key's expiry.
func (d RedisDeduper) Finish(ctx context.Context, key, reply string) error {
	return d.RDB.Set(ctx, d.Prefix+key, "1"+reply, redis.KeepTTL).Err()
}

// FallbackDeduper uses Primary (Redis) while Guard reports it up, and Secondary
// (the database) while it is down, going back by itself when Redis answers. A
// message claimed in one store and retried after a switch may be answered twice:
// the price of staying up.
type FallbackDeduper struct {
	Primary, Secondary Deduper
	Guard              *redisguard.Guard
}

// Claim records the first delivery of key.
func (d FallbackDeduper) Claim(ctx context.Context, key, openID string) (bool, error) {
	return redisguard.Do(ctx, d.Guard, "oa dedupe claim",
		func() (bool, error) { return d.Primary.Claim(ctx, key, openID) },
		func() (bool, error) { return d.Secondary.Claim(ctx, key, openID) })
}

// Result reads the reply recorded for key.
func (d FallbackDeduper) Result(ctx context.Context, key string) (string, bool, error) {
	type res struct {
		reply string
		done  bool
	}
	r, err := redisguard.Do(ctx, d.Guard, "oa dedupe result",
		func() (res, error) { s, ok, err := d.Primary.Result(ctx, key); return res{s, ok}, err },
		func() (res, error) { s, ok, err := d.Secondary.Result(ctx, key); return res{s, ok}, err })
	return r.reply, r.done, err
}

// Finish records the reply of key.
func (d FallbackDeduper) Finish(ctx context.Context, key, reply string) error {
	_, err := redisguard.Do(ctx, d.Guard, "oa dedupe finish",
		func() (struct{}, error) { return struct{}{}, d.Primary.Finish(ctx, key, reply) },
		func() (struct{}, error) { return struct{}{}, d.Secondary.Finish(ctx, key, reply) })
	return err
}
