package repo

import (
	"bufio"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

// The named SQL blocks live in queries/*.sql, each introduced by a line
// `-- name: some-name`. A file named *.mysql.sql or *.sqlite.sql overrides blocks of
// the same name for that dialect only. Placeholders are `?` on both engines.
//
// A block introduced by `-- fragment: some-name` is no query: it is a piece of
// SQL (a shared WHERE clause, say) that a query takes in with a line
// `-- include: some-name`, the line replaced by the fragment's text. Fragments
// are shared across files and dialects and include no other fragment.
//
//go:embed queries/*.sql
var queryFS embed.FS

// Query names one SQL block. Stores declare the blocks they use as package-level
// variables (`var qPlanGet = NamedQuery("plan-get")`) so that LoadQueries can prove
// at start-up that each of them exists and prepares, and a broken query stops the
// server at boot rather than at the first request.
type Query struct{ name string }

var (
	declaredMu sync.Mutex
	declared   = map[string]bool{}
)

// NamedQuery declares a block by name; call it from a package-level var.
func NamedQuery(name string) Query {
	declaredMu.Lock()
	declared[name] = true
	declaredMu.Unlock()
	return Query{name: name}
}

// Name returns the block's name.
func (q Query) Name() string { return q.name }

// Queries holds the SQL text of every block for one dialect.
type Queries struct {
	sql map[string]string
}

// SQL returns the text of a declared block.
func (q *Queries) SQL(h Query) string {
	s, ok := q.sql[h.name]
	if !ok {
		// LoadQueries proved every declared block exists; reaching this is a bug.
		panic("repo: undeclared query " + h.name)
	}
	return s
}

// LoadQueries parses the embedded blocks for a dialect and checks that every
// declared block is present.
func LoadQueries(d Dialect) (*Queries, error) {
	q := &Queries{sql: map[string]string{}}
	entries, err := fs.ReadDir(queryFS, "queries")
	if err != nil {
		return nil, err
	}
	var common, specific []string
	for _, e := range entries {
		n := e.Name()
		switch {
		case strings.HasSuffix(n, "."+string(d)+".sql"):
			specific = append(specific, n)
		case strings.HasSuffix(n, ".mysql.sql"), strings.HasSuffix(n, ".sqlite.sql"):
		default:
			common = append(common, n)
		}
	}
	seen := map[string]string{}
	fragments := map[string]string{}
	for _, group := range [][]string{common, specific} {
		for _, n := range group {
			b, err := queryFS.ReadFile("queries/" + n)
			if err != nil {
				return nil, err
			}
			blocks, frags, err := parseBlocks(string(b))
			if err != nil {
				return nil, fmt.Errorf("queries/%s: %w", n, err)
			}
			for name, text := range frags {
				if _, dup := fragments[name]; dup {
					return nil, fmt.Errorf("queries/%s: fragment %q defined twice", n, name)
				}
				fragments[name] = text
			}
			for name, text := range blocks {
				if prev, dup := seen[name]; dup && !strings.HasSuffix(n, "."+string(d)+".sql") {
					return nil, fmt.Errorf("query %q defined in both %s and %s", name, prev, n)
				}
				seen[name] = n
				q.sql[name] = text
			}
		}
	}
	for name, text := range q.sql {
		expanded, err := expandIncludes(text, fragments)
		if err != nil {
			return nil, fmt.Errorf("query %q: %w", name, err)
		}
		q.sql[name] = expanded
	}
	declaredMu.Lock()
	defer declaredMu.Unlock()
	var missing []string
	for name := range declared {
		if _, ok := q.sql[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("named queries missing from repo/queries: %s", strings.Join(missing, ", "))
	}
	return q, nil
}

// Check prepares every block against the database, so that a query that names a
// missing table or column, or has a syntax error, fails at start-up. It must run
// after migrations.
func (db *DB) Check(ctx context.Context) error {
	names := make([]string, 0, len(db.Q.sql))
	for n := range db.Q.sql {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		st, err := db.W.PrepareContext(ctx, db.Q.sql[n])
		if err != nil {
			return fmt.Errorf("query %q does not prepare on %s: %w", n, db.Dialect, err)
		}
		st.Close()
	}
	return nil
}

// includeMark stands in a parsed block for an `-- include:` line until the
// fragments of every file are known; SQL text never holds a NUL byte.
const includeMark = "\x00include:"

// parseBlocks splits one file into its named queries and its fragments.
func parseBlocks(src string) (queries, fragments map[string]string, err error) {
	queries, fragments = map[string]string{}, map[string]string{}
	var name string
	var isFragment bool
	var buf strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		text := strings.TrimSpace(buf.String())
		text = strings.TrimSuffix(text, ";")
		out, what := queries, "query"
		if isFragment {
			out, what = fragments, "fragment"
			if strings.Contains(text, includeMark) {
				return fmt.Errorf("fragment %q includes another fragment", name)
			}
		}
		if text == "" {
			return fmt.Errorf("%s %q is empty", what, name)
		}
		if _, dup := out[name]; dup {
			return fmt.Errorf("%s %q defined twice", what, name)
		}
		out[name] = text
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		rest, isName := strings.CutPrefix(trimmed, "-- name:")
		if !isName {
			if r, ok := strings.CutPrefix(trimmed, "-- fragment:"); ok {
				rest, isName = r, true
			}
		}
		if isName {
			if err := flush(); err != nil {
				return nil, nil, err
			}
			name = strings.TrimSpace(rest)
			isFragment = strings.HasPrefix(trimmed, "-- fragment:")
			buf.Reset()
			continue
		}
		if inc, ok := strings.CutPrefix(trimmed, "-- include:"); ok && name != "" {
			buf.WriteString(includeMark + strings.TrimSpace(inc) + "\x00\n")
			continue
		}
		if name == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if err := flush(); err != nil {
		return nil, nil, err
	}
	return queries, fragments, nil
}

// expandIncludes replaces each include mark of a query by its fragment's text.
func expandIncludes(text string, fragments map[string]string) (string, error) {
	for {
		i := strings.Index(text, includeMark)
		if i < 0 {
			return strings.TrimSpace(text), nil
		}
		rest := text[i+len(includeMark):]
		j := strings.IndexByte(rest, 0)
		if j < 0 {
			return "", fmt.Errorf("malformed include")
		}
		frag, ok := fragments[rest[:j]]
		if !ok {
			return "", fmt.Errorf("includes unknown fragment %q", rest[:j])
		}
		text = text[:i] + frag + rest[j+1:]
	}
}
