package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// certNow is "today" of the certificate tests: 2026-12-20, Beijing.
var certNow = time.Date(2026, 12, 20, 10, 0, 0, 0, domain.Beijing)

// certFixture adds a plan and an approved (or other) registration of the candidate.
func certFixture(t *testing.T, app *testenv.App, candidateID int64, evalStart, status string) int64 {
	t.Helper()
	ctx := context.Background()
	plan, err := notifytest.Plan(ctx, app.DB, notifytest.PlanSpec{No: fmt.Sprintf("C%d", time.Now().UnixNano()),
		Occupation: "人工智能训练师", Level: 3, EvalStart: evalStart})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := notifytest.Registration(ctx, app.DB, plan, candidateID, status)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func exec(t *testing.T, db *repo.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.W.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func TestCertificatesAPI(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{Env: map[string]string{"SKILLCERT_PUSH_ENABLED": "false"}})
		app.Clock.Set(certNow)
		c := testenv.SignInWithIdentity(t, app, "张三", "01", "11010519491231002X")
		done := certFixture(t, app, c.CandidateID, "2026-12-18", "approved")
		certFixture(t, app, c.CandidateID, "2027-01-10", "approved") // evaluation not begun: not listed
		certFixture(t, app, c.CandidateID, "2026-12-01", "rejected") // never evaluated: not listed
		other := testenv.SignIn(t, app)
		theirs := certFixture(t, app, other.CandidateID, "2026-12-18", "approved")

		at := func(d int) time.Time { return time.Date(2026, 12, d, 2, 0, 0, 0, time.UTC) }
		exec(t, app.DB, `INSERT INTO exam_results (registration_id, subject, result, score, recorded_at) VALUES (?, 'theory', 'pass', 85.5, ?)`, done, at(19))
		exec(t, app.DB, `INSERT INTO exam_results (registration_id, subject, result, score, recorded_at) VALUES (?, 'practical', 'pass', NULL, ?)`, done, at(19))
		for _, s := range []struct {
			stage domain.CertStage
			day   int
		}{{domain.StageScoreEntered, 19}, {domain.StageScorePublished, 20}, {domain.StageScoreEntered, 20}, {domain.StageReportedNational, 20}} {
			exec(t, app.DB, `INSERT INTO certificate_events (registration_id, stage, occurred_at) VALUES (?, ?, ?)`, done, string(s.stage), at(s.day))
		}
		exec(t, app.DB, `UPDATE registrations SET cert_no = ?, cert_stage = ? WHERE id = ?`, "Y000000000000000300012", "reported_national", done)

		res := c.Get(t, "/api/v1/certificates")
		if res.Status != http.StatusOK {
			t.Fatalf("list: %d %s\n%s", res.Status, res.Body, app.Logs.String())
		}
		var list struct {
			Items []core.Certificate `json:"items"`
		}
		res.JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].RegistrationID != done {
			t.Fatalf("items %s", res.Body)
		}
		cert := list.Items[0]
		if cert.Plan.OccupationName != "人工智能训练师" || cert.Plan.LevelName != "三级/高级工" || cert.CertNo != "Y000000000000000300012" {
			t.Errorf("certificate %+v", cert)
		}
		if len(cert.Results) != 2 || cert.Results[0].SubjectName != "理论" || cert.Results[0].ResultName != "合格" ||
			cert.Results[0].Score == nil || *cert.Results[0].Score != 85.5 || cert.Results[1].Score != nil {
			t.Errorf("results %+v", cert.Results)
		}
		if len(cert.Stages) != 8 || cert.Stage != "reported_national" || cert.StageName != "已上报全国联网" {
			t.Fatalf("stages %+v, stage %q", cert.Stages, cert.Stage)
		}
		for i, s := range cert.Stages {
			wantReached := i <= 4
			wantAt := map[int]bool{0: true, 1: true, 4: true}[i]
			if s.Reached != wantReached || (s.ReachedAt != nil) != wantAt || s.Name != domain.CertStage(s.Code).Name() {
				t.Errorf("stage %d %+v", i, s)
			}
		}
		if !cert.Stages[0].ReachedAt.Equal(at(19)) {
			t.Errorf("成绩录入 reached at %v, want the first time %v", cert.Stages[0].ReachedAt, at(19))
		}
		if cert.NationalQueryHint == "" || cert.NationalQuery == nil || len(cert.NationalQuery.Fields) != 3 ||
			cert.NationalQuery.Fields[0].Value != "张三" || cert.NationalQuery.Fields[1].Value != domain.MaskIDNumber("11010519491231002X") ||
			cert.NationalQuery.Fields[2].Value != "Y000000000000000300012" {
			t.Errorf("national query %q %+v", cert.NationalQueryHint, cert.NationalQuery)
		}

		if res := c.Get(t, fmt.Sprintf("/api/v1/certificates/%d", done)); res.Status != http.StatusOK {
			t.Errorf("one: %d %s", res.Status, res.Body)
		}
		for _, id := range []int64{theirs, 999999} {
			if res := c.Get(t, fmt.Sprintf("/api/v1/certificates/%d", id)); res.Status != http.StatusNotFound || res.ErrorCode() != "certificate_not_found" {
				t.Errorf("someone else's or unknown %d: %d %s", id, res.Status, res.Body)
			}
		}
		if res := app.Client().Get(t, "/api/v1/certificates"); res.Status != http.StatusUnauthorized {
			t.Errorf("without a session: %d", res.Status)
		}
		// Before 已上报全国联网 there is no national query hint; a candidate with
		// nothing evaluated gets an empty list.
		exec(t, app.DB, `DELETE FROM certificate_events WHERE stage = 'reported_national'`)
		exec(t, app.DB, `UPDATE registrations SET cert_stage = 'score_published' WHERE id = ?`, done)
		var one core.Certificate
		c.Get(t, fmt.Sprintf("/api/v1/certificates/%d", done)).JSON(t, &one)
		if one.NationalQueryHint != "" || one.NationalQuery != nil || one.Stage != "score_published" {
			t.Errorf("before national report: %+v", one)
		}
		if res := testenv.SignIn(t, app).Get(t, "/api/v1/certificates"); res.Status != http.StatusOK || string(res.Body) != "{\"items\":[]}\n" {
			t.Errorf("nothing evaluated: %d %s", res.Status, res.Body)
		}
	})
}
