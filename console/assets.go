// Package console holds the web console's server-rendered pages: the html/template
// files and the static CSS and JavaScript, embedded in the binary, and the
// renderer that runs them. The handlers live in handlers/console.
package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Static returns the static files (console.css, console.js), served under
// /console/static/.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded folder exists: a build without it cannot get here
	}
	return sub
}

// Renderer runs the page templates. Each page is parsed with the shared layout
// and partials into its own set, so pages may define the same blocks.
type Renderer struct {
	pages map[string]*template.Template
}

// NewRenderer parses every template with the given extra functions.
func NewRenderer(funcs template.FuncMap) (*Renderer, error) {
	all, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var shared, pages []string
	for _, f := range all {
		if strings.HasPrefix(path.Base(f), "_") {
			shared = append(shared, f)
		} else {
			pages = append(pages, f)
		}
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, append(append([]string{}, shared...), p)...)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Render writes a page: the layout with the page's "content" block. The page is
// rendered into a buffer first, so a template error never sends half a page.
func (r *Renderer) Render(w io.Writer, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("console: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("console page %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Has reports whether a page exists.
func (r *Renderer) Has(page string) bool { _, ok := r.pages[page]; return ok }
