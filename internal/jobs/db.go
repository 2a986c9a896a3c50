package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" database/sql driver
)

// dialect is the database a URL names.
type dialect int

const (
	dialectSQLite dialect = iota + 1
	dialectPostgres
)

// parseURL splits a database URL into its dialect and what the driver opens:
// a file path for SQLite, the URL itself for PostgreSQL.
func parseURL(url string) (dialect, string, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return dialectPostgres, url, nil
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//")
		if path == "" {
			return 0, "", fmt.Errorf("database url %q: empty SQLite path", url)
		}
		if strings.ContainsAny(path, "?#") || path == ":memory:" {
			// An in-memory database would lose acknowledged jobs, and
			// query strings mean different things to different drivers.
			return 0, "", fmt.Errorf("database url %q: want sqlite://PATH to a file, without ? or #", url)
		}
		return dialectSQLite, path, nil
	default:
		return 0, "", fmt.Errorf("database url %q: want sqlite://PATH, postgres:// or postgresql://", redact(url))
	}
}

// redact hides a password in a URL that is about to be logged or returned.
func redact(url string) string {
	if i := strings.Index(url, "@"); i >= 0 {
		if j := strings.Index(url, "://"); j >= 0 && j < i {
			return url[:j+3] + "…" + url[i:]
		}
	}
	return url
}

// sqliteBusyTimeoutMS is how long a connection waits for another process's
// write lock before failing with SQLITE_BUSY.
const sqliteBusyTimeoutMS = 10000

// openSQLite opens path with one connection. SQLite allows one writer at a
// time and River runs many queries concurrently; one connection turns
// "database is locked" errors into waiting in the pool (riversqlite's own
// advice). WAL lets another process read while this one writes, and
// immediate transactions take the write lock at BEGIN, so two processes
// never deadlock upgrading read locks.
func openSQLite(ctx context.Context, path string) (*sql.DB, error) {
	dsn := "file:" + path +
		"?_pragma=busy_timeout(" + strconv.Itoa(sqliteBusyTimeoutMS) + ")" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(ON)" +
		"&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	// Keep the one connection: reopening it would re-run the pragmas and
	// lose nothing, but costs a file open per idle period.
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close() // the ping error is the one worth returning
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// openPostgres opens a pool; schema, when set, becomes the search_path of
// every connection so pindrift's tables live beside River's.
func openPostgres(ctx context.Context, url, schema string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url %s: %w", redact(url), err)
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(url), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", redact(url), err)
	}
	return pool, nil
}

// querier runs pindrift's own SQL on either database. Queries are written
// with ? placeholders; the PostgreSQL side numbers them.
type querier interface {
	exec(ctx context.Context, query string, args ...any) (rowsAffected int64, err error)
	queryRow(ctx context.Context, query string, args ...any) rowScanner
	queryEach(ctx context.Context, query string, args []any, fn func(scan func(dest ...any) error) error) error
}

type rowScanner interface{ Scan(dest ...any) error }

// errNoRows is what a rowScanner returns for an empty result on both
// databases (pgx.ErrNoRows wraps sql.ErrNoRows).
var errNoRows = sql.ErrNoRows

type sqlDB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

type sqlQuerier struct{ db sqlDB }

func (q sqlQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q sqlQuerier) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	return q.db.QueryRowContext(ctx, query, args...)
}

func (q sqlQuerier) queryEach(ctx context.Context, query string, args []any, fn func(scan func(dest ...any) error) error) error {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

type pgxDB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

type pgxQuerier struct{ db pgxDB }

func (q pgxQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.db.Exec(ctx, numberPlaceholders(query), args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (q pgxQuerier) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	return q.db.QueryRow(ctx, numberPlaceholders(query), args...)
}

func (q pgxQuerier) queryEach(ctx context.Context, query string, args []any, fn func(scan func(dest ...any) error) error) error {
	rows, err := q.db.Query(ctx, numberPlaceholders(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// numberPlaceholders turns ? into $1, $2, ...; pindrift's queries have no
// ? inside literals.
func numberPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isNoRows reports an empty single-row result from either database.
func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
