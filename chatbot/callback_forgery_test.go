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
	"skillcert/wechat/oapush"
)

// postSigned posts body under an already signed query (as an attacker who
// logged a callback URL would) and returns the status and body.
func postSigned(t *testing.T, f *follower, q url.Values, body []byte) (int, string) {
	t.Helper()
	res, err := http.Post(f.url()+"?"+q.Encode(), "text/xml", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b := new(strings.Builder)
	_, _ = io.Copy(b, res.Body)
	return res.StatusCode, b.String()
}

// With an AES key and the default (safe) mode, a plain message is refused even
// with a good signature: nothing signs a plain body.
func TestCallbackSafeModeRefusesPlain(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{
		Env: map[string]string{"WECHAT_OA_TOKEN": testToken, "WECHAT_OA_AES_KEY": testAESKey}})
	plain := newFollower(t, app, false)
	q, body, err := plain.acct.Sign(plain.openID, oapush.Text(plain.openID, msgIDs.Add(1), "记录").XML(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if st, b := postSigned(t, plain, q, body); st != http.StatusForbidden || !strings.Contains(b, "plain_message_refused") {
		t.Fatalf("plain message in safe mode: %d %s", st, b)
	}
	safe := newFollower(t, app, true)
	if r := safe.push(oapush.Text("", msgIDs.Add(1), "帮助")); r.Content == "" && !r.Success {
		t.Fatalf("safe-mode message: %+v", r)
	}
}

// A captured (timestamp, nonce, signature) replays with another body: refused,
// on the database and on Redis; WeChat's retry of the very same request passes.
func TestCallbackNonceReuse(t *testing.T) {
	run := func(t *testing.T, app *testenv.App) {
		f := newFollower(t, app, false)
		first := oapush.Text(f.openID, msgIDs.Add(1), "帮助").XML(time.Now())
		q, body, err := f.acct.Sign(f.openID, first)
		if err != nil {
			t.Fatal(err)
		}
		st, reply := postSigned(t, f, q, body)
		if st != http.StatusOK {
			t.Fatalf("first delivery: %d %s", st, reply)
		}
		// WeChat retries the same request: the same answer (CreateTime aside).
		content := func(s string) string { return s[strings.Index(s, "<MsgType>"):] }
		if st, again := postSigned(t, f, q, body); st != http.StatusOK || content(again) != content(reply) {
			t.Fatalf("retry: %d %q, want %q", st, again, reply)
		}
		// The logged URL with a forged message from another follower: refused.
		forged := oapush.Text(testenv.NewOpenID(), msgIDs.Add(1), "记录").XML(time.Now())
		if st, b := postSigned(t, f, q, forged); st != http.StatusForbidden {
			t.Fatalf("forged body under a used nonce: %d %s", st, b)
		}
		// The URL check (GET) is refused a second time with another echostr too.
		vq := url.Values{"signature": {q.Get("signature")}, "timestamp": {q.Get("timestamp")}, "nonce": {q.Get("nonce")}, "echostr": {"x"}}
		res, err := http.Get(f.url() + "?" + vq.Encode())
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("GET under a used nonce: %d", res.StatusCode)
		}
	}
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		run(t, startApp(t, dsn, nil))
	})
	t.Run("redis", func(t *testing.T) {
		rds := testenv.StartRedis(t)
		app := startApp(t, testenv.NewDSN(t, "sqlite"), func(cfg *server.Config) { cfg.RedisURL = rds.URL() })
		run(t, app)
		var n int
		if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM oa_callback_nonces"); err != nil || n != 0 {
			t.Fatalf("nonces in the database with Redis up: %d %v", n, err)
		}
		// Redis down: the database stands in.
		rds.Stop(t)
		run(t, app)
	})
}
