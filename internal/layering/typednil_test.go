package layering

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// TestNoNilDomainErrorResults guards against the typed-nil trap: a function
// whose result is a concrete *domain.Error and that can return nil hands its
// caller a non-nil `error` as soon as the result is assigned to one. Such
// functions return `error`; only constructors that never return nil (Invalid,
// NotFound, errPlanFull …) keep the concrete type.
func TestNoNilDomainErrorResults(t *testing.T) {
	root := moduleRoot(t)
	var bad []string
	for _, p := range listPackages(t, "./...") {
		for _, n := range p.GoFiles {
			path := filepath.Join(p.Dir, n)
			rel, _ := filepath.Rel(root, path)
			bad = append(bad, nilDomainErrorReturns(t, path, filepath.ToSlash(rel), p.ImportPath == module+"/domain")...)
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}

// TestNilDomainErrorCheckCatches shows the check finds the trap.
func TestNilDomainErrorCheckCatches(t *testing.T) {
	src := `package x
import "skillcert/domain"
func ok() *domain.Error { return domain.Invalid("f", "c", "m") }
func trap(s string) (int, *domain.Error) {
	if s == "" {
		return 0, domain.Invalid("f", "c", "m")
	}
	return 1, nil
}
var lit = func() *domain.Error { return nil }
`
	path := filepath.Join(t.TempDir(), "x.go")
	writeFile(t, path, src)
	got := nilDomainErrorReturns(t, path, "x.go", false)
	if len(got) != 2 {
		t.Fatalf("found %d traps, want 2 (trap and the literal): %v", len(got), got)
	}
}

// nilDomainErrorReturns lists the functions (and function literals) of one
// file that return nil where their result type is *domain.Error.
func nilDomainErrorReturns(t *testing.T, path, rel string, inDomain bool) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	isDomainError := func(e ast.Expr) bool {
		star, ok := e.(*ast.StarExpr)
		if !ok {
			return false
		}
		switch x := star.X.(type) {
		case *ast.SelectorExpr:
			id, ok := x.X.(*ast.Ident)
			return ok && id.Name == "domain" && x.Sel.Name == "Error"
		case *ast.Ident:
			return inDomain && x.Name == "Error"
		}
		return false
	}
	var out []string
	check := func(name string, typ *ast.FuncType, body *ast.BlockStmt) {
		if typ.Results == nil || body == nil {
			return
		}
		var positions []int
		i := 0
		for _, r := range typ.Results.List {
			n := max(len(r.Names), 1)
			for range n {
				if isDomainError(r.Type) {
					positions = append(positions, i)
				}
				i++
			}
		}
		last := typ.Results.List[len(typ.Results.List)-1].Type
		if id, ok := last.(*ast.Ident); len(positions) == 0 || ok && id.Name == "bool" {
			return // none, or the comma-ok form (AsError), where nil comes with false
		}
		ast.Inspect(body, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false // checked on its own
			}
			ret, ok := n.(*ast.ReturnStmt)
			if !ok || len(ret.Results) != i {
				return true
			}
			for _, p := range positions {
				if id, ok := ret.Results[p].(*ast.Ident); ok && id.Name == "nil" {
					out = append(out, fmt.Sprintf("%s:%d: %s returns a nil *domain.Error: return error instead",
						rel, fset.Position(ret.Pos()).Line, name))
				}
			}
			return true
		})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch fn := n.(type) {
		case *ast.FuncDecl:
			check(fn.Name.Name, fn.Type, fn.Body)
		case *ast.FuncLit:
			check("a function literal", fn.Type, fn.Body)
		}
		return true
	})
	return out
}

func writeFile(t *testing.T, path, src string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
}
