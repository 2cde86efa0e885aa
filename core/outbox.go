package core

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

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

// Enqueue writes an event to the outbox inside tx.
func (c *Core) Enqueue(ctx context.Context, tx *sqlx.Tx, e Event) error {
	payload := "{}"
	if e.Payload != nil {
		b, err := json.Marshal(e.Payload)
		if err != nil {
			return err
		}
		payload = string(b)
	}
	nz := func(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: v != 0} }
	return c.db.InsertOutbox(ctx, tx, repo.OutboxEvent{
		Kind: e.Kind, DedupeKey: fmt.Sprintf("%s:%d:%s", e.Kind, e.CandidateID, e.Key),
		CandidateID: nz(e.CandidateID), RegistrationID: nz(e.RegistrationID), PlanID: nz(e.PlanID),
		Payload: payload, DueAt: e.DueAt,
	}, c.now().UTC().Truncate(time.Microsecond))
}
