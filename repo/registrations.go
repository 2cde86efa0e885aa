package repo

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"skillcert/domain"

	"github.com/jmoiron/sqlx"
)

// Registration is one row of registrations. PhoneEnc is sealed (pii.Sealer).
type Registration struct {
	ID                   int64          `db:"id"`
	PlanID               int64          `db:"plan_id"`
	CandidateID          int64          `db:"candidate_id"`
	CodeID               sql.NullInt64  `db:"code_id"`
	IDNumberIdx          string         `db:"id_number_idx"`
	Status               domain.Status  `db:"status"`
	Basis                string         `db:"basis"`
	Education            string         `db:"education"`
	YearsInOccupation    sql.NullInt64  `db:"years_in_occupation"`
	CandidateSource      string         `db:"candidate_source"`
	LaborRelation        string         `db:"labor_relation"`
	PhoneEnc             sql.NullString `db:"phone_enc"`
	Employer             string         `db:"employer"`
	CommitmentAcceptedAt sql.NullTime   `db:"commitment_accepted_at"`
	EmployerMismatch     bool           `db:"employer_mismatch"`
	SeatHeld             bool           `db:"seat_held"`
	SubmittedAt          sql.NullTime   `db:"submitted_at"`
	ReviewedAt           sql.NullTime   `db:"reviewed_at"`
	ReviewNote           string         `db:"review_note"`
	ReturnFields         string         `db:"return_fields"`
	CancelledAt          sql.NullTime   `db:"cancelled_at"`
	CreatedAt            time.Time      `db:"created_at"`
	UpdatedAt            time.Time      `db:"updated_at"`
	// Version counts the writes to the row (migration 00033); read by
	// registration-get and registration-lock only.
	Version int64 `db:"version"`
}

// NewRegistration is what creating a draft writes.
type NewRegistration struct {
	PlanID      int64
	CandidateID int64
	CodeID      int64
	IDNumberIdx string
	PhoneEnc    string // sealed; "" when the candidate has no phone yet
}

// RegistrationForm is what saving the form writes.
type RegistrationForm struct {
	Basis                string
	Education            string
	YearsInOccupation    sql.NullInt64
	CandidateSource      string
	LaborRelation        string
	PhoneEnc             sql.NullString
	Employer             string
	CommitmentAcceptedAt sql.NullTime
	EmployerMismatch     bool
}

// StatusChange is what a status change writes; From guards it.
type StatusChange struct {
	From, To    domain.Status
	SeatHeld    bool
	IDNumberIdx string
	// IDTailIdx is the keyed hash of the ID number's last four characters
	// (SetIDTail) written with the change; "" leaves the registration's.
	IDTailIdx   string
	SubmittedAt sql.NullTime
	CancelledAt sql.NullTime
	// Pin, when set, makes the change conditional on the registration and the
	// candidate being still what the caller read (and checked its rules on).
	Pin *SubmitPin
}

// SubmitPin is what a status change checks in its own statement: the
// registration's version and the candidate's identity as a submit read them
// before its transaction (what it checked, and what its answer shows). A
// registration or an identity changed meanwhile fails the change (ok false),
// never passes unchecked.
type SubmitPin struct {
	Version     int64
	CandidateID int64
	IDNumberIdx string
	BirthDate   string
	VerifyState string
	Name        string
	IDType      string
	Gender      string
}

var (
	qRegInsert          = NamedQuery("registration-insert")
	qRegSetStatusPinned = NamedQuery("registration-set-status-pinned")
	qRegGet             = NamedQuery("registration-get")
	qRegGetMany         = NamedQuery("registration-get-many")
	qRegLock            = NamedQuery("registration-lock")
	qRegIDByPlanCand    = NamedQuery("registration-id-by-plan-candidate")
	qRegListByCand      = NamedQuery("registration-list-by-candidate")
	qRegCountByCand     = NamedQuery("registration-count-by-candidate")
	qRegSaveForm        = NamedQuery("registration-save-form")
	qRegSetStatus       = NamedQuery("registration-set-status")
	qRegTouch           = NamedQuery("registration-touch")
	qPlanSeatTake       = NamedQuery("plan-seat-take")
	qPlanSeatFree       = NamedQuery("plan-seat-free")
	qPlanActivity       = NamedQuery("plan-activity-touch")
	qPlanSeatsTakenOf   = NamedQuery("plan-seats-taken")
)

// InsertRegistration creates a draft and returns its id (a unique violation when
// the candidate, or the ID number, already has a registration on the plan).
func (db *DB) InsertRegistration(ctx context.Context, x sqlx.ExecerContext, r NewRegistration, now time.Time) (int64, error) {
	code := sql.NullInt64{Int64: r.CodeID, Valid: r.CodeID != 0}
	phone := sql.NullString{String: r.PhoneEnc, Valid: r.PhoneEnc != ""}
	res, err := db.exec(ctx, x, qRegInsert, r.PlanID, r.CandidateID, code, r.IDNumberIdx, phone, now, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// GetRegistration reads a registration; sql.ErrNoRows when there is none.
func (db *DB) GetRegistration(ctx context.Context, q sqlx.QueryerContext, id int64) (Registration, error) {
	var r Registration
	err := db.get(ctx, q, &r, qRegGet, id)
	return r, err
}

// GetRegistrations reads the registrations of ids that exist, in no
// particular order, in one statement.
func (db *DB) GetRegistrations(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]Registration, error) {
	out := []Registration{}
	if len(ids) == 0 {
		return out, nil
	}
	err := db.selIn(ctx, q, &out, qRegGetMany, ids)
	return out, err
}

// LockRegistration reads a registration inside tx and keeps it locked until the
// transaction ends (FOR UPDATE on MySQL; SQLite holds its write lock already).
func (db *DB) LockRegistration(ctx context.Context, tx *sqlx.Tx, id int64) (Registration, error) {
	var r Registration
	err := db.get(ctx, tx, &r, qRegLock, id)
	return r, err
}

// RegistrationIDByPlanCandidate finds a candidate's registration on a plan;
// sql.ErrNoRows when there is none.
func (db *DB) RegistrationIDByPlanCandidate(ctx context.Context, q sqlx.QueryerContext, planID, candidateID int64) (int64, error) {
	var id int64
	err := db.get(ctx, q, &id, qRegIDByPlanCand, planID, candidateID)
	return id, err
}

// ListCandidateRegistrations returns one page of a candidate's registrations,
// newest first, and how many there are in all.
func (db *DB) ListCandidateRegistrations(ctx context.Context, candidateID int64, limit, offset int) ([]Registration, int, error) {
	var total int
	if err := db.get(ctx, db.R, &total, qRegCountByCand, candidateID); err != nil {
		return nil, 0, err
	}
	out := []Registration{}
	err := db.sel(ctx, db.R, &out, qRegListByCand, candidateID, limit, offset)
	return out, total, err
}

// SaveRegistrationForm writes the form fields of a registration inside tx.
func (db *DB) SaveRegistrationForm(ctx context.Context, tx *sqlx.Tx, id int64, f RegistrationForm, now time.Time) error {
	_, err := db.exec(ctx, tx, qRegSaveForm, f.Basis, f.Education, f.YearsInOccupation,
		f.CandidateSource, f.LaborRelation, f.PhoneEnc, f.Employer, f.CommitmentAcceptedAt,
		f.EmployerMismatch, now, id)
	return err
}

// SetRegistrationStatus changes a registration's status inside tx if it is still
// in ch.From (and, with ch.Pin, if it and the candidate's identity are still
// as pinned); ok is false when it was not.
func (db *DB) SetRegistrationStatus(ctx context.Context, tx *sqlx.Tx, id int64, ch StatusChange, now time.Time) (bool, error) {
	args := []any{ch.To, ch.SeatHeld, ch.IDNumberIdx, ch.IDTailIdx, ch.SubmittedAt, ch.CancelledAt, now, id, ch.From}
	q := qRegSetStatus
	if p := ch.Pin; p != nil {
		q = qRegSetStatusPinned
		args = append(args, p.Version, p.CandidateID, p.IDNumberIdx, p.BirthDate, p.VerifyState,
			p.Name, p.IDType, p.Gender)
	}
	return affectedOne(db.exec(ctx, tx, q, args...))
}

// TouchPlanActivity moves a plan's activity (the console's 最近有动态 order) to
// now, never back: a registration of the plan changed status without taking or
// freeing a seat (TakeSeat and FreeSeat move it themselves).
func (db *DB) TouchPlanActivity(ctx context.Context, x sqlx.ExecerContext, planID int64, now time.Time) error {
	_, err := db.exec(ctx, x, qPlanActivity, now, planID, now)
	return err
}

// TouchRegistration moves a registration's updated_at (its attachments changed).
func (db *DB) TouchRegistration(ctx context.Context, tx *sqlx.Tx, id int64, now time.Time) error {
	_, err := db.exec(ctx, tx, qRegTouch, now, id)
	return err
}

// TakeSeat takes one seat of a published plan inside tx; ok is false when none is
// left (or the plan is not published). It is a single conditional UPDATE, so the
// plan's maximum holds on both engines whatever the concurrency. The caller
// records the change in the plan change feed (RecordPlanChange) in the same
// transaction: a group of submits records one entry for all its seats.
func (db *DB) TakeSeat(ctx context.Context, tx *sqlx.Tx, planID int64, now time.Time) (bool, error) {
	return affectedOne(db.exec(ctx, tx, qPlanSeatTake, now, now, now, planID))
}

// FreeSeat gives one seat of a plan back inside tx (and records the change).
func (db *DB) FreeSeat(ctx context.Context, tx *sqlx.Tx, planID int64, now time.Time) error {
	ok, err := affectedOne(db.exec(ctx, tx, qPlanSeatFree, now, now, now, planID))
	if ok && err == nil {
		err = db.RecordPlanChange(ctx, tx, planID, now)
	}
	return err
}

// SeatsTaken reads a plan's seat count.
func (db *DB) SeatsTaken(ctx context.Context, q sqlx.QueryerContext, planID int64) (int, error) {
	var n int
	err := db.get(ctx, q, &n, qPlanSeatsTakenOf, planID)
	return n, err
}

func affectedOne(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

var (
	qRegCodeFind = NamedQuery("registration-code-find")
	qRegCodeUsed = NamedQuery("registration-code-used")
)

// UsableCode is a registration code that may be used now, and its plan.
type UsableCode struct {
	ID     int64 `db:"id"`
	PlanID int64 `db:"plan_id"`
}

// FindUsableCode finds an active, unexpired registration code by its normalised
// text; sql.ErrNoRows when there is none.
func (db *DB) FindUsableCode(ctx context.Context, code string, now time.Time) (UsableCode, error) {
	var c UsableCode
	err := db.get(ctx, db.R, &c, qRegCodeFind, code, now)
	return c, err
}

// CountCodeUse counts one registration made with a code inside tx.
func (db *DB) CountCodeUse(ctx context.Context, tx *sqlx.Tx, codeID int64) error {
	_, err := db.exec(ctx, tx, qRegCodeUsed, codeID)
	return err
}

var qRegSeatState = NamedQuery("registration-seat-state")

// SeatState is a registration's owner and status with its plan's seats and window.
type SeatState struct {
	CandidateID int64         `db:"candidate_id"`
	Status      domain.Status `db:"status"`
	PlanID      int64         `db:"plan_id"`
	PlanState   string        `db:"plan_state"`
	SeatsTaken  int           `db:"seats_taken"`
	SeatsTotal  int           `db:"seats_total"`
	RegDeadline string        `db:"reg_deadline"`
}

// RegistrationSeatState reads a registration's SeatState from committed data;
// sql.ErrNoRows when there is no such registration.
func (db *DB) RegistrationSeatState(ctx context.Context, id int64) (SeatState, error) {
	var s SeatState
	err := db.getPrepared(ctx, &s, qRegSeatState, id)
	return s, err
}

var (
	qPlanSeatsTake   = NamedQuery("plan-seats-take")
	qPlanSeatsLock   = NamedQuery("plan-seats-lock")
	qRegSubmitMany   = NamedQuery("registration-submit-many")
	errSubmitManyRow = errors.New("registration-submit-many: its row is not in the text exactly once")
)

// submitManyRow is the row of registration-submit-many's table of pins, and
// how the store repeats it: a VALUES row on SQLite, a SELECT unioned on MySQL.
func (db *DB) submitManyRow() (row, sep string) {
	if db.Dialect == MySQL {
		return "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", " UNION ALL "
	}
	return "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ", "
}

// PlanSeats is a plan's seat count, its maximum and its state, read under the
// plan's lock (LockPlanSeats).
type PlanSeats struct {
	Taken int    `db:"seats_taken"`
	Total int    `db:"seats_total"`
	State string `db:"state"`
}

// LockPlanSeats reads a plan's seats inside tx and, on MySQL, locks its row
// until tx ends (SQLite's write transactions hold the one writer already), so
// that the seats a caller then takes with TakeSeats are still free.
func (db *DB) LockPlanSeats(ctx context.Context, tx *sqlx.Tx, planID int64) (PlanSeats, error) {
	var s PlanSeats
	err := db.get(ctx, tx, &s, qPlanSeatsLock, planID)
	return s, err
}

// TakeSeats takes n seats of a published plan inside tx, all or none (ok
// false: fewer than n left, or the plan is not published). The caller records
// the change in the plan change feed, as with TakeSeat.
func (db *DB) TakeSeats(ctx context.Context, tx *sqlx.Tx, planID int64, n int, now time.Time) (bool, error) {
	return affectedOne(db.exec(ctx, tx, qPlanSeatsTake, n, now, now, now, planID, n))
}

// SubmitManyRow is one registration of SubmitMany: the registration, the version
// it was read at, and the candidate's identity as checked and written (the pin
// of SubmitPin), with the ID number's tail hash and the time it is submitted
// at (also its updated_at).
type SubmitManyRow struct {
	RegistrationID int64
	Pin            SubmitPin
	IDTailIdx      string
	At             time.Time
}

// SubmitMany changes many registrations of one status to another in one
// statement, each pinned as SetRegistrationStatus pins one (StatusChange.Pin):
// it writes the pin's ID number blind index and the row's tail hash, marks the
// seat held as to holds one, and sets submitted_at and updated_at to the
// row's At. It returns how many registrations changed; one whose pin failed
// is left as it was, so a count short of len(rows) tells the caller to look
// again.
func (db *DB) SubmitMany(ctx context.Context, tx *sqlx.Tx, rows []SubmitManyRow, from, to domain.Status) (int, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	text, args, err := db.submitManyStatement(rows, from, to)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, text, args...)
	if err != nil {
		return 0, wrapQuery(qRegSubmitMany, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// submitManyStatement is SubmitMany's statement: registration-submit-many
// with its row of pins repeated for rows, and its arguments.
func (db *DB) submitManyStatement(rows []SubmitManyRow, from, to domain.Status) (string, []any, error) {
	text := db.Q.SQL(qRegSubmitMany)
	row, sep := db.submitManyRow()
	if strings.Count(text, row) != 1 {
		return "", nil, errSubmitManyRow
	}
	text = strings.Replace(text, row, strings.TrimSuffix(strings.Repeat(row+sep, len(rows)), sep), 1)
	args := make([]any, 0, len(rows)*11+3)
	for _, r := range rows {
		p := r.Pin
		args = append(args, r.RegistrationID, p.Version, p.CandidateID, p.IDNumberIdx, r.IDTailIdx,
			p.BirthDate, p.VerifyState, p.Name, p.IDType, p.Gender, r.At)
	}
	args = append(args, to, to.HoldsSeat(), from)
	return text, args, nil
}
