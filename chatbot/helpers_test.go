package chatbot_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/chatbot"
	"skillcert/core"
	"skillcert/demo"
	"skillcert/internal/testenv"
	"skillcert/server"
	"skillcert/wechat/oapush"
)

// Settings of the test official account.
const (
	testToken  = "skillcert-test-token"
	testAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	testMPApp  = "wx-fake-mp"
)

// startApp starts a server with the official account's token and AES key set
// and the demo plan 2501 (code demo.Code) among a few others.
func startApp(t *testing.T, dsn string, configure func(*server.Config)) *testenv.App {
	t.Helper()
	return testenv.Start(t, dsn, testenv.Options{Demo: true, DemoPlans: 30,
		// Compatible mode: the tests post plain and safe-mode messages.
		Env: map[string]string{"WECHAT_OA_TOKEN": testToken, "WECHAT_OA_AES_KEY": testAESKey,
			"WECHAT_OA_MESSAGE_MODE": "compatible"},
		Configure: configure})
}

// msgIDs gives every test message its own MsgId (random start: Redis is shared).
var msgIDs atomic.Int64

func init() { msgIDs.Store(rand.Int64N(1<<50) + 1<<40) }

// follower is one official-account follower talking to the server.
type follower struct {
	t       *testing.T
	app     *testenv.App
	acct    oapush.Account
	openID  string
	unionID string
	secrets []string // what must never appear in a reply (full ID number, phone)
}

// newFollower is a follower in plain (safe false) or AES mode, signing with the
// app's clock.
func newFollower(t *testing.T, app *testenv.App, safe bool) *follower {
	return &follower{t: t, app: app, openID: testenv.NewOpenID(), acct: oapush.Account{Token: testToken,
		AESKey: testAESKey, AppID: "wx-fake-oa", Safe: safe, Now: app.Clock.Now}}
}

func (f *follower) url() string { return f.app.URL + "/wechat/callback" }

// push posts m and checks the answer: 200, a text reply of at most 2048 bytes
// addressed to the follower, without full ID numbers or phones.
func (f *follower) push(m oapush.Message) replyOf {
	f.t.Helper()
	m.From = f.openID
	if m.UnionID == "" {
		m.UnionID = f.unionID
	}
	r, err := f.acct.Send(context.Background(), http.DefaultClient, f.url(), m)
	if err != nil {
		f.t.Fatalf("push %q: %v", m.Content, err)
	}
	if r.Status != http.StatusOK {
		f.t.Fatalf("push %q: status %d %s", m.Content, r.Status, r.Body)
	}
	if !r.Success {
		if r.MsgType != "text" || r.To != f.openID {
			f.t.Fatalf("reply of type %q to %q", r.MsgType, r.To)
		}
		checkReply(f.t, r.Content, f.secrets)
	}
	return replyOf{r}
}

// replyOf is a reply with test helpers.
type replyOf struct{ oapush.Reply }

// say sends a text with a new MsgId and returns the reply's text.
func (f *follower) say(text string) string {
	f.t.Helper()
	return f.push(oapush.Text("", msgIDs.Add(1), text)).Content
}

// expect sends a text and fails unless the reply holds every want.
func (f *follower) expect(text string, want ...string) string {
	f.t.Helper()
	got := f.say(text)
	for _, w := range want {
		if !strings.Contains(got, w) {
			f.t.Fatalf("reply to %q lacks %q:\n%s", text, w, got)
		}
	}
	return got
}

// event sends an event and returns the reply's text ("" for success).
func (f *follower) event(event, key string) string {
	f.t.Helper()
	return f.push(oapush.Event("", event, key)).Content
}

// event is an event push; eventClick a menu click.
func event(name string) oapush.Message { return oapush.Event("", name, "") }

func eventClick(key string) oapush.Message { return oapush.Event("", chatbot.EventClick, key) }

// messageOfType is a message of another type (image, voice, ...).
func messageOfType(msgType string) oapush.Message {
	return oapush.Message{MsgType: msgType, MsgID: msgIDs.Add(1)}
}

// mustContain fails unless the reply holds every want.
func (r replyOf) mustContain(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.Content, w) {
			t.Fatalf("reply lacks %q:\n%s", w, r.Content)
		}
	}
}

var idNumberLike = regexp.MustCompile(`(^|\D)\d{17}[\dXx]($|[^\dXx])`)

// checkReply holds every reply to the chat's rules.
func checkReply(t *testing.T, s string, secrets []string) {
	t.Helper()
	if len(s) > 2048 {
		t.Fatalf("reply of %d bytes:\n%s", len(s), s)
	}
	if idNumberLike.MatchString(s) {
		t.Fatalf("reply carries an ID number:\n%s", s)
	}
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Fatalf("reply carries %q:\n%s", sec, s)
		}
	}
}

// candidate is a signed-in candidate with an identity, bound to a follower by
// a bind code through the chat.
func candidate(t *testing.T, app *testenv.App, f *follower) *testenv.Client {
	t.Helper()
	number := testenv.RandomIDNumber("01")
	c := testenv.SignInWithIdentity(t, app, "张三", "01", number)
	f.secrets = append(f.secrets, number)
	f.expect("绑定 "+bindCode(t, c), "关联成功")
	return c
}

// bindCode gets a bind code as the mini-program does.
func bindCode(t testing.TB, c *testenv.Client) string {
	t.Helper()
	res := c.Do(t, http.MethodPost, "/api/v1/me/oa-bind-code", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("oa-bind-code: %d %s", res.Status, res.Body)
	}
	var out core.OABindCode
	res.JSON(t, &out)
	if len(out.Code) != 6 || out.ExpiresAt.IsZero() {
		t.Fatalf("bind code %+v", out)
	}
	return out.Code
}

// upload adds a PDF attachment for a checklist item through the API.
func upload(t *testing.T, c *testenv.Client, regID int64, item string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("item", item)
	fw, _ := w.CreateFormFile("file", item+".pdf")
	_, _ = fw.Write([]byte("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"))
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/registrations/%d/attachments", c.Base, regID), &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if res := c.Send(t, req); res.Status != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", item, res.Status, res.Body)
	}
}

// registration reads a registration through the API.
func registration(t *testing.T, c *testenv.Client, id int64) core.RegistrationView {
	t.Helper()
	res := c.Get(t, fmt.Sprintf("/api/v1/registrations/%d", id))
	if res.Status != http.StatusOK {
		t.Fatalf("registration %d: %d %s", id, res.Status, res.Body)
	}
	var v core.RegistrationView
	res.JSON(t, &v)
	return v
}

// onlyRegistration returns the candidate's one registration.
func onlyRegistration(t *testing.T, c *testenv.Client) core.RegistrationView {
	t.Helper()
	res := c.Get(t, "/api/v1/registrations")
	var page core.Page[core.RegistrationView]
	res.JSON(t, &page)
	if len(page.Items) != 1 {
		t.Fatalf("want one registration, got %s", res.Body)
	}
	return page.Items[0]
}

// addPlan publishes an open plan of a level with a registration code, like the
// demo plan 2501.
func addPlan(t *testing.T, app *testenv.App, level int, planNo, code string) {
	t.Helper()
	ctx := context.Background()
	db := app.DB
	p, err := db.GetPlanByNo(ctx, db.R, demo.PlanNo)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	p.ID, p.PlanNo, p.Level, p.SeatsTaken = 0, planNo, level, 0
	p.OccupationName = "育婴员"
	p.CreatedAt, p.UpdatedAt, p.PublishedAt = now, now, sql.NullTime{Time: now, Valid: true}
	err = db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		if err := db.InsertPlan(ctx, tx, &p); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO registration_codes (code, plan_id, state, use_count, created_at) VALUES (?, ?, 'active', 0, ?)`,
			code, p.ID, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Core.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
}
