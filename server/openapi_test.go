package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"skillcert/docs"
	"skillcert/internal/browsertest"
	"skillcert/internal/testenv"
)

// echoParam is a path parameter as Echo writes it (:id); the contract writes {id}.
var echoParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// Every route of the route table under /api/v1 is in docs/openapi.yaml with
// its method, and the contract has no operation the server lacks.
func TestContractCoversRouteTable(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	served := map[string]bool{}
	for _, r := range app.Echo.Routes() {
		if r.Path != testenv.APIPrefix && !strings.HasPrefix(r.Path, testenv.APIPrefix+"/") {
			continue
		}
		if r.Method == "echo_route_not_found" || r.Method == "RouteNotFound" {
			continue
		}
		served[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	c, err := testenv.LoadContract()
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, item := range c.Doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	if len(served) < 40 {
		t.Fatalf("only %d routes under %s: is the route table read?", len(served), testenv.APIPrefix)
	}
	var missing, extra []string
	for r := range served {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for r := range documented {
		if !served[r] {
			extra = append(extra, r)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes of server/routes.go missing from docs/openapi.yaml:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("operations of docs/openapi.yaml that the server does not route:\n  %s", strings.Join(extra, "\n  "))
	}
}

// /api/v1/openapi.json is the embedded YAML as JSON; /api/docs is the reference
// page, with its renderer served from here under a strict CSP; the API index
// and the front page link both.
func TestContractServed(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	c := app.Client()

	res := c.Get(t, "/api/v1/openapi.json")
	want, err := docs.OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
		string(res.Body) != string(want) {
		t.Fatalf("openapi.json: %d %s, %d bytes (want %d)", res.Status, res.Header.Get("Content-Type"), len(res.Body), len(want))
	}

	page := c.Get(t, "/api/docs")
	csp := page.Header.Get("Content-Security-Policy")
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), `<script src="/api/docs/redoc.standalone.js">`) ||
		!strings.Contains(string(page.Body), `spec-url="/api/v1/openapi.json"`) {
		t.Fatalf("/api/docs: %d\n%s", page.Status, page.Body)
	}
	for _, d := range []string{"default-src 'none'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("/api/docs CSP %q lacks %q", csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("/api/docs CSP %q allows scripts it must not", csp)
	}
	js := c.Get(t, "/api/docs/redoc.standalone.js")
	if js.Status != http.StatusOK || !strings.Contains(js.Header.Get("Content-Type"), "javascript") || len(js.Body) < 500_000 {
		t.Fatalf("redoc bundle: %d %s %d bytes", js.Status, js.Header.Get("Content-Type"), len(js.Body))
	}

	// The vendored bundle is the version tools/openapi pins.
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	b, err := os.ReadFile("../tools/openapi/package.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	v, err := os.ReadFile("apidocs/REDOC_VERSION")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(v)); got != pkg.DevDependencies["redoc"] {
		t.Errorf("server/apidocs has redoc %s, tools/openapi/package.json pins %s: run tools/openapi/update-redoc.sh",
			got, pkg.DevDependencies["redoc"])
	}

	var idx struct {
		OpenAPI string `json:"openapi"`
		Docs    string `json:"docs"`
	}
	c.Get(t, "/api/v1/").JSON(t, &idx)
	if idx.OpenAPI != "/api/v1/openapi.json" || idx.Docs != "/api/docs" {
		t.Errorf("API index: %+v", idx)
	}
	front := c.Get(t, "/")
	for _, link := range []string{`href="/api/docs"`, `href="/api/v1/openapi.json"`} {
		if !strings.Contains(string(front.Body), link) {
			t.Errorf("front page lacks %s", link)
		}
	}
}

// The reference page renders in a browser under its CSP: Redoc draws the
// operations of the contract and the browser reports no blocked resource.
func TestContractPageRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	ctx := browsertest.New(t, browsertest.Size{Width: 1280, Height: 900})
	var mu sync.Mutex
	var logged []string // the browser's console and log errors (a CSP refusal is one)
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				logged = append(logged, e.Entry.Text)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				for _, a := range e.Args {
					logged = append(logged, string(a.Value)+a.Description)
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(app.URL+"/api/docs")); err != nil {
		t.Fatal(err)
	}
	// Redoc fetches the contract and draws it; then its search worker starts.
	var text string
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		var err error
		if text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, "评价计划查询") {
			break
		}
	}
	time.Sleep(time.Second)
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(text, "评价计划查询") {
		t.Fatalf("the reference page did not render (browser errors: %q):\n%s", logged, text)
	}
	for _, s := range []string{"skillcert API", "/api/v1/registrations/{id}", "bearer"} {
		if !strings.Contains(text, s) {
			t.Errorf("reference page lacks %q", s)
		}
	}
	for _, m := range logged {
		// Redoc's sidebar credit loads its logo from Redocly's CDN: the CSP refuses
		// it, as it should, and the image hides itself.
		if strings.Contains(m, "https://cdn.redoc.ly/redoc/logo-mini.svg") {
			continue
		}
		t.Errorf("browser error on /api/docs: %s", m)
	}
}
