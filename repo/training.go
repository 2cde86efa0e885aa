package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
)

// TrainingIntention is one row of training_intentions (培训意向).
type TrainingIntention struct {
	ID             int64        `db:"id"`
	CandidateID    int64        `db:"candidate_id"`
	Occupation     string       `db:"occupation"`
	Level          int          `db:"level"`
	City           string       `db:"city"`
	PreferredTime  string       `db:"preferred_time"`
	PhoneEnc       string       `db:"phone_enc"`
	Note           string       `db:"note"`
	ContactConsent bool         `db:"contact_consent"`
	ConsentAt      sql.NullTime `db:"consent_at"`
	CreatedAt      time.Time    `db:"created_at"`
	UpdatedAt      time.Time    `db:"updated_at"`
	// NoteCheck is WeChat's content check of Note (domain.ContentCheck).
	NoteCheck string `db:"note_check"`
}

// TrainingContact is an intention whose candidate agreed to be contacted, with
// the name of the candidate's bound identity ("" when none).
type TrainingContact struct {
	TrainingIntention
	Name string `db:"name"`
}

// TrainingCount is the number of intentions of one city, occupation and level,
// and how many of them agreed to be contacted.
type TrainingCount struct {
	City       string `db:"city"`
	Occupation string `db:"occupation"`
	Level      int    `db:"level"`
	Total      int    `db:"total"`
	Consented  int    `db:"consented"`
}

// ContactFilter narrows a city's contact list; zero values mean everything.
type ContactFilter struct {
	City       string
	Occupation string
	Level      int
}

func (f ContactFilter) args() []any {
	return []any{f.City, f.Occupation, f.Occupation, f.Level, f.Level}
}

// InstitutionCity is an institution with its city ("" when not set).
type InstitutionCity struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
	City string `db:"city"`
}

var (
	qTrainingInsert        = NamedQuery("training-insert")
	qTrainingGet           = NamedQuery("training-get")
	qTrainingByCandidate   = NamedQuery("training-list-by-candidate")
	qTrainingCountByCand   = NamedQuery("training-count-by-candidate")
	qTrainingDelete        = NamedQuery("training-delete")
	qTrainingCounts        = NamedQuery("training-counts")
	qTrainingContacts      = NamedQuery("training-contacts")
	qTrainingContactsCount = NamedQuery("training-contacts-count")
	qTrainingContactsAll   = NamedQuery("training-contacts-export")
	qInstCityGet           = NamedQuery("institution-city-get")
	qInstCityDelete        = NamedQuery("institution-city-delete")
	qInstCityInsert        = NamedQuery("institution-city-insert")
	qInstCityList          = NamedQuery("institution-city-list")
)

// InsertTrainingIntention inserts an intention inside tx and sets its ID.
func (db *DB) InsertTrainingIntention(ctx context.Context, tx *sqlx.Tx, t *TrainingIntention) error {
	res, err := db.exec(ctx, tx, qTrainingInsert, t.CandidateID, t.Occupation, t.Level, t.City,
		t.PreferredTime, t.PhoneEnc, t.Note, t.ContactConsent, t.ConsentAt, t.CreatedAt, t.UpdatedAt, t.NoteCheck)
	if err != nil {
		return err
	}
	t.ID, err = res.LastInsertId()
	return err
}

// GetTrainingIntention reads one intention; sql.ErrNoRows when unknown.
func (db *DB) GetTrainingIntention(ctx context.Context, q sqlx.QueryerContext, id int64) (TrainingIntention, error) {
	var t TrainingIntention
	err := db.get(ctx, q, &t, qTrainingGet, id)
	return t, err
}

// ListCandidateIntentions returns a candidate's intentions, newest first.
func (db *DB) ListCandidateIntentions(ctx context.Context, candidateID int64) ([]TrainingIntention, error) {
	out := []TrainingIntention{}
	err := db.sel(ctx, db.R, &out, qTrainingByCandidate, candidateID)
	return out, err
}

// CountCandidateIntentions counts a candidate's intentions.
func (db *DB) CountCandidateIntentions(ctx context.Context, q sqlx.QueryerContext, candidateID int64) (int, error) {
	var n int
	err := db.get(ctx, q, &n, qTrainingCountByCand, candidateID)
	return n, err
}

// DeleteTrainingIntention deletes one of a candidate's intentions; ok is false
// when the candidate has no such intention.
func (db *DB) DeleteTrainingIntention(ctx context.Context, candidateID, id int64) (bool, error) {
	res, err := db.exec(ctx, db.W, qTrainingDelete, id, candidateID)
	return affectedOne(res, err)
}

// TrainingCounts returns the counts by city, occupation and level of one city
// ("" for every city).
func (db *DB) TrainingCounts(ctx context.Context, city string) ([]TrainingCount, error) {
	out := []TrainingCount{}
	err := db.sel(ctx, db.R, &out, qTrainingCounts, city, city)
	return out, err
}

// EachTrainingContact calls fn for every consenting intention matching f,
// newest first, reading them as a stream (for the export: nothing is capped).
// fn's error stops the walk.
func (db *DB) EachTrainingContact(ctx context.Context, f ContactFilter, fn func(TrainingContact) error) error {
	return eachRow(ctx, db, qTrainingContactsAll, f.args(), fn)
}

// TrainingContacts returns one page of a city's consenting intentions, newest
// first, and the total.
func (db *DB) TrainingContacts(ctx context.Context, f ContactFilter, limit, offset int) ([]TrainingContact, int, error) {
	out := []TrainingContact{}
	if err := db.sel(ctx, db.R, &out, qTrainingContacts, append(f.args(), limit, offset)...); err != nil {
		return nil, 0, err
	}
	var n int
	err := db.get(ctx, db.R, &n, qTrainingContactsCount, f.args()...)
	return out, n, err
}

// InstitutionCity returns an institution's city; "" when none is set.
func (db *DB) InstitutionCity(ctx context.Context, institutionID int64) (string, error) {
	var city string
	err := db.get(ctx, db.R, &city, qInstCityGet, institutionID)
	if IsNoRows(err) {
		return "", nil
	}
	return city, err
}

// SetInstitutionCity sets (or, with "", clears) an institution's city inside tx.
func (db *DB) SetInstitutionCity(ctx context.Context, tx *sqlx.Tx, institutionID int64, city string, now time.Time) error {
	if _, err := db.exec(ctx, tx, qInstCityDelete, institutionID); err != nil {
		return err
	}
	if city == "" {
		return nil
	}
	_, err := db.exec(ctx, tx, qInstCityInsert, institutionID, city, now)
	return err
}

// ListInstitutionCities returns one page of institutions with their cities, by
// id, and the total.
func (db *DB) ListInstitutionCities(ctx context.Context, limit, offset int) ([]InstitutionCity, int, error) {
	out := []InstitutionCity{}
	if err := db.sel(ctx, db.R, &out, qInstCityList, limit, offset); err != nil {
		return nil, 0, err
	}
	var n int
	err := db.get(ctx, db.R, &n, qConsoleInstCount)
	return out, n, err
}

var qTrainingSetConsent = NamedQuery("training-set-consent")

// SetIntentionConsent gives (consentAt valid) or withdraws the consent of one of
// the candidate's intentions; false when there is no such intention of theirs.
func (db *DB) SetIntentionConsent(ctx context.Context, candidateID, id int64, consent bool, consentAt sql.NullTime, now time.Time) (bool, error) {
	res, err := db.exec(ctx, db.W, qTrainingSetConsent, consent, consentAt, now, id, candidateID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
