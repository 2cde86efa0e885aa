package console_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"skillcert/internal/browsertest"
)

// screens is where the browser tests save their screenshots for review (not committed).
const screens = "testdata/screens"

// newBrowser starts headless Chromium at size (internal/browsertest). Without
// Chromium the test is skipped, except in CI.
func newBrowser(t *testing.T, size browsertest.Size) *b {
	t.Helper()
	return &b{t: t, ctx: browsertest.New(t, size), size: size}
}

// b wraps a browser tab with the test's helpers.
type b struct {
	t    *testing.T
	ctx  context.Context
	base string
	size browsertest.Size
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

// screenshot saves the whole page as testdata/screens/NN_name_WxH.png.
func (x *b) screenshot(name string) {
	x.t.Helper()
	x.shot++
	browsertest.Screenshot(x.t, x.ctx, screens, fmt.Sprintf("%s_%02d_%s_%s", strings.ReplaceAll(x.t.Name(), "/", "_"), x.shot, name, x.size))
}

// check screenshots the page, runs axe-core on it (no serious or critical
// violation) and, on a phone, makes sure nothing is wider than the screen.
func (x *b) check(name string) {
	x.t.Helper()
	x.screenshot(name)
	browsertest.RequireAccessible(x.t, x.ctx, name+" at "+x.size.String())
	if x.size.Width < 500 {
		w, err := chromedp.Run(x.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			x.t.Fatal(err)
		}
		if w > x.size.Width {
			wide, _ := chromedp.Run(x.ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('table')).slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ')`))
			x.t.Errorf("%s at %s: the page is %d px wide (too wide: %s)", name, x.size, w, wide)
		}
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
