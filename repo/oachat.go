package repo

import (
	"context"
	"time"
)

// OAConversation is the stored conversation of one official-account follower:
// its state name and the state's data (JSON), stale after ExpiresAt.
type OAConversation struct {
	State     string    `db:"state"`
	Data      string    `db:"data"`
	ExpiresAt time.Time `db:"expires_at"`
}

// OAInbound is the log entry of an inbound message: Done once its reply is known.
type OAInbound struct {
	Done      bool      `db:"done"`
	Reply     string    `db:"reply"`
	CreatedAt time.Time `db:"created_at"`
}

var (
	qOAConvGet    = NamedQuery("oa-conversation-get")
	qOAConvPut    = NamedQuery("oa-conversation-put")
	qOAConvDelete = NamedQuery("oa-conversation-delete")
	qOAConvPrune  = NamedQuery("oa-conversation-prune")
	qOAInClaim    = NamedQuery("oa-inbound-claim")
	qOAInGet      = NamedQuery("oa-inbound-get")
	qOAInFinish   = NamedQuery("oa-inbound-finish")
	qOAInPrune    = NamedQuery("oa-inbound-prune")
)

// GetOAConversation reads a follower's conversation; sql.ErrNoRows when none.
func (db *DB) GetOAConversation(ctx context.Context, oaOpenID string) (OAConversation, error) {
	var c OAConversation
	err := db.get(ctx, db.R, &c, qOAConvGet, oaOpenID)
	return c, err
}

// PutOAConversation stores a follower's conversation.
func (db *DB) PutOAConversation(ctx context.Context, oaOpenID string, c OAConversation, now time.Time) error {
	_, err := db.exec(ctx, db.W, qOAConvPut, oaOpenID, c.State, c.Data, c.ExpiresAt, now)
	return err
}

// DeleteOAConversation forgets a follower's conversation.
func (db *DB) DeleteOAConversation(ctx context.Context, oaOpenID string) error {
	_, err := db.exec(ctx, db.W, qOAConvDelete, oaOpenID)
	return err
}

// ClaimOAInbound records the first delivery of an inbound message; false when
// the key was recorded before (a retry).
func (db *DB) ClaimOAInbound(ctx context.Context, key, oaOpenID string, now time.Time) (bool, error) {
	_, err := db.exec(ctx, db.W, qOAInClaim, key, oaOpenID, now)
	if IsUniqueViolation(err) {
		return false, nil
	}
	return err == nil, err
}

// GetOAInbound reads the log entry of an inbound message.
func (db *DB) GetOAInbound(ctx context.Context, key string) (OAInbound, error) {
	var in OAInbound
	err := db.get(ctx, db.R, &in, qOAInGet, key)
	return in, err
}

// FinishOAInbound records the reply an inbound message got.
func (db *DB) FinishOAInbound(ctx context.Context, key, reply string) error {
	_, err := db.exec(ctx, db.W, qOAInFinish, reply, key)
	return err
}

// PruneOAChat deletes inbound log entries created before logCutoff and
// conversations that went stale before convCutoff.
func (db *DB) PruneOAChat(ctx context.Context, logCutoff, convCutoff time.Time) error {
	if _, err := db.exec(ctx, db.W, qOAInPrune, logCutoff); err != nil {
		return err
	}
	_, err := db.exec(ctx, db.W, qOAConvPrune, convCutoff)
	return err
}
