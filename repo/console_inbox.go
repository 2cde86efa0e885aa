package repo

import (
	"context"
	"database/sql"
)

var (
	qConsoleInboxList  = NamedQuery("console-inbox-list")
	qConsoleInboxCount = NamedQuery("console-inbox-count")
	qConsoleAttachKeys = NamedQuery("console-attachment-keys")
)

// InboxRow is one registration waiting for review, with its plan's name.
type InboxRow struct {
	ID               int64          `db:"id"`
	PlanID           int64          `db:"plan_id"`
	PlanNo           string         `db:"plan_no"`
	PlanName         string         `db:"plan_name"`
	Basis            string         `db:"basis"`
	Education        string         `db:"education"`
	EmployerMismatch bool           `db:"employer_mismatch"`
	SubmittedAt      sql.NullTime   `db:"submitted_at"`
	Name             string         `db:"name"`
	IDType           string         `db:"id_type"`
	IDNumberEnc      sql.NullString `db:"id_number_enc"`
}

// ListInbox returns one page of the registrations waiting for review in the plans
// of an institution, oldest submission first, and their total.
func (db *DB) ListInbox(ctx context.Context, institutionID int64, limit, offset int) ([]InboxRow, int, error) {
	out := []InboxRow{}
	if err := db.sel(ctx, db.R, &out, qConsoleInboxList, institutionID, limit, offset); err != nil {
		return nil, 0, err
	}
	var n int
	err := db.get(ctx, db.R, &n, qConsoleInboxCount, institutionID)
	return out, n, err
}

// AttachmentKeys returns the checklist item keys uploaded for each registration given.
func (db *DB) AttachmentKeys(ctx context.Context, registrationIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(registrationIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		RegistrationID int64  `db:"registration_id"`
		ItemKey        string `db:"item_key"`
	}
	if err := db.selIn(ctx, db.R, &rows, qConsoleAttachKeys, registrationIDs); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.RegistrationID] = append(out[r.RegistrationID], r.ItemKey)
	}
	return out, nil
}

var qConsolePlanAttachments = NamedQuery("console-plan-attachments")

// PlanAttachment is an attachment of a plan's registration with its candidate's name.
type PlanAttachment struct {
	Attachment
	Name string `db:"name"`
}

// ListPlanAttachments returns every attachment of a plan's registrations (not
// drafts'), registration by registration in submission order.
func (db *DB) ListPlanAttachments(ctx context.Context, planID int64) ([]PlanAttachment, error) {
	out := []PlanAttachment{}
	err := db.sel(ctx, db.R, &out, qConsolePlanAttachments, planID)
	return out, err
}
