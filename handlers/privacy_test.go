package handlers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/rwcarlsen/goexif/exif"

	"skillcert/core"
	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
)

// gpsJPEG is a photo whose EXIF places it in Guangzhou (made by the imagemeta tests).
func gpsJPEG(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../imagemeta/testdata/gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if x, err := exif.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("fixture without EXIF: %v", err)
	} else if _, _, err := x.LatLong(); err != nil {
		t.Fatalf("fixture without GPS: %v", err)
	}
	return b
}

// wantNoMetadata fails unless b is a JPEG that decodes and carries no EXIF.
func wantNoMetadata(t testing.TB, what string, b []byte) {
	t.Helper()
	if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("%s: not a JPEG any more: %v", what, err)
	}
	if _, err := exif.Decode(bytes.NewReader(b)); err == nil {
		t.Fatalf("%s: EXIF (with its GPS position) is still there", what)
	}
	if bytes.Contains(b, []byte("天河区")) || bytes.Contains(b, []byte("iPhone")) {
		t.Fatalf("%s: comment or XMP still there", what)
	}
}

func TestPhotosLoseTheirLocation(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		p, code := e.plan(t, planSpec{})
		c := e.candidate(t)
		photo := gpsJPEG(t)

		reg := e.draft(t, c, code)
		res := upload(t, c, reg.ID, "diploma", "毕业证.jpg", photo)
		if res.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		var a core.AttachmentView
		res.JSON(t, &a)
		got := c.Get(t, regPath(reg.ID, fmt.Sprintf("/attachments/%d", a.ID)))
		wantNoMetadata(t, "attachment", got.Body)
		if int64(len(got.Body)) != a.Size {
			t.Errorf("stored size %d, listed %d", len(got.Body), a.Size)
		}

		fields := map[string]any{"plan_no": p.PlanNo, "category": "exam_discipline",
			"content": "考场内监考人员离场超过二十分钟，无人监考。", "contact_pref": "in_app", "anonymous": "true"}
		v := feedbackOK(t, postFeedbackForm(t, c, "/api/v1/feedback", fields, fbFile{"现场.jpg", photo}), http.StatusCreated)
		img := c.Get(t, fmt.Sprintf("/api/v1/feedback/%d/images/%d", v.ID, v.Images[0].ID))
		wantNoMetadata(t, "anonymous feedback photo", img.Body)

		// A "photo" whose structure is broken is refused, not stored with what it carries.
		broken := append([]byte{}, photo[:40]...)
		if res := upload(t, c, reg.ID, "diploma", "坏.jpg", broken); res.Status != 400 || res.ErrorCode() != "file_unreadable" {
			t.Fatalf("broken JPEG: %d %s", res.Status, res.Body)
		}
	})
}

// export reads the candidate's copy as JSON.
func export(t testing.TB, c *testenv.Client) map[string]any {
	t.Helper()
	res := c.Get(t, "/api/v1/me/export")
	if res.Status != http.StatusOK {
		t.Fatalf("export: %d %s", res.Status, res.Body)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	return res.Map(t)
}

func TestMyDataExport(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		p, code := e.plan(t, planSpec{})
		id := testenv.RandomIDNumber("")
		c := testenv.SignInWithIdentity(t, e.app, "李四", "01", id)
		reg := e.draft(t, c, code)
		ready(t, c, reg.ID, "work_years")
		if res := upload(t, c, reg.ID, "social_insurance", "社保.jpg", sampleJPG); res.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		regOK(t, submit(t, c, reg.ID), http.StatusOK)
		feedbackOK(t, postFeedbackForm(t, c, "/api/v1/feedback", map[string]any{"plan_no": p.PlanNo,
			"category": "exam_discipline", "content": "考场纪律松散，有人交头接耳。", "contact_pref": "in_app"},
			fbFile{"现场.png", samplePNG}), http.StatusCreated)
		if res := postIntention(t, c, intention(map[string]any{"phone": "13900139000"})); res.Status != http.StatusCreated {
			t.Fatalf("intention: %d %s", res.Status, res.Body)
		}

		out := export(t, c)
		acct := out["账号与身份信息"].(map[string]any)
		if acct["姓名"] != "李四" || acct["证件号码"] != id || acct["证件类型"] != "居民身份证" {
			t.Errorf("account: %v", acct)
		}
		regs := out["报名记录"].([]any)
		if len(regs) != 1 {
			t.Fatalf("registrations: %v", regs)
		}
		r := regs[0].(map[string]any)
		if r["评价计划编号"] != p.PlanNo || r["手机号码"] != "13800138000" || r["所在单位"] != "广州某某科技有限公司" ||
			r["报名状态"] != "已提交（待审核）" {
			t.Errorf("registration: %v", r)
		}
		atts := r["附件"].([]any)
		if len(atts) < 2 {
			t.Fatalf("attachments: %v", atts)
		}
		hist := fmt.Sprint(r["办理过程"])
		if !strings.Contains(hist, "提交报名") || !strings.Contains(hist, "创建报名") {
			t.Errorf("history: %s", hist)
		}
		fb := out["督导反馈"].([]any)
		if len(fb) != 1 || fb[0].(map[string]any)["反馈内容"] != "考场纪律松散，有人交头接耳。" {
			t.Errorf("feedback: %v", fb)
		}
		tr := out["培训意向"].([]any)
		if len(tr) != 1 || tr[0].(map[string]any)["联系电话"] != "13900139000" {
			t.Errorf("training: %v", tr)
		}
		cons := fmt.Sprint(out["授权与同意记录"])
		if !strings.Contains(cons, "个人信息处理") {
			t.Errorf("consents: %s", cons)
		}
		if n := out["消息通知记录"].([]any); len(n) == 0 || !strings.Contains(fmt.Sprint(n), "报名已提交") {
			t.Errorf("notifications: %v", n)
		}

		// The zip holds the JSON and every file it names, byte for byte.
		res := c.Get(t, "/api/v1/me/export?format=zip")
		if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("zip: %d %s", res.Status, res.Header)
		}
		z, err := zip.NewReader(bytes.NewReader(res.Body), int64(len(res.Body)))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string][]byte{}
		for _, f := range z.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			_, _ = b.ReadFrom(rc)
			rc.Close()
			names[f.Name] = b.Bytes()
		}
		var inZip map[string]any
		if err := json.Unmarshal(names["我的数据.json"], &inZip); err != nil {
			t.Fatalf("我的数据.json: %v (files %v)", err, len(names))
		}
		for _, a := range atts {
			path := a.(map[string]any)["压缩包内路径"].(string)
			if _, ok := names[path]; !ok {
				t.Errorf("%s missing from the zip", path)
			}
		}
		var jpgFound, pngFound bool
		for _, b := range names {
			jpgFound = jpgFound || bytes.Equal(b, sampleJPG)
			pngFound = pngFound || bytes.Equal(b, samplePNG)
		}
		if !jpgFound || !pngFound {
			t.Errorf("the attachment or the feedback photo is not in the zip as uploaded")
		}

		// Audited, limited, and for the signed-in candidate only.
		var n int
		if err := e.app.DB.R.Get(&n, `SELECT COUNT(*) FROM audit_log WHERE action = 'candidate.export' AND actor_id = ?`, c.CandidateID); err != nil || n != 2 {
			t.Errorf("audit rows %d %v", n, err)
		}
		if res := c.Get(t, "/api/v1/me/export?format=pdf"); res.Status != 400 || res.ErrorField() != "format" {
			t.Errorf("bad format: %d %s", res.Status, res.Body)
		}
		for i := 2; i < core.ExportPerDay; i++ {
			export(t, c)
		}
		if res := c.Get(t, "/api/v1/me/export"); res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("past the daily limit: %d %s", res.Status, res.Body)
		}
		if res := e.app.Client().Get(t, "/api/v1/me/export"); res.Status != http.StatusUnauthorized {
			t.Errorf("signed out: %d", res.Status)
		}
		if leaked := e.app.Logs.String(); strings.Contains(leaked, id) || strings.Contains(leaked, "13900139000") {
			t.Error("the log holds the ID number or the phone")
		}
	})
}

// personalTables says, for every table of the schema, what deleting an account
// leaves in it. A table missing here fails the test: whoever adds a table decides
// what happens to its rows when a person deletes their account.
var personalTables = map[string]string{
	"candidates":              "the row stays as a tombstone: no WeChat ids, no phone; name and sealed ID number only while registrations are kept",
	"candidate_sessions":      "deleted",
	"session_revocations":     "token hashes of the ended sessions only (no candidate id), pruned after an hour",
	"consents":                "deleted",
	"registrations":           "only approved registrations whose exam ended are kept (law: the certification record), without phone",
	"attachments":             "deleted with their registrations",
	"exam_results":            "kept for kept registrations only",
	"certificate_events":      "kept for kept registrations only",
	"outbox":                  "deleted",
	"outbox_deliveries":       "deleted",
	"subscription_credits":    "deleted",
	"oa_followers":            "deleted (the follower is forgotten)",
	"oa_bind_codes":           "deleted",
	"oa_conversations":        "deleted",
	"oa_inbound":              "deleted",
	"feedback":                "kept as an anonymous supervision record, without the contact phone",
	"feedback_images":         "kept with their feedback (evidence for the supervisor; metadata stripped at upload)",
	"training_intentions":     "deleted",
	"audit_log":               "kept: ids and actions only, never personal data",
	"account_deletions":       "kept: when, and how many registrations were kept",
	"employment_register":     "the institutions' imported employment register: not part of the account",
	"rate_counters":           "short-lived counters keyed by id",
	"institutions":            "no personal data of candidates",
	"plans":                   "no personal data of candidates",
	"registration_codes":      "no personal data of candidates",
	"staff_users":             "no personal data of candidates",
	"staff_jobs":              "no personal data of candidates: a background job's counts (an upload with refused rows, whose messages may name a candidate, never starts a job)",
	"staff_sessions":          "no personal data of candidates",
	"institution_cities":      "no personal data of candidates",
	"goose_db_version":        "schema versions",
	"web_qr_logins":           "deleted",
	"seat_watches":            "deleted",
	"registration_rounds":     "deleted with their registrations",
	"registration_flags":      "deleted with their registrations",
	"face_verifications":      "deleted (sessions hold the sealed number)",
	"candidate_verifications": "kept with the kept identity, deleted with an erased one",
	"exam_tickets":            "deleted with their registrations; kept for kept ones",
	"exam_seats":              "deleted with their registrations; kept for kept ones",
	"exam_checkins":           "deleted with their registrations; kept for kept ones",
	"exam_sessions":           "no personal data of candidates",
	"exam_arrangements":       "no personal data of candidates",
	"oa_callback_nonces":      "no personal data of candidates",
	"staff_login_failures":    "no personal data of candidates",
	"plan_changes":            "no personal data of candidates",
	"plan_grams":              "no personal data: the characters of plan names and occupations",
	"text_positions":          "no data: the numbers 1 to 255",
	"plan_occupations":        "no personal data of candidates",
	"staff_password_resets":   "no personal data of candidates",
	"plan_identity_rules":     "no personal data of candidates",
	"goose_lock":              "the migration lock (MySQL)",
}

// tableNames lists the base tables of the test database.
func tableNames(t *testing.T, db *sqlx.DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.DriverName() == "mysql" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`
	}
	var names []string
	if err := db.Select(&names, q); err != nil {
		t.Fatal(err)
	}
	return names
}

// cellsContaining returns "table.column" for every cell of every table whose text
// holds one of needles.
func cellsContaining(t *testing.T, db *sqlx.DB, tables []string, needles []string) []string {
	t.Helper()
	var hits []string
	for _, table := range tables {
		rows, err := db.Queryx("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				s := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				for _, n := range needles {
					if n != "" && strings.Contains(s, n) {
						hits = append(hits, table+"."+cols[i])
					}
				}
			}
		}
		rows.Close()
	}
	return hits
}

func TestDeleteAccount(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		db := e.app.DB.W
		ctx := context.Background()
		open, code := e.plan(t, planSpec{})
		done, doneCode := e.plan(t, planSpec{})
		returned, returnedCode := e.plan(t, planSpec{})
		id := testenv.RandomIDNumber("")
		openid := testenv.NewOpenID()
		c := testenv.SignInAs(t, e.app, openid)
		if res := c.Do(t, http.MethodPut, "/api/v1/me/identity", testenv.IdentityBody("王五", "01", id)); res.Status != http.StatusOK {
			t.Fatalf("identity: %d %s", res.Status, res.Body)
		}
		// A submitted registration (in review), one approved whose exam has ended,
		// one returned for changes (holding a seat), and a draft.
		inReview := e.draft(t, c, code)
		ready(t, c, inReview.ID, "work_years")
		regOK(t, submit(t, c, inReview.ID), http.StatusOK)
		kept := e.draft(t, c, doneCode)
		ready(t, c, kept.ID, "work_years")
		regOK(t, submit(t, c, kept.ID), http.StatusOK)
		exec(t, e.app.DB, `UPDATE registrations SET status = 'approved' WHERE id = ?`, kept.ID)
		exec(t, e.app.DB, `UPDATE plans SET eval_start = '2026-03-01', eval_end = '2026-03-02' WHERE id = ?`, done.ID)
		exec(t, e.app.DB, `INSERT INTO exam_results (registration_id, subject, result, recorded_at) VALUES (?, 'theory', 'pass', ?)`, kept.ID, regNow.UTC())
		back := e.draft(t, c, returnedCode)
		ready(t, c, back.ID, "work_years")
		regOK(t, submit(t, c, back.ID), http.StatusOK)
		exec(t, e.app.DB, `UPDATE registrations SET status = 'returned' WHERE id = ?`, back.ID)
		if res := upload(t, c, back.ID, "social_insurance", "社保.jpg", sampleJPG); res.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		feedbackOK(t, postFeedbackForm(t, c, "/api/v1/feedback", map[string]any{"plan_no": open.PlanNo,
			"category": "exam_discipline", "content": "考场纪律松散，有人交头接耳。", "contact_pref": "phone",
			"contact_phone": "13700137000"}, fbFile{"现场.png", samplePNG}), http.StatusCreated)
		if res := postIntention(t, c, intention(map[string]any{"phone": "13900139000"})); res.Status != http.StatusCreated {
			t.Fatalf("intention: %d %s", res.Status, res.Body)
		}
		oaOpenID := testenv.NewOpenID()
		if err := notifytest.Follower(ctx, e.app.DB, oaOpenID, c.CandidateID); err != nil {
			t.Fatal(err)
		}
		if err := notifytest.Credit(ctx, e.app.DB, c.CandidateID, "TPL", 2); err != nil {
			t.Fatal(err)
		}
		exec(t, e.app.DB, `INSERT INTO oa_conversations (oa_openid, state, data, expires_at, updated_at) VALUES (?, 'idle', '{}', ?, ?)`, oaOpenID, regNow.UTC(), regNow.UTC())
		exec(t, e.app.DB, `INSERT INTO oa_inbound (dedupe_key, oa_openid, reply, created_at) VALUES (?, ?, '', ?)`, "m1", oaOpenID, regNow.UTC())
		var before struct {
			Phone string `db:"phone_idx"`
			IDIdx string `db:"id_number_idx"`
		}
		if err := db.Get(&before, `SELECT COALESCE(phone_idx, '') AS phone_idx, id_number_idx FROM candidates WHERE id = ?`, c.CandidateID); err != nil {
			t.Fatal(err)
		}
		seatsBefore := e.seatsTaken(t, returned.ID)

		// Refused while a registration is in review; the message names it; nothing changes.
		if res := c.Do(t, http.MethodDelete, "/api/v1/me", map[string]any{}); res.Status != 400 || res.ErrorField() != "confirm" {
			t.Fatalf("unconfirmed: %d %s", res.Status, res.Body)
		}
		res := c.Do(t, http.MethodDelete, "/api/v1/me", map[string]any{"confirm": true})
		if res.Status != http.StatusConflict || res.ErrorCode() != "account_in_use" || !strings.Contains(string(res.Body), open.PlanNo) {
			t.Fatalf("in review: %d %s", res.Status, res.Body)
		}
		if res := c.Get(t, "/api/v1/me"); res.Status != http.StatusOK {
			t.Fatalf("refused deletion changed the account: %d", res.Status)
		}
		regOK(t, c.Do(t, http.MethodPost, regPath(inReview.ID, "/cancel"), map[string]any{}), http.StatusOK)

		res = c.Do(t, http.MethodDelete, "/api/v1/me", map[string]any{"confirm": true})
		if res.Status != http.StatusOK {
			t.Fatalf("delete: %d %s", res.Status, res.Body)
		}
		var out core.AccountDeleted
		res.JSON(t, &out)
		if out.Deleted != 2 || len(out.Kept) != 1 || out.Kept[0].RegistrationID != kept.ID || out.KeptNotice == "" {
			t.Fatalf("deleted: %+v", out)
		}
		if res := c.Get(t, "/api/v1/me"); res.Status != http.StatusUnauthorized {
			t.Errorf("the session outlived the account: %d", res.Status)
		}
		if got := e.seatsTaken(t, returned.ID); got != seatsBefore-1 {
			t.Errorf("the returned registration's seat: %d → %d", seatsBefore, got)
		}

		// Every table is classified, and none holds what identified the account
		// except the kept registration's own ID index.
		tables := tableNames(t, db)
		var unclassified []string
		for _, name := range tables {
			if _, ok := personalTables[name]; !ok {
				unclassified = append(unclassified, name)
			}
		}
		if len(unclassified) > 0 {
			t.Fatalf("tables not classified in personalTables: %v", unclassified)
		}
		hits := cellsContaining(t, db, tables, []string{openid, oaOpenID, before.Phone, "王五"})
		for _, h := range hits {
			if h != "candidates.name" { // kept on purpose with the kept registration
				t.Errorf("left after deletion: %s", h)
			}
		}
		idHits := cellsContaining(t, db, tables, []string{before.IDIdx})
		if len(idHits) != 1 || idHits[0] != "registrations.id_number_idx" {
			t.Errorf("ID number index left in %v (want only the kept registration)", idHits)
		}
		count := func(q string, args ...any) int {
			var n int
			if err := db.Get(&n, q, args...); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM registrations WHERE candidate_id = ?`:                                                            1,
			`SELECT COUNT(*) FROM registrations WHERE candidate_id = ? AND phone_enc IS NOT NULL`:                                  0,
			`SELECT COUNT(*) FROM exam_results r JOIN registrations g ON g.id = r.registration_id WHERE g.candidate_id = ?`:        1,
			`SELECT COUNT(*) FROM feedback WHERE candidate_id = ? AND anonymous = 1 AND contact_phone_enc IS NULL`:                 1,
			`SELECT COUNT(*) FROM training_intentions WHERE candidate_id = ?`:                                                      0,
			`SELECT COUNT(*) FROM consents WHERE candidate_id = ?`:                                                                 0,
			`SELECT COUNT(*) FROM outbox WHERE candidate_id = ?`:                                                                   0,
			`SELECT COUNT(*) FROM subscription_credits WHERE candidate_id = ?`:                                                     0,
			`SELECT COUNT(*) FROM candidates WHERE id = ? AND phone_enc IS NULL AND unionid IS NULL AND id_number_enc IS NOT NULL`: 1,
			`SELECT COUNT(*) FROM account_deletions WHERE candidate_id = ? AND kept_registrations = 1`:                             1,
			`SELECT COUNT(*) FROM audit_log WHERE action = 'candidate.delete' AND actor_id = ?`:                                    1,
		} {
			if got := count(q, c.CandidateID); got != want {
				t.Errorf("%s: %d, want %d", q, got, want)
			}
		}

		// The same WeChat user may start again, and bind the same ID number.
		again := testenv.SignInAs(t, e.app, openid)
		if again.CandidateID == c.CandidateID {
			t.Fatal("signing in again found the deleted account")
		}
		if res := again.Do(t, http.MethodPut, "/api/v1/me/identity", testenv.IdentityBody("王五", "01", id)); res.Status != http.StatusOK {
			t.Fatalf("bind the same ID again: %d %s", res.Status, res.Body)
		}
	})
}

// An account with nothing kept loses its name and ID number too.
func TestDeleteAccountWithNothingKept(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		_, code := e.plan(t, planSpec{})
		c := e.candidate(t)
		e.draft(t, c, code)
		res := c.Do(t, http.MethodDelete, "/api/v1/me", map[string]any{"confirm": true})
		if res.Status != http.StatusOK {
			t.Fatalf("delete: %d %s", res.Status, res.Body)
		}
		var n int
		if err := e.app.DB.R.Get(&n, `SELECT COUNT(*) FROM candidates WHERE id = ? AND name = '' AND id_number_enc IS NULL
			AND id_number_idx IS NULL AND openid LIKE 'deleted:%'`, c.CandidateID); err != nil || n != 1 {
			t.Fatalf("identity left: %d %v", n, err)
		}
		if err := e.app.DB.R.Get(&n, `SELECT COUNT(*) FROM registrations WHERE candidate_id = ?`, c.CandidateID); err != nil || n != 0 {
			t.Fatalf("registrations left: %d %v", n, err)
		}
	})
}

// Files no row refers to (a crash between storing a file and inserting its row,
// or an upload abandoned half-way) are removed once a day old; files in use and
// recent ones stay.
func TestOrphanFilesAreSwept(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		_, code := e.plan(t, planSpec{})
		c := e.candidate(t)
		reg := e.draft(t, c, code)
		res := upload(t, c, reg.ID, "diploma", "毕业证.pdf", samplePDF)
		if res.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		var a core.AttachmentView
		res.JSON(t, &a)

		dir := filepath.Join(e.app.Cfg.DataDir, "attachments")
		plant := func(content string, age time.Duration) string {
			sum := sha256.Sum256([]byte(content))
			key := hex.EncodeToString(sum[:])
			p := filepath.Join(dir, key[:2], key)
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-age)
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
			return p
		}
		orphan := plant("一份崩溃后留下的证件照片", 48*time.Hour)
		fresh := plant("正在上传的文件", time.Minute)
		abandoned := filepath.Join(dir, "tmp", "upload-123")
		if err := os.WriteFile(abandoned, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-48 * time.Hour)
		_ = os.Chtimes(abandoned, old, old)
		// The attachment in use is old too: it must stay.
		var key string
		if err := e.app.DB.R.Get(&key, `SELECT blob_key FROM attachments WHERE id = ?`, a.ID); err != nil {
			t.Fatal(err)
		}
		used := filepath.Join(dir, key[:2], key)
		_ = os.Chtimes(used, old, old)

		e.app.Clock.Set(time.Now())
		n, err := e.app.Core.SweepOrphanFiles(context.Background())
		e.app.Clock.Set(regNow)
		if err != nil || n != 2 {
			t.Fatalf("swept %d, %v; want the orphan and the abandoned upload", n, err)
		}
		for p, want := range map[string]bool{orphan: false, abandoned: false, fresh: true, used: true} {
			if _, err := os.Stat(p); (err == nil) != want {
				t.Errorf("%s: exists=%v, want %v", p, err == nil, want)
			}
		}
		if got := c.Get(t, regPath(reg.ID, fmt.Sprintf("/attachments/%d", a.ID))); got.Status != 200 || !bytes.Equal(got.Body, samplePDF) {
			t.Fatalf("the attachment in use: %d", got.Status)
		}
	})
}

// The sweep of files no row refers to lists the bucket too: an orphan object
// goes once a day old (by the bucket's time of writing), the attachment in
// use stays.
func TestOrphanFilesAreSweptFromTheBucket(t *testing.T) {
	e := newRegEnv(t, testenv.NewDSN(t, "sqlite"), testenv.BlobEnv(t, "s3"))
	_, code := e.plan(t, planSpec{})
	c := e.candidate(t)
	reg := e.draft(t, c, code)
	a := attachmentOK(t, upload(t, c, reg.ID, "diploma", "毕业证.pdf", samplePDF))
	st, err := e.app.Blobs.Stage(context.Background(), strings.NewReader("一份崩溃后留下的证件照片"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := len(e.app.BlobKeys(t)); n != 2 {
		t.Fatalf("%d objects, want 2", n)
	}
	// Just written: nothing is old enough.
	e.app.Clock.Set(time.Now())
	if n, err := e.app.Core.SweepOrphanFiles(context.Background()); err != nil || n != 0 {
		t.Fatalf("early sweep: %d %v", n, err)
	}
	e.app.Clock.Set(time.Now().Add(core.OrphanAge + time.Hour))
	n, err := e.app.Core.SweepOrphanFiles(context.Background())
	e.app.Clock.Set(regNow)
	if err != nil || n != 1 {
		t.Fatalf("swept %d, %v; want the orphan", n, err)
	}
	if keys := e.app.BlobKeys(t); len(keys) != 1 || keys[0] == st.Key() {
		t.Fatalf("left %v", keys)
	}
	c = testenv.SignInAs(t, e.app, c.OpenID)
	if got := c.Get(t, regPath(reg.ID, fmt.Sprintf("/attachments/%d", a.ID))); got.Status != 200 || !bytes.Equal(got.Body, samplePDF) {
		t.Fatalf("the attachment in use: %d", got.Status)
	}
}
