package core

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"skillcert/repo"
)

// ChatDedupeTTL is how long an inbound official-account message is remembered.
// WeChat retries within seconds; a day leaves room for any replay.
const ChatDedupeTTL = 24 * time.Hour

// ChatConversation is the stored conversation of one official-account
// follower: its state name and the state's data (JSON), stale after ExpiresAt.
type ChatConversation struct {
	State     string
	Data      string
	ExpiresAt time.Time
}

// ChatStore keeps the official-account chat's state in the database: the
// conversation of each follower between messages, and the inbound messages
// remembered for de-duplication (enough for one replica, and correct for
// several sharing the database). The chat reaches it through interfaces of
// its own (chatbot.Store, chatbot.Deduper).
type ChatStore struct {
	db  *repo.DB
	now func() time.Time
}

// ChatStore returns the chat's store over core's database.
func (c *Core) ChatStore() *ChatStore { return &ChatStore{db: c.db, now: c.now} }

// Conversation reads a follower's conversation; found is false when none.
func (s *ChatStore) Conversation(ctx context.Context, openID string) (conv ChatConversation, found bool, err error) {
	row, err := s.db.GetOAConversation(ctx, openID)
	if repo.IsNoRows(err) {
		return ChatConversation{}, false, nil
	}
	if err != nil {
		return ChatConversation{}, false, fmt.Errorf("get oa conversation: %w", err)
	}
	return ChatConversation(row), true, nil
}

// SaveConversation stores a follower's conversation.
func (s *ChatStore) SaveConversation(ctx context.Context, openID string, conv ChatConversation, now time.Time) error {
	return s.db.PutOAConversation(ctx, openID, repo.OAConversation(conv), now)
}

// DropConversation forgets a follower's conversation.
func (s *ChatStore) DropConversation(ctx context.Context, openID string) error {
	return s.db.DeleteOAConversation(ctx, openID)
}

// Claim records the first delivery of an inbound message; a duplicate key is a
// retry. About one claim in 512 also deletes entries older than ChatDedupeTTL
// and conversations stale for as long.
func (s *ChatStore) Claim(ctx context.Context, key, openID string) (bool, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	first, err := s.db.ClaimOAInbound(ctx, key, openID, now)
	if err == nil && first && rand.IntN(512) == 0 {
		err = s.db.PruneOAChat(ctx, now.Add(-ChatDedupeTTL), now.Add(-ChatDedupeTTL))
	}
	return first, err
}

// Result reads the reply recorded for an inbound message; done is false while
// its first delivery is still being answered.
func (s *ChatStore) Result(ctx context.Context, key string) (reply string, done bool, err error) {
	in, err := s.db.GetOAInbound(ctx, key)
	if err != nil {
		return "", false, err
	}
	return in.Reply, in.Done, nil
}

// Finish records the reply of an inbound message ("" for none).
func (s *ChatStore) Finish(ctx context.Context, key, reply string) error {
	return s.db.FinishOAInbound(ctx, key, reply)
}
