// Package repo holds skillcert's storage: the database handle for SQLite and
// MySQL/MariaDB, migrations, named SQL blocks and the stores built on them.
package repo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The two engines skillcert runs on.
const (
	SQLite Dialect = "sqlite"
	MySQL  Dialect = "mysql"
)

// DB is the database handle. On SQLite reads go to a small pool and writes to a
// single connection (SQLite has one writer; a single writer connection with
// IMMEDIATE transactions removes SQLITE_BUSY under bursts). On MySQL both fields
// point at the same capped pool.
type DB struct {
	Dialect Dialect
	W       *sqlx.DB // writes and read-modify-write transactions
	R       *sqlx.DB // plain reads
	Q       *Queries // the named SQL blocks, checked at open

	stmts sync.Map // query name → *sqlx.Stmt on R, for the hottest reads (prepared.go)

	rowsRead atomic.Int64 // see RowsRead
}

// Options tunes Open.
type Options struct {
	MaxOpenConns int // MySQL pool cap; 16 when zero
	ReadConns    int // SQLite read pool; 4 when zero
}

// IsMySQLDSN tells whether dsn names a MySQL server rather than a SQLite file.
func IsMySQLDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "mysql://") || strings.Contains(dsn, "@tcp(") || strings.Contains(dsn, "@unix(")
}

// Open connects to the database named by dsn: a MySQL DSN
// (`user:pass@tcp(host:3306)/db` or `mysql://user:pass@host:3306/db`) or a SQLite file
// path (created with its folder when missing). It checks every named query.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	var db *DB
	var err error
	if IsMySQLDSN(dsn) {
		db, err = openMySQL(dsn, opt)
	} else {
		db, err = openSQLite(dsn, opt)
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.W.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.Dialect, err)
	}
	q, err := LoadQueries(db.Dialect)
	if err != nil {
		db.Close()
		return nil, err
	}
	db.Q = q
	return db, nil
}

// MySQLConfig turns a MySQL DSN in either accepted form into a driver config with
// the settings skillcert relies on (UTC times, interpolated parameters, utf8mb4).
func MySQLConfig(dsn string) (*mysql.Config, error) {
	if strings.HasPrefix(dsn, "mysql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, fmt.Errorf("bad MySQL URL: %w", err)
		}
		pass, _ := u.User.Password()
		host := u.Host
		if !strings.Contains(host, ":") {
			host += ":3306"
		}
		dsn = fmt.Sprintf("%s:%s@tcp(%s)%s", u.User.Username(), pass, host, u.Path)
		if u.RawQuery != "" {
			dsn += "?" + u.RawQuery
		}
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("bad MySQL DSN: %w", err)
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.InterpolateParams = true
	cfg.MultiStatements = true // migrations hold several statements
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["charset"] = "utf8mb4"
	cfg.Params["time_zone"] = "'+00:00'"
	return cfg, nil
}

func openMySQL(dsn string, opt Options) (*DB, error) {
	cfg, err := MySQLConfig(dsn)
	if err != nil {
		return nil, err
	}
	x, err := sqlx.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, err
	}
	n := opt.MaxOpenConns
	if n <= 0 {
		n = 16
	}
	x.SetMaxOpenConns(n)
	x.SetMaxIdleConns(n)
	x.SetConnMaxLifetime(30 * time.Minute)
	return &DB{Dialect: MySQL, W: x, R: x}, nil
}

func sqliteDSN(path string, immediate bool) string {
	v := url.Values{}
	// No memory-mapped I/O (mmap_size 0): the mapped pages of the database
	// file counted in the server's resident memory (82–95 MB at 100,000 plans,
	// read once by the plan read model's full load), and reading through
	// SQLite's page cache measured no slower (bench/README.md, issue 19).
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)",
		"foreign_keys(ON)", "mmap_size(0)"} {
		v.Add("_pragma", p)
	}
	v.Set("_time_format", "sqlite")
	if immediate {
		v.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + v.Encode()
}

func openSQLite(path string, opt Options) (*DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if path == "" {
		return nil, errors.New("empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	if err := privateFile(path); err != nil {
		return nil, fmt.Errorf("SQLite file %s: %w", path, err)
	}
	w, err := sqlx.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// Create the file and switch it to WAL before readers open it.
	if _, err := w.Exec("SELECT 1"); err != nil {
		w.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	// SQLite gives the WAL and shared-memory files the database file's mode;
	// tighten any left by an older build.
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			w.Close()
			return nil, fmt.Errorf("SQLite file %s: %w", f, err)
		}
	}
	r, err := sqlx.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	n := opt.ReadConns
	if n <= 0 {
		n = 4
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	return &DB{Dialect: SQLite, W: w, R: r}, nil
}

// privateFile creates the database file readable by its owner only (0600), or
// tightens the mode of an existing one: it holds personal data.
func privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}

// Close closes the pools.
func (db *DB) Close() error {
	db.closeStatements()
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// WithSQLTx runs fn in a transaction on the writer pool; it commits when fn
// returns nil and rolls back otherwise. The error of Commit is returned. It
// hands fn the bare sqlx transaction, for repo's own stores and for tools and
// tests that write SQL of their own; core uses WithTx.
func (db *DB) WithSQLTx(ctx context.Context, fn func(tx *sqlx.Tx) error) (err error) {
	tx, err := db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// IsUniqueViolation tells whether err is a unique-key violation on either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062 // ER_DUP_ENTRY
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code()
		return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsNoRows tells whether err means a query found nothing.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// Now is the current time as stored: UTC, microsecond precision (MySQL DATETIME(6)).
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// OpenRaw opens a plain database/sql handle (for tools that manage databases).
func OpenRaw(driver, dsn string) (*sql.DB, error) { return sql.Open(driver, dsn) }
