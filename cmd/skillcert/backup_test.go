package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
	"skillcert/server"
)

// TestBackupDuringSubmitBurstRestores backs a running server up while
// candidates submit (more of them than the plan has seats), restores the
// archive into a new folder, starts a server on it and finds every
// registration accepted before the backup began, with its attachments byte for
// byte, and a seat count that agrees with the registrations holding seats.
// The restore (and a start) without the right data key is refused, saying so.
func TestBackupDuringSubmitBurstRestores(t *testing.T) {
	const candidates, seats = 36, 28
	dsn := testenv.NewDSN(t, "sqlite")
	app := testenv.Start(t, dsn, testenv.Options{Env: map[string]string{"SKILLCERT_LOGIN_RATE": "100000"}})
	code := backupPlan(t, app, seats)

	type ready struct {
		c     *testenv.Client
		id    int64
		files map[string][]byte // attachment file name → content
	}
	regs := make([]ready, candidates)
	var setup sync.WaitGroup
	work := make(chan int, candidates)
	for i := range candidates {
		work <- i
	}
	close(work)
	for range 4 {
		setup.Add(1)
		go func() {
			defer setup.Done()
			for i := range work {
				c, id, files := draftWithOwnFiles(t, app, code, i)
				regs[i] = ready{c, id, files}
			}
		}()
	}
	setup.Wait()
	if t.Failed() {
		t.FailNow()
	}

	// The burst: four submitters in a row each; the backup starts once eight
	// registrations are accepted, while the others keep submitting.
	var mu sync.Mutex
	var accepted []int
	eight := make(chan struct{})
	queue := make(chan int, candidates)
	for i := range candidates {
		queue <- i
	}
	close(queue)
	var burst sync.WaitGroup
	for range 4 {
		burst.Add(1)
		go func() {
			defer burst.Done()
			for i := range queue {
				res := regs[i].c.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/registrations/%d/submit", regs[i].id), nil)
				switch {
				case res.Status == http.StatusOK:
					mu.Lock()
					accepted = append(accepted, i)
					if len(accepted) == 8 {
						close(eight)
					}
					mu.Unlock()
				case res.Status == http.StatusConflict && res.ErrorCode() == "plan_full":
				default:
					t.Errorf("submit: %d %s", res.Status, res.Body)
				}
			}
		}()
	}
	<-eight
	mu.Lock()
	before := append([]int(nil), accepted...)
	mu.Unlock()
	archive := filepath.Join(t.TempDir(), "skillcert-backup.tar.gz")
	t.Setenv("SKILLCERT_DB", dsn)
	t.Setenv("SKILLCERT_DATA_DIR", app.Cfg.DataDir)
	var out bytes.Buffer
	if rc := run(context.Background(), []string{"backup", "--to", archive}, nil, &out, &out); rc != 0 {
		t.Fatalf("backup: exit %d: %s", rc, out.String())
	}
	mu.Lock()
	during := len(accepted) - len(before)
	mu.Unlock()
	burst.Wait()
	t.Logf("backup: %s; %d accepted before it began, %d while it ran, %d in all", strings.TrimSpace(out.String()), len(before), during, len(accepted))
	if !strings.Contains(out.String(), `sealed with data key "k1", which is NOT in the archive`) {
		t.Errorf("the backup does not remind of the data key: %s", out.String())
	}

	// Restore: without a key, then with a wrong one, both refused and leaving
	// the folder empty; then with the right one.
	dir := filepath.Join(t.TempDir(), "restored")
	t.Setenv("SKILLCERT_DATA_KEY", "")
	out.Reset()
	if rc := run(context.Background(), []string{"restore", "--from", archive, "--data", dir}, nil, &out, &out); rc == 0 ||
		!strings.Contains(out.String(), "set SKILLCERT_DATA_KEY") || !strings.Contains(out.String(), `key id "k1"`) {
		t.Fatalf("restore without a key: exit %d: %s", rc, out.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a refused restore left %d entries in %s", len(entries), dir)
	}
	const wrongKey = "k1:d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3c=" // 32 bytes, not the key
	out.Reset()
	t.Setenv("SKILLCERT_DATA_KEY", wrongKey)
	if rc := run(context.Background(), []string{"restore", "--from", archive, "--data", dir}, nil, &out, &out); rc == 0 ||
		!strings.Contains(out.String(), "this key does not open it") {
		t.Fatalf("restore with a wrong key: exit %d: %s", rc, out.String())
	}
	keyFile := filepath.Join(t.TempDir(), "data.key")
	if err := os.WriteFile(keyFile, []byte(app.Cfg.DataKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if rc := run(context.Background(), []string{"restore", "--from", archive, "--data", dir, "--key-file", keyFile}, nil, &out, &out); rc != 0 {
		t.Fatalf("restore: exit %d: %s", rc, out.String())
	}
	t.Log(strings.TrimSpace(out.String()))

	// A server on the restored folder (its data.key came from --key-file).
	restoredDB := filepath.Join(dir, "skillcert.db")
	back := testenv.Start(t, restoredDB, testenv.Options{Env: map[string]string{"SKILLCERT_DATA_DIR": dir}})
	for _, i := range before {
		r := regs[i]
		c := &testenv.Client{Base: back.URL, Token: r.c.Token, HTTP: http.DefaultClient}
		path := fmt.Sprintf("/api/v1/registrations/%d", r.id)
		res := c.Get(t, path)
		var reg struct {
			Status string `json:"status"`
		}
		if res.Status != http.StatusOK {
			t.Fatalf("registration %d after restore: %d %s", r.id, res.Status, res.Body)
		}
		res.JSON(t, &reg)
		if reg.Status != string(domain.StatusSubmitted) {
			t.Errorf("registration %d after restore: status %q", r.id, reg.Status)
		}
		var list struct {
			Items []struct {
				ID       int64  `json:"id"`
				FileName string `json:"file_name"`
			} `json:"items"`
		}
		c.Get(t, path+"/attachments").JSON(t, &list)
		if len(list.Items) != len(r.files) {
			t.Fatalf("registration %d: %d attachments after restore, %d before", r.id, len(list.Items), len(r.files))
		}
		for _, a := range list.Items {
			got := c.Get(t, fmt.Sprintf("%s/attachments/%d", path, a.ID))
			if got.Status != http.StatusOK || !bytes.Equal(got.Body, r.files[a.FileName]) {
				t.Errorf("registration %d attachment %s: %d, %d bytes, not the uploaded file", r.id, a.FileName, got.Status, len(got.Body))
			}
		}
	}
	var held, taken int
	if err := back.DB.R.Get(&held, "SELECT COUNT(*) FROM registrations WHERE seat_held = 1"); err != nil {
		t.Fatal(err)
	}
	if err := back.DB.R.Get(&taken, "SELECT seats_taken FROM plans WHERE plan_no = 'B0001'"); err != nil {
		t.Fatal(err)
	}
	if held != taken || held < len(before) || held > seats {
		t.Errorf("restored: %d registrations hold seats, the plan counts %d taken (accepted before the backup: %d, seats %d)", held, taken, len(before), seats)
	}

	// The restored folder without its key, and with a wrong key: the server
	// refuses to start and says why.
	if err := os.Remove(filepath.Join(dir, "data.key")); err != nil {
		t.Fatal(err)
	}
	back.Shutdown()
	for key, want := range map[string]string{"": "no key is configured", wrongKey: "this key does not open it"} {
		cfg, err := server.LoadConfig(func(k string) string {
			return map[string]string{"SKILLCERT_DB": restoredDB, "SKILLCERT_DATA_DIR": dir, "SKILLCERT_DEMO": "false", "SKILLCERT_DATA_KEY": key}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := server.New(context.Background(), cfg, slog.New(slog.DiscardHandler), server.Options{})
		if err == nil {
			a.Shutdown()
			t.Fatalf("a server started on the restored data with key %q", key)
		}
		if !strings.Contains(err.Error(), "SKILLCERT_DATA_KEY") || !strings.Contains(err.Error(), want) {
			t.Errorf("start with key %q: %v", key, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data.key")); err == nil {
		t.Error("a start without a key generated one over data sealed with another")
	}
}

// backupPlan inserts an institution and an open plan (B0001) with a code.
func backupPlan(t *testing.T, app *testenv.App, seats int) string {
	t.Helper()
	ctx := context.Background()
	now := time.Now().In(domain.Beijing)
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	ts := repo.Now()
	inst := repo.Institution{Name: "广东岭南现代技师学院", CreatedAt: ts, UpdatedAt: ts}
	if err := app.DB.InsertInstitution(ctx, app.DB.W, &inst); err != nil {
		t.Fatal(err)
	}
	p := repo.Plan{PlanNo: "B0001", PlanName: "2026年人工智能训练师职业技能等级认定 B0001", InstitutionID: inst.ID,
		OccupationName: "人工智能训练师", WorkType: "无", Level: 2, SeatsTotal: seats,
		City: "广州市", District: "天河区", Address: "龙洞东路", RegStart: day(-1), RegDeadline: day(10),
		EvalStart: day(20), EvalEnd: day(20), ContactName: "林老师", ContactPhone: "020-87000000",
		SupervisionRegion: "广东省（省本级）", State: repo.PlanPublished,
		PublishedAt: sql.NullTime{Time: ts, Valid: true}, CreatedAt: ts, UpdatedAt: ts}
	if err := app.DB.InsertPlan(ctx, app.DB.W, &p); err != nil {
		t.Fatal(err)
	}
	rc := repo.RegCode{Code: domain.GenerateCode(), PlanID: p.ID, CreatedAt: ts}
	if err := app.DB.InsertRegCode(ctx, app.DB.W, &rc); err != nil {
		t.Fatal(err)
	}
	if err := app.Core.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return rc.Code
}

// draftWithOwnFiles is testenv.ReadyToSubmit with attachments of the
// candidate's own (so each is a blob of its own in the backup).
func draftWithOwnFiles(t *testing.T, app *testenv.App, code string, n int) (*testenv.Client, int64, map[string][]byte) {
	c := testenv.SignInWithIdentity(t, app, "张三", domain.IDTypeResidentCard, testenv.RandomIDNumber(""))
	var reg struct {
		ID int64 `json:"id"`
	}
	res := c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code})
	if res.Status != http.StatusCreated {
		t.Errorf("create draft: %d %s", res.Status, res.Body)
		return c, 0, nil
	}
	res.JSON(t, &reg)
	path := fmt.Sprintf("/api/v1/registrations/%d", reg.ID)
	res = c.Do(t, http.MethodPut, path, map[string]any{"basis": "work_years", "education": "21", "years_in_occupation": 6,
		"candidate_source": "employee", "labor_relation": "employee", "phone": "13800138000",
		"employer": "广州某某科技有限公司", "commitment_accepted": true})
	if res.Status != http.StatusOK {
		t.Errorf("save form: %d %s", res.Status, res.Body)
	}
	var cl struct {
		Items []struct {
			Key      string `json:"key"`
			Required bool   `json:"required"`
		} `json:"items"`
	}
	c.Get(t, path+"/checklist").JSON(t, &cl)
	files := map[string][]byte{}
	for _, it := range cl.Items {
		if it.Required {
			name := it.Key + ".pdf"
			content := append(append([]byte(nil), testenv.SamplePDF...), fmt.Sprintf("candidate %d, %s", n, it.Key)...)
			testenv.UploadAttachment(t, c, reg.ID, it.Key, name, content)
			files[name] = content
		}
	}
	return c, reg.ID, files
}

// TestBackupOnMySQLSaysWhatToDo: on MySQL the backup command points at
// mysqldump, and --attachments-only archives the attachments the database
// refers to, which restore unpacks.
// On both blob stores: with SKILLCERT_BLOB_URL set the attachments are read
// from the bucket.
func TestBackupOnMySQLSaysWhatToDo(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, blobEnv map[string]string) { backupOnMySQL(t, blobEnv) })
}

func backupOnMySQL(t *testing.T, blobEnv map[string]string) {
	dsn := testenv.NewDSN(t, "mysql")
	app := testenv.Start(t, dsn, testenv.Options{Env: blobEnv})
	for k, v := range blobEnv {
		t.Setenv(k, v)
	}
	code := backupPlan(t, app, 5)
	_, id, files := draftWithOwnFiles(t, app, code, 1)
	if id == 0 {
		t.FailNow()
	}
	t.Setenv("SKILLCERT_DB", dsn)
	t.Setenv("SKILLCERT_DATA_DIR", app.Cfg.DataDir)
	t.Setenv("SKILLCERT_DATA_KEY", app.Cfg.DataKey)
	archive := filepath.Join(t.TempDir(), "files.tar.gz")
	var out bytes.Buffer
	if rc := run(context.Background(), []string{"backup", "--to", archive}, nil, &out, &out); rc == 0 ||
		!strings.Contains(out.String(), "mysqldump --single-transaction") || !strings.Contains(out.String(), "--attachments-only") {
		t.Fatalf("backup on MySQL: exit %d: %s", rc, out.String())
	}
	out.Reset()
	if rc := run(context.Background(), []string{"backup", "--attachments-only", "--to", archive}, nil, &out, &out); rc != 0 ||
		!strings.Contains(out.String(), fmt.Sprintf("%d files", len(files))) {
		t.Fatalf("backup --attachments-only: exit %d: %s", rc, out.String())
	}
	dir := filepath.Join(t.TempDir(), "restored")
	out.Reset()
	if rc := run(context.Background(), []string{"restore", "--from", archive, "--data", dir}, nil, &out, &out); rc != 0 ||
		!strings.Contains(out.String(), "mysqldump") {
		t.Fatalf("restore: exit %d: %s", rc, out.String())
	}
	n := 0
	_ = filepath.WalkDir(filepath.Join(dir, "attachments"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != len(files) {
		t.Fatalf("%d files restored, want %d", n, len(files))
	}
	if blobEnv == nil {
		return
	}
	// The restored folder goes back into a (new) bucket with blobs migrate.
	fresh := testenv.BlobEnv(t, "s3")
	t.Setenv("SKILLCERT_BLOB_URL", fresh["SKILLCERT_BLOB_URL"])
	out.Reset()
	if rc := run(context.Background(), []string{"blobs", "migrate", "--from", filepath.Join(dir, "attachments"), "--verify"}, nil, &out, &out); rc != 0 ||
		!strings.Contains(out.String(), fmt.Sprintf("%d blobs: %d copied", len(files), len(files))) {
		t.Fatalf("migrate the restored folder: exit %d: %s", rc, out.String())
	}
}
