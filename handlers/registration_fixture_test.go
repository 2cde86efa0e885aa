package handlers_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// regNow is the fixed "today" of the registration tests (Beijing, 2026-03-10 10:00).
var regNow = time.Date(2026, 3, 10, 10, 0, 0, 0, domain.Beijing)

// Sample files: the first bytes of each accepted document type, real photos (they
// are parsed to remove their metadata), and an executable.
var (
	samplePDF = append([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), bytes.Repeat([]byte("x"), 200)...)
	samplePNG = testenv.SamplePNG
	sampleJPG = testenv.SampleJPEG
	sampleZIP = append([]byte("PK\x03\x04\x14\x00\x00\x00"), bytes.Repeat([]byte{2}, 64)...)
	sampleEXE = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), bytes.Repeat([]byte{3}, 64)...)
)

// regEnv is a server with one institution, ready for plans, codes and candidates.
type regEnv struct {
	app  *testenv.App
	inst repo.Institution
	n    atomic.Int32
}

func newRegEnv(t *testing.T, dsn string, env map[string]string) *regEnv {
	t.Helper()
	app := testenv.Start(t, dsn, testenv.Options{Env: env})
	app.Clock.Set(regNow)
	ts := regNow.UTC()
	e := &regEnv{app: app, inst: repo.Institution{Name: "广东岭南现代技师学院", CreatedAt: ts, UpdatedAt: ts}}
	if err := app.DB.InsertInstitution(context.Background(), app.DB.W, &e.inst); err != nil {
		t.Fatal(err)
	}
	return e
}

// planSpec describes a test plan; zero values take an open level-2 plan of 60 seats
// (window 2026-03-01 … 2026-03-20).
type planSpec struct {
	Level    int
	Seats    int
	Taken    int
	Start    string
	Deadline string
	State    string
}

// plan inserts a plan with an active registration code and returns both.
func (e *regEnv) plan(t testing.TB, s planSpec) (repo.Plan, string) {
	t.Helper()
	if s.Level == 0 {
		s.Level = 2
	}
	if s.Seats == 0 {
		s.Seats = 60
	}
	if s.Start == "" {
		s.Start = "2026-03-01"
	}
	if s.Deadline == "" {
		s.Deadline = "2026-03-20"
	}
	if s.State == "" {
		s.State = repo.PlanPublished
	}
	ctx := context.Background()
	ts := regNow.UTC()
	no := fmt.Sprintf("R%04d", e.n.Add(1))
	p := repo.Plan{PlanNo: no, PlanName: "2026年人工智能训练师职业技能等级认定 " + no, InstitutionID: e.inst.ID,
		OccupationName: "人工智能训练师", WorkType: "无", Level: s.Level, SeatsTotal: s.Seats, SeatsTaken: s.Taken,
		City: "广州市", District: "天河区", Address: "龙洞东路", RegStart: s.Start, RegDeadline: s.Deadline,
		EvalStart: "2026-03-28", EvalEnd: "2026-03-28", ContactName: "林老师", ContactPhone: "020-87000000",
		SupervisionRegion: "广东省（省本级）", State: s.State,
		PublishedAt: sql.NullTime{Time: ts, Valid: s.State != repo.PlanDraft}, CreatedAt: ts, UpdatedAt: ts}
	if err := e.app.DB.InsertPlan(ctx, e.app.DB.W, &p); err != nil {
		t.Fatal(err)
	}
	p.InstitutionName = e.inst.Name
	code := e.code(t, p.ID, sql.NullTime{})
	if err := e.app.Core.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return p, code
}

// code issues another code for a plan (expiring at expires when valid).
func (e *regEnv) code(t testing.TB, planID int64, expires sql.NullTime) string {
	t.Helper()
	rc := repo.RegCode{Code: domain.GenerateCode(), PlanID: planID, ExpiresAt: expires, CreatedAt: regNow.UTC()}
	if err := e.app.DB.InsertRegCode(context.Background(), e.app.DB.W, &rc); err != nil {
		t.Fatal(err)
	}
	return rc.Code
}

// candidate signs a new candidate in with a bound identity (居民身份证).
func (e *regEnv) candidate(t testing.TB) *testenv.Client {
	t.Helper()
	return testenv.SignInWithIdentity(t, e.app, "张三", domain.IDTypeResidentCard, testenv.RandomIDNumber(""))
}

// regOK decodes a 2xx registration answer, failing the test otherwise.
func regOK(t testing.TB, res *testenv.Response, status int) core.RegistrationView {
	t.Helper()
	if res.Status != status {
		t.Fatalf("want %d, got %d %s", status, res.Status, res.Body)
	}
	var v core.RegistrationView
	res.JSON(t, &v)
	return v
}

// draft creates the candidate's draft on a code's plan.
func (e *regEnv) draft(t testing.TB, c *testenv.Client, code string) core.RegistrationView {
	t.Helper()
	return regOK(t, c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code}), http.StatusCreated)
}

func regPath(id int64, rest string) string {
	return fmt.Sprintf("/api/v1/registrations/%d%s", id, rest)
}

// put saves form fields.
func put(t testing.TB, c *testenv.Client, id int64, body map[string]any) *testenv.Response {
	t.Helper()
	return c.Do(t, http.MethodPut, regPath(id, ""), body)
}

// upload posts a multipart attachment.
func upload(t testing.TB, c *testenv.Client, id int64, item, name string, content []byte) *testenv.Response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if item != "" {
		_ = w.WriteField("item", item)
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	req, err := http.NewRequest(http.MethodPost, c.Base+regPath(id, "/attachments"), &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Send(t, req)
}

func submit(t testing.TB, c *testenv.Client, id int64) *testenv.Response {
	t.Helper()
	return c.Do(t, http.MethodPost, regPath(id, "/submit"), nil)
}

// formFor is a complete, valid form for a basis (the basis fills the rest).
func formFor(basis string) map[string]any {
	return map[string]any{"basis": basis, "education": "21", "years_in_occupation": 6,
		"candidate_source": "employee", "labor_relation": "employee", "phone": "13800138000",
		"employer": "广州某某科技有限公司", "commitment_accepted": true}
}

// ready fills a draft completely for a basis and uploads every required item.
func ready(t testing.TB, c *testenv.Client, id int64, basis string) {
	t.Helper()
	regOK(t, put(t, c, id, formFor(basis)), http.StatusOK)
	var cl core.Checklist
	res := c.Get(t, regPath(id, "/checklist"))
	res.JSON(t, &cl)
	for _, it := range cl.Items {
		if it.Required {
			if res := upload(t, c, id, it.Key, it.Name+".pdf", samplePDF); res.Status != http.StatusCreated {
				t.Fatalf("upload %s: %d %s", it.Key, res.Status, res.Body)
			}
		}
	}
}

// seatsTaken reads a plan's seat count from the database.
func (e *regEnv) seatsTaken(t testing.TB, planID int64) int {
	t.Helper()
	n, err := e.app.DB.SeatsTaken(context.Background(), e.app.DB.R, planID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// jsonRequest prepares a request with a JSON body, for headers Do cannot set.
func jsonRequest(t testing.TB, c *testenv.Client, method, path string, body any) *http.Request {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, c.Base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}
