package chatbot_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"skillcert/internal/testenv"
	"skillcert/server"
	"skillcert/wechat/fake"
	"skillcert/wechat/oapush"
)

// TestCallbackSignature covers the URL check (echostr) and the refusals: a bad
// signature, a timestamp over 5 minutes old or ahead, a bad msg_signature in
// safe mode, missing parameters — all 403; bad bodies 400.
func TestCallbackSignature(t *testing.T) {
	app := startApp(t, testenv.NewDSN(t, "sqlite"), nil)
	f := newFollower(t, app, false)
	get := func(url string) (int, string) {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if st, body := get(f.acct.VerifyURL(f.url(), "echo-12345")); st != http.StatusOK || body != "echo-12345" {
		t.Fatalf("URL check: %d %q", st, body)
	}
	wrong := f.acct
	wrong.Token = "not-the-token"
	if st, _ := get(wrong.VerifyURL(f.url(), "x")); st != http.StatusForbidden {
		t.Fatalf("wrong token: %d", st)
	}
	old := f.acct
	old.Now = func() time.Time { return time.Now().Add(-6 * time.Minute) }
	if st, _ := get(old.VerifyURL(f.url(), "x")); st != http.StatusForbidden {
		t.Fatalf("old timestamp: %d", st)
	}
	ahead := f.acct
	ahead.Now = func() time.Time { return time.Now().Add(6 * time.Minute) }
	if st, _ := get(ahead.VerifyURL(f.url(), "x")); st != http.StatusForbidden {
		t.Fatalf("timestamp ahead: %d", st)
	}
	if st, _ := get(f.url() + "?echostr=x"); st != http.StatusForbidden {
		t.Fatalf("no signature: %d", st)
	}

	post := func(a oapush.Account, mutate func(q url.Values), body []byte) int {
		q, b, err := a.Sign(f.openID, body)
		if err != nil {
			t.Fatal(err)
		}
		if mutate != nil {
			mutate(q)
		}
		res, err := http.Post(f.url()+"?"+q.Encode(), "text/xml", strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	text := oapush.Text(f.openID, msgIDs.Add(1), "帮助").XML(time.Now())
	if st := post(wrong, nil, text); st != http.StatusForbidden {
		t.Fatalf("POST with a wrong signature: %d", st)
	}
	if st := post(old, nil, text); st != http.StatusForbidden {
		t.Fatalf("POST with an old timestamp: %d", st)
	}
	safe := f.acct
	safe.Safe = true
	badMsgSig := func(q url.Values) { q.Set("msg_signature", strings.Repeat("0", 40)) }
	if st := post(safe, badMsgSig, text); st != http.StatusForbidden {
		t.Fatalf("safe mode with a bad msg_signature: %d", st)
	}
	if st := post(f.acct, nil, []byte("<xml><MsgType>")); st != http.StatusBadRequest {
		t.Fatalf("broken XML: %d", st)
	}
	if st := post(safe, nil, text); st != http.StatusOK {
		t.Fatalf("a good safe-mode push: %d", st)
	}
	if app.Logs.Contains("帮助") {
		t.Fatal("message text must not be logged")
	}
}

// TestLateAnswerGoesAsCustomerMessage: past the reply budget the callback
// answers "success" and the answer follows as a customer-service message.
func TestLateAnswerGoesAsCustomerMessage(t *testing.T) {
	app := startApp(t, testenv.NewDSN(t, "sqlite"), func(cfg *server.Config) { cfg.Chat.ReplyBudget = time.Nanosecond })
	f := newFollower(t, app, false)
	wx := testenv.WeChat(t)
	wx.AddFollower(f.openID)
	r := f.push(oapush.Text("", msgIDs.Add(1), "帮助"))
	if !r.Success {
		// The bot was quicker than a nanosecond's timer: possible, though rare.
		t.Skipf("answered in time: %q", r.Content)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range wx.Sent() {
			if m.Kind == fake.KindCustom && m.ToOpenID == f.openID {
				if !strings.Contains(m.Text, "请回复以下文字办理") {
					t.Fatalf("late answer %q", m.Text)
				}
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no customer-service message within 5 s")
}
