// Package browsertest drives Debian's headless Chromium for the browser tests of
// the console and the candidate web pages: a tab at a given window size, full-page
// screenshots into a folder the test names, and accessibility checks with axe-core
// (installed by `.ci/run` into tools/axe with npm ci).
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's Chromium (.ci/run installs the package when missing).
const ChromiumPath = "/usr/bin/chromium"

// Size is a browser window size in CSS pixels.
type Size struct{ Width, Height int }

// The sizes every candidate and console page is checked at.
var (
	Phone  = Size{390, 844}
	Laptop = Size{1366, 768}
)

// String names the size for screenshot file names, e.g. "390x844".
func (s Size) String() string { return fmt.Sprintf("%dx%d", s.Width, s.Height) }

// New starts headless Chromium with a fresh profile at the given size and returns
// a tab context; every JavaScript confirm dialog is accepted. Without Chromium the
// test is skipped, except in CI (CI=true), where it fails.
func New(t testing.TB, size Size) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: the browser tests must run in CI", ChromiumPath)
		}
		t.Skipf("%s is missing: browser tests skipped", ChromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(size.Width, size.Height),
	}
	if size.Width < 600 {
		// Phones draw overlay scrollbars: without this flag a long page is laid
		// out 15 px narrower than the phone and its screenshot cut at the right.
		opts = append(opts, chromedp.Flag("hide-scrollbars", true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"),
		chromedp.EmulateViewport(int64(size.Width), int64(size.Height))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	acceptDialogs(ctx)
	return ctx
}

// acceptDialogs answers every confirm dialog with OK, as a user who means it.
func acceptDialogs(ctx context.Context) {
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

// Screenshot saves the whole page as dir/name.png (dir is created).
func Screenshot(t testing.TB, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Violation is one axe-core rule that failed on a page.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// String is a one-line summary of the violation and the elements it names.
func (v Violation) String() string {
	var where []string
	for i, n := range v.Nodes {
		if i == 3 {
			where = append(where, fmt.Sprintf("… %d more", len(v.Nodes)-3))
			break
		}
		where = append(where, n.HTML)
	}
	return fmt.Sprintf("%s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(where, " | "))
}

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// axeSource reads axe.min.js from tools/axe/node_modules (npm ci in tools/axe).
func axeSource() (string, error) {
	axeOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		p := filepath.Join(root, "tools", "axe", "node_modules", "axe-core", "axe.min.js")
		b, err := os.ReadFile(p)
		if err != nil {
			axeErr = fmt.Errorf("%w (run `npm ci` in tools/axe)", err)
			return
		}
		axeSrc = string(b)
	})
	return axeSrc, axeErr
}

// Axe runs axe-core on the page in ctx and returns the violations whose impact is
// serious or critical. Without axe-core installed the check is skipped, except in
// CI, where it fails.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core: %v", err)
		}
		t.Logf("axe-core not installed, accessibility check skipped: %v", err)
		return nil
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;void 0")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var all []Violation
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		t.Fatalf("axe-core result: %v", err)
	}
	var bad []Violation
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, v)
		}
	}
	return bad
}

// RequireAccessible fails the test when axe-core finds a serious or critical
// violation on the page; what names the page in the message.
func RequireAccessible(t testing.TB, ctx context.Context, what string) {
	t.Helper()
	if bad := Axe(t, ctx); len(bad) > 0 {
		lines := make([]string, len(bad))
		for i, v := range bad {
			lines[i] = v.String()
		}
		t.Errorf("%s: %d serious or critical accessibility violations:\n%s", what, len(bad), strings.Join(lines, "\n"))
	}
}
