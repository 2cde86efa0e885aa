package repo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Plan is one row of plans joined with its institution's name.
type Plan struct {
	ID                int64        `db:"id"`
	PlanNo            string       `db:"plan_no"`
	PlanName          string       `db:"plan_name"`
	InstitutionID     int64        `db:"institution_id"`
	InstitutionName   string       `db:"institution_name"`
	OccupationName    string       `db:"occupation_name"`
	WorkType          string       `db:"work_type"`
	Level             int          `db:"level"`
	SeatsTotal        int          `db:"seats_total"`
	SeatsTaken        int          `db:"seats_taken"`
	City              string       `db:"city"`
	District          string       `db:"district"`
	Address           string       `db:"address"`
	RegStart          string       `db:"reg_start"`
	RegDeadline       string       `db:"reg_deadline"`
	EvalStart         string       `db:"eval_start"`
	EvalEnd           string       `db:"eval_end"`
	ContactName       string       `db:"contact_name"`
	ContactPhone      string       `db:"contact_phone"`
	SupervisionRegion string       `db:"supervision_region"`
	State             string       `db:"state"`
	PublishedAt       sql.NullTime `db:"published_at"`
	CreatedAt         time.Time    `db:"created_at"`
	UpdatedAt         time.Time    `db:"updated_at"`
}

// Plan states as stored.
const (
	PlanDraft     = "draft"
	PlanPublished = "published"
	PlanClosed    = "closed"
	PlanCancelled = "cancelled"
)

// Institution is one evaluation institution (评价机构).
type Institution struct {
	ID           int64     `db:"id"`
	Name         string    `db:"name"`
	ContactName  string    `db:"contact_name"`
	ContactPhone string    `db:"contact_phone"`
	Address      string    `db:"address"`
	CreatedAt    time.Time `db:"created_at"`
	UpdatedAt    time.Time `db:"updated_at"`
}

var (
	qPlanGet       = NamedQuery("plan-get")
	qPlanGetByNo   = NamedQuery("plan-get-by-no")
	qPlanInsert    = NamedQuery("plan-insert")
	qPlanMaxID     = NamedQuery("plan-max-id")
	qPlanCount     = NamedQuery("plan-count")
	qInstInsert    = NamedQuery("institution-insert")
	qInstGetByName = NamedQuery("institution-get-by-name")
	qInstGet       = NamedQuery("institution-get")
)

// GetPlan returns one plan; sql.ErrNoRows when unknown.
func (db *DB) GetPlan(ctx context.Context, q sqlx.QueryerContext, id int64) (Plan, error) {
	var p Plan
	err := db.get(ctx, q, &p, qPlanGet, id)
	return p, err
}

// GetPlanByNo returns one plan by its number; sql.ErrNoRows when unknown.
func (db *DB) GetPlanByNo(ctx context.Context, q sqlx.QueryerContext, no string) (Plan, error) {
	var p Plan
	err := db.get(ctx, q, &p, qPlanGetByNo, no)
	return p, err
}

// CountPlans counts every plan, published or not.
func (db *DB) CountPlans(ctx context.Context) (int, error) {
	var n int
	err := db.get(ctx, db.R, &n, qPlanCount)
	return n, err
}

func planArgs(p *Plan) []any {
	var pub any
	if p.PublishedAt.Valid {
		pub = p.PublishedAt.Time
	}
	return []any{p.PlanNo, p.PlanName, p.InstitutionID, p.OccupationName, p.WorkType, p.Level,
		p.SeatsTotal, p.SeatsTaken, p.City, p.District, p.Address, p.RegStart, p.RegDeadline,
		p.EvalStart, p.EvalEnd, p.ContactName, p.ContactPhone, p.SupervisionRegion, p.State,
		pub, p.CreatedAt, p.UpdatedAt, p.UpdatedAt}
}

// InsertPlan inserts one plan and sets its ID; inside a transaction, the new
// plan is recorded in the plan change feed with it.
func (db *DB) InsertPlan(ctx context.Context, x sqlx.ExecerContext, p *Plan) error {
	res, err := db.exec(ctx, x, qPlanInsert, planArgs(p)...)
	if err != nil {
		return err
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := db.writePlanGrams(ctx, x, p); err != nil {
		return err
	}
	return db.RecordPlanChange(ctx, x, p.ID, p.UpdatedAt)
}

// InsertPlansBulk inserts many plans quickly with multi-row INSERTs inside one
// transaction (demo data, imports, the bench). The statement is built from the
// named plan-insert block, so the column list has one source.
func (db *DB) InsertPlansBulk(ctx context.Context, plans []Plan) error {
	base := db.Q.SQL(qPlanInsert)
	head, one, ok := strings.Cut(base, "VALUES")
	if !ok {
		return fmt.Errorf("plan-insert has no VALUES clause")
	}
	one = strings.TrimSpace(one)
	const batch = 400
	return db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		var below int64 // the largest plan id before these
		if err := db.get(ctx, tx, &below, qPlanMaxID); err != nil {
			return err
		}
		for start := 0; start < len(plans); start += batch {
			end := min(start+batch, len(plans))
			var sb strings.Builder
			sb.WriteString(head)
			sb.WriteString("VALUES ")
			args := make([]any, 0, (end-start)*23)
			for i := start; i < end; i++ {
				if i > start {
					sb.WriteString(", ")
				}
				sb.WriteString(one)
				args = append(args, planArgs(&plans[i])...)
			}
			if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
				return fmt.Errorf("bulk insert plans: %w", err)
			}
		}
		// Their search grams, a few thousand plans a statement.
		var above int64
		if err := db.get(ctx, tx, &above, qPlanMaxID); err != nil {
			return err
		}
		for lo := below + 1; lo <= above; lo += 5000 {
			if err := db.fillPlanGrams(ctx, tx, lo, min(lo+4999, above)); err != nil {
				return fmt.Errorf("bulk insert plans' grams: %w", err)
			}
		}
		// One feed entry for the lot: every replica reloads all plans.
		return db.RecordPlanChange(ctx, tx, 0, Now())
	})
}

// InsertInstitution inserts one institution and sets its ID.
func (db *DB) InsertInstitution(ctx context.Context, x sqlx.ExecerContext, in *Institution) error {
	res, err := db.exec(ctx, x, qInstInsert, in.Name, in.ContactName, in.ContactPhone,
		in.Address, in.CreatedAt, in.UpdatedAt)
	if err != nil {
		return err
	}
	in.ID, err = res.LastInsertId()
	return err
}

// GetInstitutionByName returns an institution by its exact name; sql.ErrNoRows when unknown.
func (db *DB) GetInstitutionByName(ctx context.Context, q sqlx.QueryerContext, name string) (Institution, error) {
	var in Institution
	err := db.get(ctx, q, &in, qInstGetByName, name)
	return in, err
}

// GetInstitution returns an institution by id; sql.ErrNoRows when unknown.
func (db *DB) GetInstitution(ctx context.Context, q sqlx.QueryerContext, id int64) (Institution, error) {
	var in Institution
	err := db.get(ctx, q, &in, qInstGet, id)
	return in, err
}
