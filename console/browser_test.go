package console_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium (.ci/run installs the package when missing).
const chromiumPath = "/usr/bin/chromium"

// screens is where the flow test saves its screenshots for review (not committed).
const screens = "testdata/screens"

// newBrowser starts headless Chromium at 1366×768 with a fresh profile and
// returns a tab context. Without Chromium the test is skipped, except in CI.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: the browser tests must run in CI", chromiumPath)
		}
		t.Skipf("%s is missing: browser tests skipped", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
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

// b wraps a browser tab with the test's helpers.
type b struct {
	t    *testing.T
	ctx  context.Context
	base string
	shot int
}

func (x *b) do(steps ...chromedp.Action[chromedp.Void]) {
	x.t.Helper()
	if err := chromedp.Do(x.ctx, steps...); err != nil {
		x.t.Fatalf("browser: %v\npage: %s", err, x.text())
	}
}

// text is the visible text of the page.
func (x *b) text() string {
	s, _ := chromedp.Run(x.ctx, chromedp.Text(chromedp.CSS("body")))
	return s
}

// open loads a console path and waits for its main content.
func (x *b) open(path string) {
	x.t.Helper()
	x.do(chromedp.Navigate(x.base+path), chromedp.WaitVisible(chromedp.CSS("main")))
}

// submit clicks a button and waits for the next page.
func (x *b) click(sel string) {
	x.t.Helper()
	x.do(chromedp.Click(chromedp.CSS(sel)), chromedp.Sleep(150*time.Millisecond), chromedp.WaitVisible(chromedp.CSS("main")))
}

// sees fails unless the page shows every text.
func (x *b) sees(texts ...string) {
	x.t.Helper()
	body := x.text()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			x.t.Fatalf("the page does not show %q:\n%s", s, body)
		}
	}
}

// screenshot saves the whole page as testdata/screens/NN_name.png.
func (x *b) screenshot(name string) {
	x.t.Helper()
	png, err := chromedp.Run(x.ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil {
		x.t.Fatalf("screenshot %s: %v", name, err)
	}
	x.shot++
	if err := os.MkdirAll(screens, 0o755); err != nil {
		x.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screens, fmt.Sprintf("%02d_%s.png", x.shot, name)), png, 0o644); err != nil {
		x.t.Fatal(err)
	}
}

// fill types into form fields by name.
func (x *b) fill(fields map[string]string) {
	x.t.Helper()
	for name, v := range fields {
		sel := chromedp.CSS(fmt.Sprintf(`[name=%q]`, name))
		x.do(chromedp.SetValue(sel, v))
	}
}

// download clicks a link that downloads a file and returns the file's path.
func (x *b) download(sel string) string {
	x.t.Helper()
	dir := x.t.TempDir()
	on := true
	if _, err := chromedp.CallBrowser(x.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &on}); err != nil {
		x.t.Fatal(err)
	}
	progress := chromedp.BrowserEvents(x.ctx, browser.DownloadProgress)
	x.do(chromedp.Click(chromedp.CSS(sel)))
	for ev, err := range progress {
		if err != nil {
			x.t.Fatal(err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			return filepath.Join(dir, ev.GUID)
		case browser.DownloadProgressStateCanceled:
			x.t.Fatal("download cancelled")
		}
	}
	x.t.Fatal("no download")
	return ""
}
