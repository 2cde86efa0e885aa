package layering

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// TestCoreUsesNoBareTransaction fails when core's code unwraps a repo.Tx with
// SQL() (the escape hatch for tools and tests): core runs repo's queries, not
// SQL of its own, and its import of sqlx is already forbidden.
func TestCoreUsesNoBareTransaction(t *testing.T) {
	fset, files := parseCore(t)
	for _, f := range files {
		for _, pos := range bareTxCalls(f) {
			t.Errorf("%s: core calls SQL() on a transaction; add a repo method instead", fset.Position(pos))
		}
	}
}

// parseCore parses the Go files of package core (tests aside).
func parseCore(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	pkgs := listPackages(t, "./core")
	if len(pkgs) != 1 || len(pkgs[0].GoFiles) == 0 {
		t.Fatalf("go list ./core found %d packages", len(pkgs))
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range pkgs[0].GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(pkgs[0].Dir, n), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// bareTxCalls returns the positions of the calls X.SQL() without arguments.
func bareTxCalls(f *ast.File) []token.Pos {
	var out []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 0 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "SQL" {
			out = append(out, call.Pos())
		}
		return true
	})
	return out
}

func TestBareTxCallsAreFound(t *testing.T) {
	src := `package core
func f(tx T, db D) { tx.SQL().ExecContext(nil, ""); _ = db.Q.SQL(q) }`
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := bareTxCalls(f); len(got) != 1 {
		t.Fatalf("found %d bare transaction calls, want 1", len(got))
	}
}
