// Package notifytest builds the rows notification and certificate tests (and the
// dispatch bench) need: plans, candidates, registrations, outbox events,
// followers, results and certificate stages, written straight to the database.
package notifytest

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/repo"
)

// Open opens dsn (a SQLite path or a MySQL DSN), migrates it and checks that
// every named query prepares.
func Open(ctx context.Context, dsn string, maxConns int) (*repo.DB, error) {
	db, err := repo.Open(ctx, dsn, repo.Options{MaxOpenConns: maxConns})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, nil); err == nil {
		err = db.Check(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// PlanSpec is a plan to create; zero fields take plausible values.
type PlanSpec struct {
	No, Occupation       string
	Level                int
	EvalStart, EvalEnd   string // YYYY-MM-DD
	City, District, Addr string
	State                string // repo.PlanPublished when empty
}

// Plan creates an institution (once per name) and a plan, and returns its id.
func Plan(ctx context.Context, db *repo.DB, s PlanSpec) (int64, error) {
	now := repo.Now()
	inst, err := db.GetInstitutionByName(ctx, db.W, "广东岭南现代技师学院")
	if repo.IsNoRows(err) {
		inst = repo.Institution{Name: "广东岭南现代技师学院", ContactName: "林老师", ContactPhone: "020-12345678",
			CreatedAt: now, UpdatedAt: now}
		err = db.InsertInstitution(ctx, db.W, &inst)
	}
	if err != nil {
		return 0, err
	}
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&s.No, fmt.Sprintf("P%d", now.UnixNano()))
	def(&s.Occupation, "人工智能训练师")
	def(&s.EvalStart, "2026-12-18")
	def(&s.EvalEnd, s.EvalStart)
	def(&s.City, "广州市")
	def(&s.District, "天河区")
	def(&s.Addr, "中山大道西1号")
	def(&s.State, repo.PlanPublished)
	if s.Level == 0 {
		s.Level = 2
	}
	p := repo.Plan{PlanNo: s.No, PlanName: s.Occupation + "评价", InstitutionID: inst.ID,
		OccupationName: s.Occupation, WorkType: "无", Level: s.Level, SeatsTotal: 100000,
		City: s.City, District: s.District, Address: s.Addr, RegStart: "2026-01-01", RegDeadline: "2026-12-01",
		EvalStart: s.EvalStart, EvalEnd: s.EvalEnd, ContactName: "林老师", ContactPhone: "020-12345678",
		SupervisionRegion: "广东省（省本级）", State: s.State,
		PublishedAt: sql.NullTime{Time: now, Valid: true}, CreatedAt: now, UpdatedAt: now}
	if err := db.InsertPlan(ctx, db.W, &p); err != nil {
		return 0, err
	}
	return p.ID, nil
}

// Candidate creates a candidate with a mini-program openid (and a unionid when
// not empty) and returns its id.
func Candidate(ctx context.Context, db *repo.DB, openID, unionID, name string) (int64, error) {
	now := repo.Now()
	union := sql.NullString{String: unionID, Valid: unionID != ""}
	res, err := db.W.ExecContext(ctx, `INSERT INTO candidates (openid, unionid, name, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)`, openID, union, name, now, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Registration creates a registration in status (e.g. "approved") and returns its id.
func Registration(ctx context.Context, db *repo.DB, planID, candidateID int64, status string) (int64, error) {
	now := repo.Now()
	res, err := db.W.ExecContext(ctx, `INSERT INTO registrations (plan_id, candidate_id, id_number_idx, status,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		planID, candidateID, fmt.Sprintf("idx-%d", candidateID), status, now, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Event is an outbox row to enqueue.
type Event struct {
	Kind           string
	CandidateID    int64
	RegistrationID int64
	PlanID         int64
	Payload        string    // JSON; "{}" when empty
	Key            string    // de-duplication key; unique per call when empty
	DueAt          time.Time // now when zero
}

// Enqueue writes events to the outbox, in transactions of up to 500 rows.
func Enqueue(ctx context.Context, db *repo.DB, events ...Event) error {
	now := repo.Now()
	for start := 0; start < len(events); start += 500 {
		part := events[start:min(len(events), start+500)]
		err := db.WithTx(ctx, func(tx repo.Tx) error {
			for i, e := range part {
				key := e.Key
				if key == "" {
					key = fmt.Sprintf("%d-%d", now.UnixNano(), start+i)
				}
				nz := func(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: v != 0} }
				if err := tx.InsertOutbox(ctx, repo.OutboxEvent{Kind: e.Kind, DedupeKey: e.Kind + ":" + key,
					CandidateID: nz(e.CandidateID), RegistrationID: nz(e.RegistrationID), PlanID: nz(e.PlanID),
					Payload: e.Payload, DueAt: e.DueAt}, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Follower makes oaOpenID a follower of the official account bound to a candidate.
func Follower(ctx context.Context, db *repo.DB, oaOpenID string, candidateID int64) error {
	return db.UpsertFollower(ctx, repo.Follower{OAOpenID: oaOpenID, CandidateID: candidateID}, repo.Now())
}

// Credit records n accepted subscribe consents of a candidate for a template.
func Credit(ctx context.Context, db *repo.DB, candidateID int64, templateID string, n int) error {
	for range n {
		if err := db.AddSubscribeCredits(ctx, db.W, candidateID, templateID, 1, "accept", repo.Now()); err != nil {
			return err
		}
	}
	return nil
}

// Person is a candidate with one registration.
type Person struct {
	ID, Registration int64
	OpenID           string
}

// Population creates n candidates (openids "<prefix>-<i>") each with a
// registration on planID in status, in transactions of 500.
func Population(ctx context.Context, db *repo.DB, planID int64, prefix, status string, n int) ([]Person, error) {
	out := make([]Person, 0, n)
	now := repo.Now()
	for start := 0; start < n; start += 500 {
		err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			for i := start; i < min(n, start+500); i++ {
				p := Person{OpenID: fmt.Sprintf("%s-%d", prefix, i)}
				res, err := tx.ExecContext(ctx, `INSERT INTO candidates (openid, name, created_at, updated_at)
					VALUES (?, ?, ?, ?)`, p.OpenID, "考生", now, now)
				if err != nil {
					return err
				}
				if p.ID, err = res.LastInsertId(); err != nil {
					return err
				}
				res, err = tx.ExecContext(ctx, `INSERT INTO registrations (plan_id, candidate_id, id_number_idx,
					status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
					planID, p.ID, fmt.Sprintf("idx-%d", p.ID), status, now, now)
				if err != nil {
					return err
				}
				if p.Registration, err = res.LastInsertId(); err != nil {
					return err
				}
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Credits records one accepted consent per person for each template, in
// transactions of 500.
func Credits(ctx context.Context, db *repo.DB, people []Person, templateIDs ...string) error {
	now := repo.Now()
	for start := 0; start < len(people); start += 500 {
		err := db.WithTx(ctx, func(tx repo.Tx) error {
			for _, p := range people[start:min(len(people), start+500)] {
				for _, tid := range templateIDs {
					if err := tx.AddSubscribeCredits(ctx, p.ID, tid, 1, "accept", now); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Followers makes each person a follower of the official account, bound to
// them, with the official-account openid "oa-<openid>", in transactions of 500.
func Followers(ctx context.Context, db *repo.DB, people []Person) error {
	now := repo.Now()
	for start := 0; start < len(people); start += 500 {
		err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			for _, p := range people[start:min(len(people), start+500)] {
				if _, err := tx.ExecContext(ctx, `INSERT INTO oa_followers (oa_openid, candidate_id, subscribed,
					subscribed_at, bound_at, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?)`,
					"oa-"+p.OpenID, p.ID, now, now, now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
