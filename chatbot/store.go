package chatbot

import (
	"context"
	"encoding/json"
	"time"

	"skillcert/core"
)

// step is where a conversation stands.
type step string

// Steps of the registration conversation; "" is no conversation (commands only).
const (
	stepIdle    step = ""
	stepCode    step = "code"    // waiting for the registration code
	stepConfirm step = "confirm" // plan shown, waiting for 1 确认 / 0 取消
	stepForm    step = "form"    // asking Field
	stepSummary step = "summary" // summary shown, waiting for 提交 / 修改
)

// conv is a follower's conversation as stored between messages.
type conv struct {
	Step  step   `json:"-"`
	Code  string `json:"code,omitempty"`  // the registration code being confirmed
	RegID int64  `json:"reg,omitempty"`   // the registration being filled in
	Field string `json:"field,omitempty"` // stepForm: the field asked
	// Wait is what the conversation waits for on the web (a hand-over):
	// waitIdentity at stepConfirm. "继续" then reads from core whether it was done.
	Wait string `json:"wait,omitempty"`
}

// What a conversation can wait for on the web.
const waitIdentity = "identity"

// Store keeps conversations between messages (core.ChatStore in the database).
type Store interface {
	Conversation(ctx context.Context, openID string) (conv core.ChatConversation, found bool, err error)
	SaveConversation(ctx context.Context, openID string, conv core.ChatConversation, now time.Time) error
	DropConversation(ctx context.Context, openID string) error
}

// store reads and writes the chat's conversations through a Store.
type store struct{ s Store }

// load returns the follower's conversation. A conversation past its expiry is
// returned with stale set; none is the zero conv.
func (s store) load(ctx context.Context, openID string, now time.Time) (c conv, found, stale bool, err error) {
	row, found, err := s.s.Conversation(ctx, openID)
	if err != nil || !found {
		return conv{}, false, false, err
	}
	if err := json.Unmarshal([]byte(row.Data), &c); err != nil {
		return conv{}, true, true, nil // unreadable: treat as stale
	}
	c.Step = step(row.State)
	return c, true, !now.Before(row.ExpiresAt), nil
}

// save stores the conversation, valid for ttl from now.
func (s store) save(ctx context.Context, openID string, c conv, now time.Time, ttl time.Duration) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	now = now.UTC().Truncate(time.Microsecond)
	return s.s.SaveConversation(ctx, openID, core.ChatConversation{State: string(c.Step), Data: string(data),
		ExpiresAt: now.Add(ttl)}, now)
}

// drop forgets the conversation.
func (s store) drop(ctx context.Context, openID string) error {
	return s.s.DropConversation(ctx, openID)
}
