package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/domain"
)

// Delivery channels (domain's).
const (
	ChannelSubscribe = domain.ChannelSubscribe
	ChannelTemplate  = domain.ChannelTemplate
	ChannelApp       = domain.ChannelApp
)

// Delivery states. DeliverySending is written before a message goes out: a
// delivery found in it by the next claimer is in doubt (its sender died between
// the send and the mark).
const (
	DeliverySending   = "sending"
	DeliveryRetry     = "retry"      // failed transiently; resumed on the row's next attempt
	DeliverySent      = "sent"       // WeChat accepted it
	DeliveryNoConsent = "no_consent" // no subscribe consent (43101) or not a follower (43004)
	DeliveryFailed    = "failed"     // WeChat refused its content, or given up
)

// Delivery is one (outbox event, channel) pair: the record of sending that event
// on that channel, written before the first send.
type Delivery struct {
	ID         int64        `db:"id"`
	OutboxID   int64        `db:"outbox_id"`
	Channel    string       `db:"channel"`
	Recipient  string       `db:"recipient"`   // openid in the app of the channel
	TemplateID string       `db:"template_id"` // as sent
	State      string       `db:"state"`
	InDoubt    bool         `db:"in_doubt"`    // the outcome of the last send is unknown
	SoleCredit bool         `db:"sole_credit"` // subscribe: it took the user's last consent, none other open
	Attempts   int          `db:"attempts"`
	LastError  string       `db:"last_error"`
	StartedAt  time.Time    `db:"started_at"`
	FinishedAt sql.NullTime `db:"finished_at"`
}

// Open reports whether the delivery's outcome is not settled (sending or retry).
func (d *Delivery) Open() bool { return d.State == DeliverySending || d.State == DeliveryRetry }

var (
	qDeliveryList      = NamedQuery("delivery-list")
	qDeliveryInsert    = NamedQuery("delivery-insert")
	qDeliveryResume    = NamedQuery("delivery-resume")
	qDeliverySet       = NamedQuery("delivery-set")
	qDeliveryOpenCount = NamedQuery("delivery-open-count")
)

// Deliveries lists the deliveries of one outbox row.
func (db *DB) Deliveries(ctx context.Context, q sqlx.QueryerContext, outboxID int64) ([]Delivery, error) {
	var out []Delivery
	err := db.sel(ctx, q, &out, qDeliveryList, outboxID)
	return out, err
}

// InsertDelivery records a first send on a channel, in state sending, and
// returns its id.
func (db *DB) InsertDelivery(ctx context.Context, x sqlx.ExecerContext, d *Delivery) error {
	res, err := db.exec(ctx, x, qDeliveryInsert, d.OutboxID, d.Channel, d.Recipient,
		d.TemplateID, d.SoleCredit, d.StartedAt)
	if err != nil {
		return err
	}
	d.ID, err = res.LastInsertId()
	d.State, d.Attempts = DeliverySending, 1
	return err
}

// ResumeDelivery records another send of an open delivery.
func (db *DB) ResumeDelivery(ctx context.Context, x sqlx.ExecerContext, id int64, inDoubt bool, now time.Time) error {
	_, err := db.exec(ctx, x, qDeliveryResume, inDoubt, now, id)
	return err
}

// SetDelivery records the outcome of a send.
func (db *DB) SetDelivery(ctx context.Context, x sqlx.ExecerContext, id int64, state string, inDoubt bool, lastError string, now time.Time) error {
	var fin sql.NullTime
	if state != DeliveryRetry && state != DeliverySending {
		fin = sql.NullTime{Time: now, Valid: true}
	}
	_, err := db.exec(ctx, x, qDeliverySet, state, inDoubt, clip(lastError, 500), fin, id)
	return err
}

// OtherOpenSubscribeDeliveries counts the subscribe deliveries to recipient with
// templateID, other than the one of outboxID, whose outcome is open.
func (db *DB) OtherOpenSubscribeDeliveries(ctx context.Context, q sqlx.QueryerContext, recipient, templateID string, outboxID int64) (int, error) {
	var n int
	err := db.get(ctx, q, &n, qDeliveryOpenCount, recipient, templateID, outboxID)
	return n, err
}
