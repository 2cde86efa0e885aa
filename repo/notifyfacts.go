package repo

import (
	"context"
	"skillcert/domain"

	"github.com/jmoiron/sqlx"
)

// EventFacts is what a message about a registration shows: the registration and
// its plan.
type EventFacts struct {
	RegistrationID  int64         `db:"registration_id"`
	Status          domain.Status `db:"status"`
	ReviewNote      string        `db:"review_note"`
	CertNo          string        `db:"cert_no"`
	CertStage       string        `db:"cert_stage"`
	PlanID          int64         `db:"plan_id"`
	PlanNo          string        `db:"plan_no"`
	PlanName        string        `db:"plan_name"`
	OccupationName  string        `db:"occupation_name"`
	WorkType        string        `db:"work_type"`
	Level           int           `db:"level"`
	City            string        `db:"city"`
	District        string        `db:"district"`
	Address         string        `db:"address"`
	EvalStart       string        `db:"eval_start"`
	EvalEnd         string        `db:"eval_end"`
	PlanState       string        `db:"plan_state"`
	ContactPhone    string        `db:"contact_phone"`
	InstitutionName string        `db:"institution_name"`
}

var qNotifyEventFacts = NamedQuery("notify-event-facts")

// RegistrationFacts reads the facts of a registration and its plan.
func (db *DB) RegistrationFacts(ctx context.Context, q sqlx.QueryerContext, registrationID int64) (EventFacts, error) {
	var f EventFacts
	err := db.get(ctx, q, &f, qNotifyEventFacts, registrationID)
	return f, err
}
