package handlers_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// insertRegistration adds a plan and a registration of the candidate with
// status, straight into the database, and returns the registration id.
func insertRegistration(t *testing.T, app *testenv.App, candidateID int64, status string) int64 {
	t.Helper()
	ctx := context.Background()
	db := app.DB
	now := time.Now().UTC().Truncate(time.Second)
	inst := repo.Institution{Name: "测试评价机构", CreatedAt: now, UpdatedAt: now}
	if err := db.InsertInstitution(ctx, db.W, &inst); err != nil {
		t.Fatal(err)
	}
	p := repo.Plan{PlanNo: "T1", PlanName: "测试计划", InstitutionID: inst.ID, OccupationName: "电工", WorkType: "无",
		Level: 4, SeatsTotal: 10, City: "广州市", RegStart: "2026-03-01", RegDeadline: "2026-03-30",
		EvalStart: "2026-04-05", EvalEnd: "2026-04-05", SupervisionRegion: "广东省（省本级）", State: repo.PlanPublished,
		PublishedAt: sql.NullTime{Time: now, Valid: true}, CreatedAt: now, UpdatedAt: now}
	if err := db.InsertPlan(ctx, db.W, &p); err != nil {
		t.Fatal(err)
	}
	var idx string
	if err := db.R.Get(&idx, "SELECT id_number_idx FROM candidates WHERE id = ?", candidateID); err != nil {
		t.Fatal(err)
	}
	res, err := db.W.Exec(`INSERT INTO registrations (plan_id, candidate_id, id_number_idx, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.ID, candidateID, idx, status, now, now)
	if err != nil {
		t.Fatal(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func setRegistrationStatus(t *testing.T, app *testenv.App, id int64, status string) {
	t.Helper()
	if _, err := app.DB.W.Exec("UPDATE registrations SET status = ? WHERE id = ?", status, id); err != nil {
		t.Fatal(err)
	}
}
