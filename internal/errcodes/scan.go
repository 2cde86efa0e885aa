// Package errcodes finds the error codes the server can answer: every
// domain error made in the code (domain.Invalid, NotFound, Conflict,
// NewError, FieldError literals and the validation helpers that take a code
// and its Chinese message). `go generate ./domain` writes the list to
// domain/errcodes_gen.go and to the table of docs/API.md; a test fails when
// either is stale.
package errcodes

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Code is one error code with the first message it is made with and the
// packages that make it.
type Code struct {
	Code     string
	Message  string
	Packages []string
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^[a-z]{4,}$`)

// notCodes are field names that calls pass next to their Chinese label
// (domain.CheckText(v, max, "note", "备注"), the handlers' query parsing):
// not error codes.
var notCodes = map[string]bool{"file": true, "level": true, "note": true, "page": true, "page_size": true,
	"preferred_time": true}

// skipDirs are the folders that serve no API answer.
var skipDirs = map[string]bool{"node_modules": true, "testdata": true, "bench": true, "miniprogram": true,
	"tools": true, ".git": true, "errcodes": true, "fake": true}

// Scan walks the module at root and returns its error codes, sorted.
func Scan(root string) ([]Code, error) {
	found := map[string]*Code{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDirs[d.Name()] || (path != root && strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "_gen.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		add := func(code, msg string) {
			if notCodes[code] {
				return
			}
			c := found[code]
			if c == nil {
				c = &Code{Code: code, Message: msg}
				found[code] = c
			}
			if !contains(c.Packages, pkg) {
				c.Packages = append(c.Packages, pkg)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				for i := 0; i+1 < len(n.Args); i++ {
					code, ok := stringLit(n.Args[i])
					if !ok || !codeRE.MatchString(code) {
						continue
					}
					if msg, ok := message(n.Args[i+1]); ok {
						add(code, msg)
					}
				}
			case *ast.CompositeLit:
				var code, msg string
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					key, _ := kv.Key.(*ast.Ident)
					if key == nil {
						continue
					}
					switch key.Name {
					case "Code":
						code, _ = stringLit(kv.Value)
					case "Message":
						msg, _ = message(kv.Value)
					}
				}
				if codeRE.MatchString(code) && (msg != "" || isErrorType(n.Type)) {
					if msg == "" {
						msg = "（由各字段的错误说明）"
					}
					add(code, msg)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Code, 0, len(found))
	for _, c := range found {
		sort.Strings(c.Packages)
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// isErrorType tells whether a composite literal is a domain Error or
// FieldError, whose code counts even when its message is not a literal.
func isErrorType(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name == "Error" || t.Name == "FieldError"
	case *ast.SelectorExpr:
		return t.Sel.Name == "Error" || t.Sel.Name == "FieldError"
	case *ast.UnaryExpr:
		return isErrorType(t.X)
	}
	return false
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// message is a Chinese message: a literal, the literal a concatenation starts
// with, or the format of fmt.Sprintf.
func message(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, ok := stringLit(e)
		return s, ok && hasHan(s)
	case *ast.BinaryExpr:
		l, lok := message(e.X)
		r, rok := message(e.Y)
		switch {
		case lok && rok:
			return l + r, true
		case lok:
			return l + "…", true
		case rok:
			return "…" + r, true
		}
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
			return message(e.Args[0])
		}
	}
	return "", false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
