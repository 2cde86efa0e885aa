package repo

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
)

// Outbox row states. A row waits in OutboxPending (claimed or not) until it reaches
// one of the terminal states.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"     // delivered on Channel
	OutboxAppOnly = "app_only" // no WeChat channel: the candidate sees it in the app only
	OutboxFailed  = "failed"   // given up: visible to admins, can be requeued
	OutboxSkipped = "skipped"  // no longer relevant when its turn came (e.g. a reminder for a cancelled registration)
)

// OutboxRow is one outbox row as the dispatcher reads it.
type OutboxRow struct {
	ID             int64         `db:"id"`
	Kind           string        `db:"event_kind"`
	DedupeKey      string        `db:"dedupe_key"`
	CandidateID    sql.NullInt64 `db:"candidate_id"`
	RegistrationID sql.NullInt64 `db:"registration_id"`
	PlanID         sql.NullInt64 `db:"plan_id"`
	Payload        string        `db:"payload"`
	State          string        `db:"state"`
	Channel        string        `db:"channel"`
	Attempts       int           `db:"attempts"`
	NextAttemptAt  time.Time     `db:"next_attempt_at"`
	ClaimedBy      string        `db:"claimed_by"`
	ClaimedUntil   sql.NullTime  `db:"claimed_until"`
	LastError      string        `db:"last_error"`
	CreatedAt      time.Time     `db:"created_at"`
	SentAt         sql.NullTime  `db:"sent_at"`
}

// ErrClaimLost means the caller no longer holds the claim on an outbox row (its
// lease ended and another dispatcher took it): it must leave the row alone.
var ErrClaimLost = errors.New("outbox claim lost")

var (
	qOutboxClaimDue    = NamedQuery("outbox-claim-due")
	qOutboxClaimMark   = NamedQuery("outbox-claim-mark")
	qOutboxClaimed     = NamedQuery("outbox-claimed")
	qOutboxGet         = NamedQuery("outbox-get")
	qOutboxTouch       = NamedQuery("outbox-touch-attempt")
	qOutboxFinish      = NamedQuery("outbox-finish")
	qOutboxReschedule  = NamedQuery("outbox-reschedule")
	qOutboxFailedCount = NamedQuery("outbox-failed-count")
	qOutboxFailedList  = NamedQuery("outbox-failed-list")
	qOutboxRequeue     = NamedQuery("outbox-requeue")
	qDeliveryRequeue   = NamedQuery("delivery-requeue")
	qOutboxDepth       = NamedQuery("outbox-depth")
	qOutboxRenew       = NamedQuery("outbox-claims-renew")
	qOutboxReleasePrev = NamedQuery("outbox-claims-release-previous")
)

// ClaimOutbox claims up to limit due rows for token until leaseEnd, in one short
// transaction, and returns them. On MySQL several dispatchers claim at once
// (SELECT … FOR UPDATE SKIP LOCKED); on SQLite the single writer connection
// serialises claimers. A claimed row stays pending with next_attempt_at at the end
// of the lease, so the rows of a claimer that dies become due again by themselves.
func (db *DB) ClaimOutbox(ctx context.Context, token string, now, leaseEnd time.Time, limit int) ([]OutboxRow, error) {
	var rows []OutboxRow
	err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		var ids []int64
		if err := db.sel(ctx, tx, &ids, qOutboxClaimDue, now, limit); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := db.execIn(ctx, tx, qOutboxClaimMark, token, leaseEnd, leaseEnd, ids); err != nil {
			return err
		}
		return db.selIn(ctx, tx, &rows, qOutboxClaimed, ids, token)
	})
	return rows, err
}

// RenewOutboxClaims extends to until the claims on the rows ids held by any of
// tokens (a dispatcher's heartbeat) and returns how many rows it extended.
func (db *DB) RenewOutboxClaims(ctx context.Context, ids []int64, tokens []string, until time.Time) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res, err := db.execIn(ctx, db.W, qOutboxRenew, until, until, ids, tokens)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ReleasePreviousClaims makes due at now the pending rows claimed by tokens that
// start with name but not with current: the claims a dispatcher's previous run
// left when it stopped without handing them back. It returns how many.
func (db *DB) ReleasePreviousClaims(ctx context.Context, name, current string, now time.Time) (int64, error) {
	res, err := db.exec(ctx, db.W, qOutboxReleasePrev, now,
		len([]rune(name)), name, len([]rune(current)), current)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// GetOutbox reads one outbox row.
func (db *DB) GetOutbox(ctx context.Context, q sqlx.QueryerContext, id int64) (OutboxRow, error) {
	var r OutboxRow
	err := db.get(ctx, q, &r, qOutboxGet, id)
	return r, err
}

// TouchOutboxAttempt counts one send attempt of a claimed row; ErrClaimLost when
// token no longer holds it.
func (db *DB) TouchOutboxAttempt(ctx context.Context, x sqlx.ExecerContext, id int64, token string) error {
	return claimed(db.exec(ctx, x, qOutboxTouch, id, token))
}

// OutboxResult is how a claimed row ends: a terminal state with its channel.
type OutboxResult struct {
	State     string
	Channel   string
	LastError string
}

// FinishOutbox puts a claimed row into a terminal state and releases the claim;
// ErrClaimLost when token no longer holds it.
func (db *DB) FinishOutbox(ctx context.Context, x sqlx.ExecerContext, id int64, token string, r OutboxResult, now time.Time) error {
	var sent sql.NullTime
	if r.State == OutboxSent {
		sent = sql.NullTime{Time: now, Valid: true}
	}
	return claimed(db.exec(ctx, x, qOutboxFinish, r.State, r.Channel, clip(r.LastError, 500),
		sent, now, id, token))
}

// RescheduleOutbox releases a claimed row to be tried again at next; ErrClaimLost
// when token no longer holds it.
func (db *DB) RescheduleOutbox(ctx context.Context, x sqlx.ExecerContext, id int64, token string, next time.Time, lastError string) error {
	return claimed(db.exec(ctx, x, qOutboxReschedule, next, clip(lastError, 500), id, token))
}

// FailedOutbox lists the rows the dispatcher gave up on, newest first.
func (db *DB) FailedOutbox(ctx context.Context, limit, offset int) ([]OutboxRow, int, error) {
	var n int
	if err := db.get(ctx, db.R, &n, qOutboxFailedCount); err != nil {
		return nil, 0, err
	}
	rows := []OutboxRow{}
	err := db.sel(ctx, db.R, &rows, qOutboxFailedList, limit, offset)
	return rows, n, err
}

// RequeueOutbox puts a failed row back in the queue, due at now, with its failed
// deliveries open again; false when the row is not failed.
func (db *DB) RequeueOutbox(ctx context.Context, id int64, now time.Time) (bool, error) {
	ok := false
	err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		res, err := db.exec(ctx, tx, qOutboxRequeue, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		ok = true
		_, err = db.exec(ctx, tx, qDeliveryRequeue, id)
		return err
	})
	return ok, err
}

// OutboxDepth is the number of rows per event kind and state (pending, failed).
type OutboxDepth struct {
	Kind  string `db:"event_kind"`
	State string `db:"state"`
	N     int    `db:"n"`
}

// OutboxDepths counts pending and failed rows by event kind.
func (db *DB) OutboxDepths(ctx context.Context) ([]OutboxDepth, error) {
	var out []OutboxDepth
	err := db.sel(ctx, db.R, &out, qOutboxDepth)
	return out, err
}

// claimed turns the result of a claim-guarded update into ErrClaimLost when it
// matched no row. (Every such update changes claimed_by or attempts, so MySQL's
// "rows changed" count is the rows matched.)
func claimed(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrClaimLost
	}
	return nil
}

// clip cuts s to at most n bytes on a character boundary (for VARCHAR columns).
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
