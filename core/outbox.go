package core

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"skillcert/repo"
)

// Event is a change a candidate is told about. Enqueue it inside the transaction
// that makes the change, so that the change and its notification commit together.
type Event struct {
	Kind           string // domain.Event* or another event kind of the notification issue
	CandidateID    int64
	RegistrationID int64          // 0 when the event is not about one registration
	PlanID         int64          // 0 when not about a plan
	Payload        map[string]any // what the message shows beyond the ids (no ID numbers or phones)
	// Key makes the event unique: the same Kind and Key enqueue once. Use something
	// that identifies the change, e.g. the registration id and its new updated_at.
	Key   string
	DueAt time.Time // zero = now
}

// EnqueueEvent writes an event to the outbox inside tx.
func (c *Core) EnqueueEvent(ctx context.Context, tx repo.Tx, e Event) error {
	row, err := outboxRow(e)
	if err != nil {
		return err
	}
	return tx.InsertOutbox(ctx, row, c.now().UTC().Truncate(time.Microsecond))
}

// EnqueueEvents writes many events inside tx in multi-row statements (an event
// already enqueued is skipped, as with Enqueue).
func (c *Core) EnqueueEvents(ctx context.Context, tx repo.Tx, events []Event) error {
	rows := make([]repo.OutboxEvent, len(events))
	for i, e := range events {
		var err error
		if rows[i], err = outboxRow(e); err != nil {
			return err
		}
	}
	return tx.InsertOutboxMany(ctx, rows, c.now().UTC().Truncate(time.Microsecond))
}

// outboxRow is the outbox row of an event: its payload as JSON and its
// de-duplication key "<kind>:<candidate>:<key>".
func outboxRow(e Event) (repo.OutboxEvent, error) {
	payload := "{}"
	if e.Payload != nil {
		b, err := json.Marshal(e.Payload)
		if err != nil {
			return repo.OutboxEvent{}, err
		}
		payload = string(b)
	}
	nz := func(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: v != 0} }
	return repo.OutboxEvent{
		Kind: e.Kind, DedupeKey: fmt.Sprintf("%s:%d:%s", e.Kind, e.CandidateID, e.Key),
		CandidateID: nz(e.CandidateID), RegistrationID: nz(e.RegistrationID), PlanID: nz(e.PlanID),
		Payload: payload, DueAt: e.DueAt,
	}, nil
}
