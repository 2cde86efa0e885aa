package wechat_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"skillcert/wechat"
	"skillcert/wechat/fake"
)

func TestCheckText(t *testing.T) {
	e := newEnv(t, fake.Options{StrictOpenIDs: true})
	ctx := context.Background()
	e.fake.RegisterCode("c1", "o_writer", "")
	if _, err := e.client.Code2Session(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	e.fake.MarkTextRisky("违禁词")
	e.fake.MarkTextReview("待复核")
	for text, want := range map[string]string{"考场秩序良好。": wechat.VerdictPass, "有人兜售违禁词资料": wechat.VerdictRisky,
		"门口有待复核的传单": wechat.VerdictReview} {
		got, err := e.client.CheckText(ctx, wechat.TextCheck{OpenID: "o_writer", Scene: wechat.SceneComment, Content: text})
		if err != nil || got != want {
			t.Fatalf("CheckText(%q) = %q, %v; want %q", text, got, err, want)
		}
	}
	// WeChat's refusals: an openid it does not know, WeChat busy; a bad scene is not sent.
	_, err := e.client.CheckText(ctx, wechat.TextCheck{OpenID: "o_stranger", Scene: wechat.SceneComment, Content: "x"})
	wantErr(t, err, wechat.ClassBadData, 40003)
	e.fake.FailNextOn(fake.PathMsgSecCheck, 1, -1)
	_, err = e.client.CheckText(ctx, wechat.TextCheck{OpenID: "o_writer", Scene: wechat.SceneComment, Content: "x"})
	wantErr(t, err, wechat.ClassRetryLater, -1)
	calls := e.fake.Calls(fake.PathMsgSecCheck)
	_, err = e.client.CheckText(ctx, wechat.TextCheck{OpenID: "o_writer", Scene: 9, Content: "x"})
	wantErr(t, err, wechat.ClassBadData, 0)
	if e.fake.Calls(fake.PathMsgSecCheck) != calls {
		t.Fatal("a bad scene reached WeChat")
	}
	// An expired token is fetched again and the check goes through.
	e.fake.ExpireTokens()
	if got, err := e.client.CheckText(ctx, wechat.TextCheck{OpenID: "o_writer", Scene: wechat.SceneComment, Content: "好"}); err != nil || got != wechat.VerdictPass {
		t.Fatalf("after expiry: %q, %v", got, err)
	}
}

// memReplays is a ReplayGuard in memory.
type memReplays struct {
	mu   sync.Mutex
	seen map[string]string
}

func (m *memReplays) ClaimCallbackNonce(_ context.Context, ts, nonce string, body []byte) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen == nil {
		m.seen = map[string]string{}
	}
	k := ts + "/" + nonce
	if b, ok := m.seen[k]; ok {
		return b == string(body), nil
	}
	m.seen[k] = string(body)
	return true, nil
}

func TestCheckMediaAsyncVerdictPushed(t *testing.T) {
	f := fake.New(fake.Options{})
	api := httptest.NewServer(f)
	t.Cleanup(api.Close)
	cfg := baseConfig(api.URL)
	cfg.MPToken = "mp-push-token"
	c, err := wechat.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	good, bad := []byte("photo of a queue"), []byte("photo of something risky")
	f.MarkMediaRisky(bad)
	media := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.Write(bad)
			return
		}
		if r.URL.Path == "/good" {
			w.Write(good)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(media.Close)

	var mu sync.Mutex
	got := map[string]*wechat.MediaVerdict{}
	push := c.NewMPMessageServer(&memReplays{}, time.Now)
	callback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		cb, err := push.Open(r.Context(), r.URL.Query(), r.Header.Get("Content-Type"), body)
		if err != nil || cb.Message.Media == nil {
			http.Error(w, "refused", http.StatusForbidden)
			return
		}
		mu.Lock()
		got[cb.Message.Media.TraceID] = cb.Message.Media
		mu.Unlock()
		w.Write([]byte("success"))
	}))
	t.Cleanup(callback.Close)

	traces := map[string]string{}
	for _, p := range []string{"/good", "/bad", "/missing"} {
		trace, err := c.CheckMediaAsync(ctx, wechat.MediaCheck{OpenID: "o_sender", Scene: wechat.SceneComment, URL: media.URL + p})
		if err != nil || trace == "" {
			t.Fatalf("CheckMediaAsync(%s) = %q, %v", p, trace, err)
		}
		traces[p] = trace
	}
	_, err = c.CheckMediaAsync(ctx, wechat.MediaCheck{OpenID: "o_sender", Scene: wechat.SceneComment, URL: "ftp://x"})
	wantErr(t, err, wechat.ClassBadData, 0)

	// A push signed with another token is refused and stays queued, as WeChat retries it.
	if n, err := f.DeliverMediaChecks(ctx, callback.URL, "wrong-token"); n != 0 || err == nil || f.PendingMediaChecks() != 3 {
		t.Fatalf("wrong token: %d %v (pending %d)", n, err, f.PendingMediaChecks())
	}
	if n, err := f.DeliverMediaChecks(ctx, callback.URL, "mp-push-token"); n != 3 || err != nil {
		t.Fatalf("deliver: %d %v", n, err)
	}
	want := map[string]wechat.MediaVerdict{
		"/good":    {TraceID: traces["/good"], Suggest: wechat.VerdictPass},
		"/bad":     {TraceID: traces["/bad"], Suggest: wechat.VerdictRisky},
		"/missing": {TraceID: traces["/missing"], Suggest: "", ErrCode: -1},
	}
	for p, w := range want {
		if g := got[traces[p]]; g == nil || *g != w {
			t.Fatalf("%s: verdict %+v, want %+v", p, g, w)
		}
	}
}
