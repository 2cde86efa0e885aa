package handlers_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
	"skillcert/wechat/fake"
)

// notifyApp starts a server whose approved and reminder events have subscribe
// templates, with a fast dispatcher.
func notifyApp(t *testing.T, dsn string, push bool) *testenv.App {
	t.Helper()
	file := filepath.Join(t.TempDir(), "templates.json")
	js := `{"events":{"registration.approved":{"subscribe":{"template_id":"TPL-APPROVED"}},
		"exam.reminder":{"subscribe":{"template_id":"TPL-REMIND"},"official":{"template_id":"OA-REMIND"}}}}`
	if err := os.WriteFile(file, []byte(js), 0o600); err != nil {
		t.Fatal(err)
	}
	return testenv.Start(t, dsn, testenv.Options{Env: map[string]string{
		"SKILLCERT_NOTIFY_TEMPLATES": file, "SKILLCERT_PUSH_ENABLED": map[bool]string{true: "true", false: "false"}[push],
		"SKILLCERT_PUSH_POLL": "20ms", "SKILLCERT_REMINDER_POLL": "1h",
	}})
}

func TestSubscriptionsAPI(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := notifyApp(t, dsn, false)
		var meta struct {
			Templates []domain.SubscribeTemplate `json:"subscribe_templates"`
		}
		app.Client().Get(t, "/api/v1/meta").JSON(t, &meta)
		if len(meta.Templates) != 2 || meta.Templates[0] != (domain.SubscribeTemplate{Event: "exam.reminder", TemplateID: "TPL-REMIND"}) {
			t.Fatalf("subscribe_templates %+v", meta.Templates)
		}
		c := testenv.SignIn(t, app)
		post := func(results map[string]string) *testenv.Response {
			return c.Do(t, http.MethodPost, "/api/v1/me/subscriptions", map[string]any{"results": results})
		}
		res := post(map[string]string{"TPL-APPROVED": "accept", "TPL-REMIND": "reject",
			"errMsg": "requestSubscribeMessage:ok", "NOT-OURS": "accept"})
		var out struct {
			Credits map[string]int `json:"credits"`
		}
		res.JSON(t, &out)
		if res.Status != http.StatusOK || len(out.Credits) != 2 || out.Credits["TPL-APPROVED"] != 1 || out.Credits["TPL-REMIND"] != 0 {
			t.Fatalf("first report: %d %s", res.Status, res.Body)
		}
		post(map[string]string{"TPL-APPROVED": "accept", "TPL-REMIND": "accept"})
		res = post(map[string]string{"TPL-APPROVED": "ban", "TPL-REMIND": "filter"})
		res.JSON(t, &out)
		if out.Credits["TPL-APPROVED"] != 2 || out.Credits["TPL-REMIND"] != 1 {
			t.Fatalf("credits %v, want each accept counted once", out.Credits)
		}
		for _, bad := range []map[string]string{{}, {"TPL-APPROVED": "yes"}} {
			if res := post(bad); res.Status != http.StatusBadRequest || res.ErrorField() != "results" {
				t.Errorf("%v: %d %s", bad, res.Status, res.Body)
			}
		}
		if res := app.Client().Do(t, http.MethodPost, "/api/v1/me/subscriptions", map[string]any{"results": map[string]string{"TPL-REMIND": "accept"}}); res.Status != http.StatusUnauthorized {
			t.Errorf("without a session: %d", res.Status)
		}
	})
}

// The running server delivers an approval through the real dispatcher: the
// consent reported by the mini-program is used, once.
func TestPushThroughServer(t *testing.T) {
	app := notifyApp(t, testenv.NewDSN(t, "sqlite"), true)
	wx := testenv.WeChat(t)
	c := testenv.SignIn(t, app)
	wx.GrantSubscribe(c.OpenID, "TPL-APPROVED", 1)
	c.Do(t, http.MethodPost, "/api/v1/me/subscriptions", map[string]any{"results": map[string]string{"TPL-APPROVED": "accept"}})
	reg := certFixture(t, app, c.CandidateID, "2026-12-18", "approved")
	ctx := context.Background()
	if err := app.DB.WithTx(ctx, func(tx repo.Tx) error {
		return app.Core.EnqueueEvent(ctx, tx, core.Event{Kind: domain.EventRegistrationApproved, CandidateID: c.CandidateID,
			RegistrationID: reg, Key: "approved-1"})
	}); err != nil {
		t.Fatal(err)
	}
	msgs := waitSent(t, wx, c.OpenID, 1)
	if msgs[0].TemplateID != "TPL-APPROVED" || msgs[0].Data["phrase2"] != "审核通过" {
		t.Errorf("message %+v", msgs[0])
	}
	// WeChat has the message; the dispatcher records the send just after.
	want := `skillcert_push_sent_total{channel="subscribe",event="registration.approved"} 1`
	var body string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if body = app.Metrics(t); strings.Contains(body, want) {
			return
		}
	}
	t.Errorf("metrics lack the send:\n%s", grep(body, "skillcert_push"))
}

// The exam reminder: nothing before 09:00 the day before 评价开始日期, one at 09:00,
// never a second one however often the scheduler runs.
func TestExamReminderOnce(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := notifyApp(t, dsn, true)
		wx := testenv.WeChat(t)
		c := testenv.SignIn(t, app)
		wx.GrantSubscribe(c.OpenID, "TPL-REMIND", 5)
		c.Do(t, http.MethodPost, "/api/v1/me/subscriptions", map[string]any{"results": map[string]string{"TPL-REMIND": "accept"}})
		c.Do(t, http.MethodPost, "/api/v1/me/subscriptions", map[string]any{"results": map[string]string{"TPL-REMIND": "accept"}})
		reg := certFixture(t, app, c.CandidateID, "2026-12-18", "approved")
		certFixture(t, app, c.CandidateID, "2026-12-18", "rejected") // no reminder
		certFixture(t, app, c.CandidateID, "2026-12-19", "approved") // the day after: not yet
		ctx := context.Background()
		reminders := func() int {
			var n int
			if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM outbox WHERE event_kind = ? AND candidate_id = ?", domain.EventExamReminder, c.CandidateID); err != nil {
				t.Fatal(err)
			}
			return n
		}
		app.Clock.Set(time.Date(2026, 12, 17, 8, 59, 0, 0, domain.Beijing))
		if n, err := app.Core.EnqueueExamReminders(ctx); err != nil || n != 0 || reminders() != 0 {
			t.Fatalf("08:59: %d %v, %d rows", n, err, reminders())
		}
		app.Clock.Set(time.Date(2026, 12, 17, 9, 0, 0, 0, domain.Beijing))
		for range 3 {
			if _, err := app.Core.EnqueueExamReminders(ctx); err != nil {
				t.Fatal(err)
			}
		}
		app.Clock.Set(time.Date(2026, 12, 17, 21, 0, 0, 0, domain.Beijing))
		if _, err := app.Core.EnqueueExamReminders(ctx); err != nil {
			t.Fatal(err)
		}
		if reminders() != 1 {
			t.Fatalf("%d reminders, want 1", reminders())
		}
		msgs := waitSent(t, wx, c.OpenID, 1)
		time.Sleep(100 * time.Millisecond) // a second message would have come by now
		if msgs = sentTo(wx, c.OpenID); len(msgs) != 1 {
			t.Fatalf("%d messages, want 1", len(msgs))
		}
		m := msgs[0]
		if m.TemplateID != "TPL-REMIND" || m.Data["time2"] != "2026年12月18日" || m.Data["thing3"] != "广州市天河区中山大道西1号" ||
			m.Page != "pages/record/record?id="+itoa(reg) {
			t.Errorf("reminder %+v", m)
		}
		var state string
		if err := app.DB.R.Get(&state, "SELECT state FROM outbox WHERE event_kind = ? AND candidate_id = ?", domain.EventExamReminder, c.CandidateID); err != nil || state != repo.OutboxSent {
			t.Errorf("reminder row %q %v", state, err)
		}
	})
}

func sentTo(wx *fake.Server, openID string) []fake.SentMessage {
	var out []fake.SentMessage
	for _, m := range wx.Sent() {
		if m.ToOpenID == openID {
			out = append(out, m)
		}
	}
	return out
}

func waitSent(t *testing.T, wx *fake.Server, openID string, n int) []fake.SentMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := sentTo(wx, openID); len(m) >= n {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d messages to %s after 10 s", n, openID)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
