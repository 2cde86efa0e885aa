package browsertest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAxeFindsViolations proves the check bites: an image without alt text and an
// unlabelled input are reported; the same page fixed is clean.
func TestAxeFindsViolations(t *testing.T) {
	pages := map[string]string{
		"/bad":  `<!doctype html><html lang="zh-CN"><head><title>坏</title></head><body><main><img src="x.png"><input type="text"></main></body></html>`,
		"/good": `<!doctype html><html lang="zh-CN"><head><title>好</title></head><body><main><h1>好</h1><img src="x.png" alt="示例"><label>姓名 <input type="text"></label></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	ctx := New(t, Phone)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	if _, err := axeSource(); err != nil {
		t.Skipf("axe-core not installed: %v", err)
	}
	bad := Axe(t, ctx)
	ids := map[string]bool{}
	for _, v := range bad {
		ids[v.ID] = true
	}
	if !ids["image-alt"] || !ids["label"] {
		t.Fatalf("axe did not report image-alt and label: %v", bad)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/good")); err != nil {
		t.Fatal(err)
	}
	if bad := Axe(t, ctx); len(bad) > 0 {
		t.Fatalf("clean page reported: %v", bad)
	}
	Screenshot(t, ctx, t.TempDir(), "good")
}
