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
	for _, group := range [][]string{common, specific} {
		for _, n := range group {
			b, err := queryFS.ReadFile("queries/" + n)
			if err != nil {
				return nil, err
			}
			blocks, err := parseBlocks(string(b))
			if err != nil {
				return nil, fmt.Errorf("queries/%s: %w", n, err)
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

func parseBlocks(src string) (map[string]string, error) {
	out := map[string]string{}
	var name string
	var buf strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		text := strings.TrimSpace(buf.String())
		text = strings.TrimSuffix(text, ";")
		if text == "" {
			return fmt.Errorf("query %q is empty", name)
		}
		if _, dup := out[name]; dup {
			return fmt.Errorf("query %q defined twice", name)
		}
		out[name] = text
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(trimmed, "-- name:"); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			name = strings.TrimSpace(rest)
			buf.Reset()
			continue
		}
		if name == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}
