package layering

import (
	"go/ast"
	"go/parser"
	"go/token"
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
	fset, files := parseCore(t)
	seen := 0
	for _, f := range files {
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

// TestCoreHandsNoRepoRowsUp fails when core's exported API gives a repo type to
// the front doors: a result of an exported function or method, or an exported
// (or embedded) field of an exported type. Core converts rows into its own types
// (Plan, RegCode, Institution, views). Deps, the wiring's way in, is exempt.
func TestCoreHandsNoRepoRowsUp(t *testing.T) {
	fset, files := parseCore(t)
	for _, f := range files {
		for _, l := range repoLeaks(f) {
			t.Errorf("%s: %s", fset.Position(l.pos), l.what)
		}
	}
}

type leak struct {
	pos  token.Pos
	what string
}

// repoLeaks returns where f's exported API names a type of package repo.
func repoLeaks(f *ast.File) []leak {
	var out []leak
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Type.Results == nil {
				continue
			}
			for _, r := range d.Type.Results.List {
				if mentionsRepo(r.Type) {
					out = append(out, leak{r.Pos(), d.Name.Name + " returns a repo type"})
				}
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok || !ts.Name.IsExported() || ts.Name.Name == "Deps" {
					continue
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					if mentionsRepo(ts.Type) {
						out = append(out, leak{ts.Pos(), ts.Name.Name + " is a repo type"})
					}
					continue
				}
				for _, fl := range st.Fields.List {
					exported := len(fl.Names) == 0 // embedded
					for _, n := range fl.Names {
						exported = exported || n.IsExported()
					}
					if exported && mentionsRepo(fl.Type) {
						out = append(out, leak{fl.Pos(), ts.Name.Name + " has a field of a repo type"})
					}
				}
			}
		}
	}
	return out
}

// mentionsRepo tells whether a type expression names package repo.
func mentionsRepo(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "repo" {
				found = true
			}
		}
		return !found
	})
	return found
}

func TestRepoLeaksAreFound(t *testing.T) {
	src := `package core
type StaffPlanView struct { repo.Plan; n int }
type Page struct { Items []repo.Staff; rows []repo.Plan }
type Deps struct { DB *repo.DB }
func (c *Core) GetPlan(ctx context.Context) (*repo.Plan, error) { return nil, nil }
func (c *Core) getPlan(ctx context.Context) (repo.Plan, error) { return repo.Plan{}, nil }
func (c *Core) EnqueueEvent(ctx context.Context, tx repo.Tx) error { return nil }`
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := repoLeaks(f); len(got) != 3 {
		t.Fatalf("found %d leaks, want 3 (the embedded row, the Items field, GetPlan's result): %v", len(got), got)
	}
}
