package repo

import (
	"context"
	"database/sql"
	"skillcert/domain"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qPrivacyConsents        = NamedQuery("privacy-consents")
	qPrivacyNotifications   = NamedQuery("privacy-notifications")
	qPrivacyRegEvents       = NamedQuery("privacy-registration-events")
	qPrivacyRegistrations   = NamedQuery("privacy-registrations")
	qPrivacyBlobs           = NamedQuery("privacy-attachment-blobs")
	qPrivacyAttachmentsDel  = NamedQuery("privacy-attachments-delete")
	qPrivacyResultsDel      = NamedQuery("privacy-results-delete")
	qPrivacyCertEventsDel   = NamedQuery("privacy-cert-events-delete")
	qPrivacyFeedbackUnlink  = NamedQuery("privacy-feedback-unlink-registration")
	qPrivacyRegDelete       = NamedQuery("privacy-registration-delete")
	qPrivacyRegForgetPhone  = NamedQuery("privacy-registration-forget-phone")
	qPrivacyDeliveriesDel   = NamedQuery("privacy-deliveries-delete")
	qPrivacyOutboxDel       = NamedQuery("privacy-outbox-delete")
	qPrivacyConsentsDel     = NamedQuery("privacy-consents-delete")
	qPrivacyCreditsDel      = NamedQuery("privacy-credits-delete")
	qPrivacySessions        = NamedQuery("privacy-sessions")
	qPrivacySessionsDel     = NamedQuery("privacy-sessions-delete")
	qPrivacyBindCodesDel    = NamedQuery("privacy-bind-codes-delete")
	qPrivacyFollowerOpenIDs = NamedQuery("privacy-follower-openids")
	qPrivacyConversationDel = NamedQuery("privacy-conversation-delete")
	qPrivacyInboundDel      = NamedQuery("privacy-inbound-delete")
	qPrivacyFollowersDel    = NamedQuery("privacy-followers-delete")
	qPrivacyTrainingDel     = NamedQuery("privacy-training-delete")
	qPrivacyFeedbackAnon    = NamedQuery("privacy-feedback-anonymise")
	qPrivacyCandUnlink      = NamedQuery("privacy-candidate-unlink")
	qPrivacyCandErase       = NamedQuery("privacy-candidate-erase-identity")
	qPrivacyDeletionInsert  = NamedQuery("privacy-deletion-insert")
	qPrivacyRoundsDel       = NamedQuery("privacy-rounds-delete")
	qPrivacyFlagsDel        = NamedQuery("privacy-flags-delete")
	qPrivacyCheckinsDel     = NamedQuery("privacy-exam-checkins-delete")
	qPrivacyExamSeatsDel    = NamedQuery("privacy-exam-seats-delete")
	qPrivacyTicketsDel      = NamedQuery("privacy-exam-tickets-delete")
	qPrivacySeatWatchesDel  = NamedQuery("privacy-seat-watches-delete")
	qPrivacyWebLoginsDel    = NamedQuery("privacy-web-logins-delete")
	qPrivacyFaceSessionsDel = NamedQuery("privacy-face-sessions-delete")
	qPrivacyVerificationDel = NamedQuery("privacy-verification-delete")
)

// Consent is one consent a candidate gave (privacy notice, subscriptions …).
type Consent struct {
	Kind       string    `db:"kind"`
	Version    string    `db:"version"`
	AcceptedAt time.Time `db:"accepted_at"`
}

// Consents returns a candidate's consents, oldest first.
func (db *DB) Consents(ctx context.Context, candidateID int64) ([]Consent, error) {
	var out []Consent
	err := db.sel(ctx, db.R, &out, qPrivacyConsents, candidateID)
	return out, err
}

// SentNotification is one notification event for a candidate and how it went.
type SentNotification struct {
	ID             int64         `db:"id"`
	Kind           string        `db:"event_kind"`
	RegistrationID sql.NullInt64 `db:"registration_id"`
	State          string        `db:"state"`
	Channel        string        `db:"channel"`
	CreatedAt      time.Time     `db:"created_at"`
	SentAt         sql.NullTime  `db:"sent_at"`
}

// CandidateNotifications returns the notification events of a candidate, oldest first.
func (db *DB) CandidateNotifications(ctx context.Context, candidateID int64) ([]SentNotification, error) {
	var out []SentNotification
	err := db.sel(ctx, db.R, &out, qPrivacyNotifications, candidateID)
	return out, err
}

// RegistrationEvent is an audited staff action on a registration (a review).
type RegistrationEvent struct {
	RegistrationID int64     `db:"object_id"`
	Action         string    `db:"action"`
	Detail         string    `db:"detail"`
	CreatedAt      time.Time `db:"created_at"`
}

// RegistrationEvents returns the audited actions on the given registrations.
func (db *DB) RegistrationEvents(ctx context.Context, registrationIDs []int64) ([]RegistrationEvent, error) {
	var out []RegistrationEvent
	err := db.selectIn(ctx, &out, qPrivacyRegEvents, registrationIDs)
	return out, err
}

// OwnedRegistration is a candidate's registration with what deciding whether it
// may be deleted needs.
type OwnedRegistration struct {
	ID       int64         `db:"id"`
	Status   domain.Status `db:"status"`
	SeatHeld bool          `db:"seat_held"`
	PlanID   int64         `db:"plan_id"`
	PlanNo   string        `db:"plan_no"`
	EvalEnd  string        `db:"eval_end"`
}

// OwnedRegistrations lists every registration of a candidate inside tx.
func (db *DB) OwnedRegistrations(ctx context.Context, tx *sqlx.Tx, candidateID int64) ([]OwnedRegistration, error) {
	var out []OwnedRegistration
	err := db.sel(ctx, tx, &out, qPrivacyRegistrations, candidateID)
	return out, err
}

// DeleteOwnedRegistration deletes a registration of the candidate with its
// attachment rows, results and certificate events inside tx, and unlinks the
// feedback that named it. It returns the blob keys its attachments used.
func (db *DB) DeleteOwnedRegistration(ctx context.Context, tx *sqlx.Tx, candidateID, id int64) ([]string, error) {
	var keys []string
	if err := db.sel(ctx, tx, &keys, qPrivacyBlobs, id); err != nil {
		return nil, err
	}
	for _, q := range []Query{qPrivacyAttachmentsDel, qPrivacyResultsDel, qPrivacyCertEventsDel, qPrivacyFeedbackUnlink,
		qPrivacyRoundsDel, qPrivacyFlagsDel, qPrivacyCheckinsDel, qPrivacyExamSeatsDel, qPrivacyTicketsDel} {
		if _, err := db.exec(ctx, tx, q, id); err != nil {
			return nil, err
		}
	}
	if _, err := db.exec(ctx, tx, qPrivacyRegDelete, id, candidateID); err != nil {
		return nil, err
	}
	return keys, nil
}

// AccountErasure says what deleting an account removes beyond its registrations.
type AccountErasure struct {
	CandidateID       int64
	Tombstone         string // the openid the account is left with (never a WeChat one)
	EraseIdentity     bool   // no registration is kept: the name and ID number go too
	KeptRegistrations int
	Now               time.Time
}

// EraseAccount removes, inside tx, everything that links the candidate to WeChat
// and every personal detail the certification process does not need: phones,
// consents, subscriptions, sessions, follower records and conversations,
// training intentions; feedback becomes anonymous. It returns the token hashes of
// the sessions it ended.
func (db *DB) EraseAccount(ctx context.Context, tx *sqlx.Tx, e AccountErasure) ([]string, error) {
	id := e.CandidateID
	var sessions, openids []string
	if err := db.sel(ctx, tx, &sessions, qPrivacySessions, id); err != nil {
		return nil, err
	}
	if err := db.sel(ctx, tx, &openids, qPrivacyFollowerOpenIDs, id); err != nil {
		return nil, err
	}
	for _, oa := range openids {
		for _, q := range []Query{qPrivacyConversationDel, qPrivacyInboundDel} {
			if _, err := db.exec(ctx, tx, q, oa); err != nil {
				return nil, err
			}
		}
	}
	for _, q := range []Query{qPrivacyRegForgetPhone, qPrivacyDeliveriesDel, qPrivacyOutboxDel, qPrivacyConsentsDel,
		qPrivacyCreditsDel, qPrivacySessionsDel, qPrivacyBindCodesDel, qPrivacyFollowersDel, qPrivacyTrainingDel,
		qPrivacyFeedbackAnon, qPrivacySeatWatchesDel, qPrivacyWebLoginsDel, qPrivacyFaceSessionsDel} {
		if _, err := db.exec(ctx, tx, q, id); err != nil {
			return nil, err
		}
	}
	if _, err := db.exec(ctx, tx, qPrivacyCandUnlink, e.Tombstone, e.Now, id); err != nil {
		return nil, err
	}
	if e.EraseIdentity {
		if _, err := db.exec(ctx, tx, qPrivacyCandErase, e.Now, id); err != nil {
			return nil, err
		}
		if _, err := db.exec(ctx, tx, qPrivacyVerificationDel, id); err != nil {
			return nil, err
		}
	}
	if err := db.recordRevocations(ctx, tx, sessions, e.Now); err != nil {
		return nil, err
	}
	_, err := db.exec(ctx, tx, qPrivacyDeletionInsert, id, e.Now, e.KeptRegistrations)
	return sessions, err
}
