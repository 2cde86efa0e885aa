package layering

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// operationVerbs are the verbs core's operations start with (docs/ARCHITECTURE.md,
// "Naming"). A new verb is added here on purpose, not by accident.
var operationVerbs = []string{
	"Add", "Admit", "Apply", "Arrange", "Authenticate", "Backfill", "Bind", "Build", "Cancel",
	"Change", "Check", "Claim", "Close", "Count", "Create", "Delete", "Edit", "End",
	"Enqueue", "Export", "Find", "Finish", "Generate", "Get", "Import", "Is", "Issue",
	"List", "Log", "Lookup", "Move", "Open", "Publish", "Purge", "Record", "Redeem",
	"Reopen", "Reply", "Requeue", "Reset", "Resolve", "Review", "Revoke", "Save", "Scan",
	"Search", "Set", "Sign", "Start", "Submit", "Sweep", "Unlock", "Unwatch", "Update",
	"Watch", "Withdraw", "Write",
}

// TestCoreOperationsAreVerbNoun fails when an exported method of core.Core that
// takes a context (an operation) is not named verb+noun: GetPlan, ListFeedbackInbox,
// SubmitRegistration, not Plan, FeedbackInbox, Submit. Accessors without a context
// (Now, Options, Limiter) keep Go's getter names.
func TestCoreOperationsAreVerbNoun(t *testing.T) {
	pkgs := listPackages(t, "./core")
	if len(pkgs) != 1 || len(pkgs[0].GoFiles) == 0 {
		t.Fatalf("go list ./core found %d packages", len(pkgs))
	}
	fset := token.NewFileSet()
	seen := 0
	for _, n := range pkgs[0].GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(pkgs[0].Dir, n), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range coreOperations(f) {
			seen++
			if !startsWithVerb(op.Name.Name) {
				t.Errorf("%s: core operation %s is not named verb+noun (verbs: internal/layering/naming_test.go)",
					fset.Position(op.Pos()), op.Name.Name)
			}
		}
	}
	if seen < 100 {
		t.Fatalf("found %d core operations; the parse is wrong", seen)
	}
}

// coreOperations returns the exported methods on *Core whose first parameter is a
// context.Context.
func coreOperations(f *ast.File) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || !fn.Name.IsExported() || len(fn.Recv.List) != 1 {
			continue
		}
		star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		if id, ok := star.X.(*ast.Ident); !ok || id.Name != "Core" {
			continue
		}
		ps := fn.Type.Params.List
		if len(ps) == 0 {
			continue
		}
		if sel, ok := ps[0].Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Context" {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "context" {
				out = append(out, fn)
			}
		}
	}
	return out
}

// startsWithVerb tells whether name is one of operationVerbs followed by a noun
// (an upper-case letter) or by nothing.
func startsWithVerb(name string) bool {
	for _, v := range operationVerbs {
		rest, ok := strings.CutPrefix(name, v)
		if ok && (rest == "" || unicode.IsUpper(rune(rest[0]))) {
			return true
		}
	}
	return false
}

func TestCoreOperationsAreFound(t *testing.T) {
	src := `package core
import "context"
func (c *Core) GetPlan(ctx context.Context, id int64) {}
func (c *Core) FeedbackInbox(ctx context.Context) {}
func (c *Core) Options() {}
func (c *Core) lower(ctx context.Context) {}
func (s *Staff) Listing(ctx context.Context) {}`
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	ops := coreOperations(f)
	if len(ops) != 2 {
		t.Fatalf("found %d operations, want 2 (GetPlan, FeedbackInbox)", len(ops))
	}
	if !startsWithVerb(ops[0].Name.Name) || startsWithVerb(ops[1].Name.Name) {
		t.Fatalf("GetPlan is verb+noun, FeedbackInbox is not")
	}
	if startsWithVerb("Listing") || startsWithVerb("Settle") || !startsWithVerb("Submit") {
		t.Fatal("a verb is a whole word: Listing and Settle are not List and Set")
	}
}
