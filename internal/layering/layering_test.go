// The import rules of docs/ARCHITECTURE.md: TestImportRules lists
// every package of the module with `go list`, reads each file's imports, and
// fails on an import a rule forbids.

package layering

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "skillcert"

// pkg is what `go list -json` says of one package (the fields read here).
type pkg struct {
	ImportPath   string
	Dir          string
	GoFiles      []string
	TestGoFiles  []string
	XTestGoFiles []string
	Deps         []string
}

// fileImport is one import of one file.
type fileImport struct {
	pkg  string // import path of the importing package
	file string // path relative to the module root
	test bool   // a _test.go file
	path string // what it imports
}

// rule forbids some imports in some files.
type rule struct {
	name string
	// applies tells whether the rule covers a file of package p.
	applies func(f fileImport) bool
	// forbidden tells whether the import path breaks the rule.
	forbidden func(path string) bool
}

func under(p string, roots ...string) bool {
	for _, r := range roots {
		r = module + "/" + r
		if p == r || strings.HasPrefix(p, r+"/") {
			return true
		}
	}
	return false
}

func isSDK(path string) bool { return strings.HasPrefix(path, "github.com/silenceper/wechat") }

// wiring is the server package's composition root: the files that open the
// database and build core may import repo; its routes and handlers may not.
var wiring = map[string]bool{
	"server/server.go":       true,
	"server/config.go":       true,
	"server/registration.go": true,
}

// rules are the import rules, each named as docs/ARCHITECTURE.md names it.
var rules = []rule{
	{
		name: "nothing above core imports repo",
		applies: func(f fileImport) bool {
			if f.test {
				return false // tests may build fixtures through repo
			}
			if under(f.pkg, "server") {
				return !wiring[f.file]
			}
			return under(f.pkg, "handlers", "console", "chatbot", "web")
		},
		forbidden: func(p string) bool { return under(p, "repo") },
	},
	{
		name: "the blob store is core's: no front door imports blobstore",
		applies: func(f fileImport) bool {
			if f.test {
				return false
			}
			if under(f.pkg, "server") {
				return !wiring[f.file]
			}
			return under(f.pkg, "handlers", "console", "chatbot", "web")
		},
		forbidden: func(p string) bool { return under(p, "blobstore") },
	},
	{
		name:      "core reaches WeChat only through interfaces it owns",
		applies:   func(f fileImport) bool { return under(f.pkg, "core") },
		forbidden: func(p string) bool { return under(p, "wechat") || isSDK(p) },
	},
	{
		name:      "the WeChat SDK is imported only under wechat/",
		applies:   func(f fileImport) bool { return !under(f.pkg, "wechat") },
		forbidden: isSDK,
	},
	{
		name:      "core knows nothing of HTTP or Echo",
		applies:   func(f fileImport) bool { return under(f.pkg, "core") && !f.test },
		forbidden: func(p string) bool { return p == "net/http" || strings.HasPrefix(p, "github.com/labstack/echo") },
	},
	{
		name:      "core reaches the database through repo's handles: it does not import sqlx",
		applies:   func(f fileImport) bool { return under(f.pkg, "core") && !f.test },
		forbidden: func(p string) bool { return strings.HasPrefix(p, "github.com/jmoiron/sqlx") },
	},
	{
		name:    "domain is pure: no package of the module, no database",
		applies: func(f fileImport) bool { return under(f.pkg, "domain") && !f.test },
		forbidden: func(p string) bool {
			return strings.HasPrefix(p, module+"/") || p == "database/sql" || strings.HasPrefix(p, "github.com/jmoiron/sqlx")
		},
	},
	{
		name: "the demo data is not in the request path: core and the front doors do not import demo",
		applies: func(f fileImport) bool {
			return under(f.pkg, "core", "handlers", "console", "chatbot", "web", "repo", "domain") && !f.test
		},
		forbidden: func(p string) bool { return under(p, "demo") },
	},
	{
		name: "repo, wechat, planindex, feed, ratelimit and blobstore sit below core: they import no front door and not core",
		applies: func(f fileImport) bool {
			return under(f.pkg, "repo", "wechat", "planindex", "feed", "ratelimit", "blobstore") && !f.test
		},
		forbidden: func(p string) bool {
			return under(p, "core", "handlers", "console", "chatbot", "web", "server", "notify")
		},
	},
}

// transitive are rules on what a package may depend on at any depth (its
// non-test dependency closure, `go list -deps`).
var transitive = []struct {
	name      string
	pkg       string
	forbidden func(path string) bool
}{
	{"core depends on no WeChat code, not even through another package", module + "/core",
		func(p string) bool { return under(p, "wechat") || isSDK(p) }},
}

// known are violations that exist today and are being removed (issue 13);
// each is "file -> import" (or "package => rule" for a transitive rule). A new
// violation fails the test, and so does an entry here that no longer occurs
// (delete it).
var known = map[string]bool{}

func TestImportRules(t *testing.T) {
	pkgs := listPackages(t, "./...")
	var bad []string
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, fi := range fileImports(t, p) {
			for _, r := range rules {
				if !r.applies(fi) || !r.forbidden(fi.path) {
					continue
				}
				key := fi.file + " -> " + fi.path
				if known[key] {
					seen[key] = true
					continue
				}
				bad = append(bad, fmt.Sprintf("%s imports %s: breaks %q", fi.file, fi.path, r.name))
			}
		}
		for _, r := range transitive {
			if p.ImportPath != r.pkg {
				continue
			}
			var hits []string
			for _, d := range p.Deps {
				if r.forbidden(d) {
					hits = append(hits, d)
				}
			}
			if len(hits) == 0 {
				continue
			}
			key := p.ImportPath + " => " + r.name
			if known[key] {
				seen[key] = true
				continue
			}
			bad = append(bad, fmt.Sprintf("%s depends on %s (and %d more): breaks %q", p.ImportPath, hits[0], len(hits)-1, r.name))
		}
	}
	for k := range known {
		if !seen[k] {
			bad = append(bad, fmt.Sprintf("known violation %q no longer occurs: delete it from known", k))
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: the guard is not looking at the module", len(pkgs))
	}
}

// TestRulesCatchBadImports feeds the rules imports that break them, so a rule
// that cannot fail is noticed.
func TestRulesCatchBadImports(t *testing.T) {
	cases := []fileImport{
		{pkg: module + "/handlers", file: "handlers/x.go", path: module + "/repo"},
		{pkg: module + "/handlers", file: "handlers/x.go", path: module + "/blobstore"},
		{pkg: module + "/web", file: "web/x.go", path: module + "/blobstore"},
		{pkg: module + "/handlers/console", file: "handlers/console/x.go", path: module + "/repo"},
		{pkg: module + "/chatbot", file: "chatbot/x.go", path: module + "/repo"},
		{pkg: module + "/web", file: "web/x.go", path: module + "/repo"},
		{pkg: module + "/server", file: "server/routes.go", path: module + "/repo"},
		{pkg: module + "/core", file: "core/x.go", path: module + "/wechat"},
		{pkg: module + "/core", file: "core/x.go", path: "github.com/silenceper/wechat/v2/util"},
		{pkg: module + "/handlers", file: "handlers/x.go", path: "github.com/silenceper/wechat/v2/officialaccount"},
		{pkg: module + "/server", file: "server/server.go", path: "github.com/silenceper/wechat/v2"},
		{pkg: module + "/planindex", file: "planindex/x.go", path: module + "/core"},
		{pkg: module + "/ratelimit", file: "ratelimit/x.go", path: module + "/handlers"},
		{pkg: module + "/internal/x", file: "internal/x/x_test.go", test: true, path: "github.com/silenceper/wechat/v2/util"},
		{pkg: module + "/core", file: "core/x.go", path: "net/http"},
		{pkg: module + "/core", file: "core/x.go", path: "github.com/jmoiron/sqlx"},
		{pkg: module + "/domain", file: "domain/x.go", path: module + "/repo"},
		{pkg: module + "/repo", file: "repo/x.go", path: module + "/core"},
		{pkg: module + "/wechat", file: "wechat/x.go", path: module + "/core"},
	}
	for _, c := range cases {
		caught := false
		for _, r := range rules {
			if r.applies(c) && r.forbidden(c.path) {
				caught = true
			}
		}
		if !caught {
			t.Errorf("no rule forbids %s importing %s", c.file, c.path)
		}
	}
	allowed := []fileImport{
		{pkg: module + "/server", file: "server/server.go", path: module + "/repo"},
		{pkg: module + "/handlers", file: "handlers/x_test.go", test: true, path: module + "/repo"},
		{pkg: module + "/wechat/fake", file: "wechat/fake/x.go", path: "github.com/silenceper/wechat/v2/util"},
		{pkg: module + "/core", file: "core/x.go", path: module + "/repo"},
	}
	for _, c := range allowed {
		for _, r := range rules {
			if r.applies(c) && r.forbidden(c.path) {
				t.Errorf("rule %q forbids %s importing %s, which is allowed", r.name, c.file, c.path)
			}
		}
	}
}

// listPackages runs `go list -deps=false -json` on patterns from the module root.
func listPackages(t *testing.T, patterns ...string) []pkg {
	t.Helper()
	root := moduleRoot(t)
	cmd := exec.Command("go", append([]string{"list", "-e", "-json=ImportPath,Dir,GoFiles,TestGoFiles,XTestGoFiles,Deps"}, patterns...)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// fileImports parses the import block of every file of p (build-tagged files
// of this platform, and its tests).
func fileImports(t *testing.T, p pkg) []fileImport {
	t.Helper()
	root := moduleRoot(t)
	var out []fileImport
	fset := token.NewFileSet()
	add := func(names []string, test bool) {
		for _, n := range names {
			path := filepath.Join(p.Dir, n)
			f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatalf("parse %s: %v", path, err)
			}
			rel, _ := filepath.Rel(root, path)
			for _, is := range f.Imports {
				ip, _ := strconv.Unquote(is.Path.Value)
				out = append(out, fileImport{pkg: p.ImportPath, file: filepath.ToSlash(rel), test: test, path: ip})
			}
		}
	}
	add(p.GoFiles, false)
	add(p.TestGoFiles, true)
	add(p.XTestGoFiles, true)
	return out
}
