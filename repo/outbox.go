package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
)

// OutboxEvent is one event to push to a candidate.
type OutboxEvent struct {
	Kind           string        // e.g. registration.approved (domain.Event*)
	DedupeKey      string        // unique per event: a retried change cannot enqueue twice
	CandidateID    sql.NullInt64 // who is told
	RegistrationID sql.NullInt64
	PlanID         sql.NullInt64
	Payload        string    // JSON: what the message needs beyond the ids
	DueAt          time.Time // when it may be sent (now, or later for reminders)
}

var qOutboxInsert = NamedQuery("outbox-insert")

// InsertOutbox writes an event row inside the caller's transaction. A row with
// the same DedupeKey already there is not an error: the event is enqueued once.
func (db *DB) InsertOutbox(ctx context.Context, tx *sqlx.Tx, e OutboxEvent, now time.Time) error {
	if e.Payload == "" {
		e.Payload = "{}"
	}
	if e.DueAt.IsZero() {
		e.DueAt = now
	}
	_, err := db.exec(ctx, tx, qOutboxInsert, e.Kind, e.DedupeKey, e.CandidateID,
		e.RegistrationID, e.PlanID, e.Payload, e.DueAt, now)
	if IsUniqueViolation(err) {
		return nil
	}
	return err
}
