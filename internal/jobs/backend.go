package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// backend hides River's transaction type, which differs by driver
// (*sql.Tx for SQLite, pgx.Tx for PostgreSQL).
type backend interface {
	db() querier
	// inTx runs fn in one transaction; insert adds a River job to it.
	inTx(ctx context.Context, fn func(ctx context.Context, q querier, insert insertFunc) error) error
	start(ctx context.Context) error
	stop(ctx context.Context) error
	stopAndCancel(ctx context.Context) error
	close()
}

// insertFunc inserts a River job; opts may be nil.
type insertFunc func(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)

type riverBackend[TTx any] struct {
	client  *river.Client[TTx]
	q       querier
	begin   func(ctx context.Context) (TTx, querier, error)
	commit  func(ctx context.Context, tx TTx) error
	abort   func(ctx context.Context, tx TTx) error
	closeDB func()
}

func (b *riverBackend[TTx]) db() querier { return b.q }

func (b *riverBackend[TTx]) inTx(ctx context.Context, fn func(ctx context.Context, q querier, insert insertFunc) error) error {
	tx, q, err := b.begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	insert := func(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
		return b.client.InsertTx(ctx, tx, args, opts)
	}
	if err := fn(ctx, q, insert); err != nil {
		if rbErr := b.abort(context.WithoutCancel(ctx), tx); rbErr != nil {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := b.commit(ctx, tx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (b *riverBackend[TTx]) start(ctx context.Context) error { return b.client.Start(ctx) }
func (b *riverBackend[TTx]) stop(ctx context.Context) error  { return b.client.Stop(ctx) }
func (b *riverBackend[TTx]) stopAndCancel(ctx context.Context) error {
	return b.client.StopAndCancel(ctx)
}
func (b *riverBackend[TTx]) close() { b.closeDB() }

// migrateRiver brings River's tables up to date.
func migrateRiver[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], schema string, logger *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Schema: schema, Logger: logger})
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

// newSQLiteBackend migrates and builds a client over an open SQLite pool.
func newSQLiteBackend(ctx context.Context, db *sql.DB, cfg *river.Config) (*riverBackend[*sql.Tx], error) {
	driver := riversqlite.New(db)
	q := sqlQuerier{db}
	// One process owns an SQLite file; immediate transactions serialise
	// pindrift's own migrations should a second one start anyway.
	if err := migrateRiver(ctx, driver, "", cfg.Logger); err != nil {
		return nil, err
	}
	begin := func(ctx context.Context) (*sql.Tx, querier, error) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, nil, err
		}
		return tx, sqlQuerier{tx}, nil
	}
	b := &riverBackend[*sql.Tx]{
		q:       q,
		begin:   begin,
		commit:  func(_ context.Context, tx *sql.Tx) error { return tx.Commit() },
		abort:   func(_ context.Context, tx *sql.Tx) error { return tx.Rollback() },
		closeDB: func() { _ = db.Close() }, // nothing is left to flush; River has stopped
	}
	if err := migrateOwn(ctx, b); err != nil {
		return nil, err
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	b.client = client
	return b, nil
}

// newPostgresBackend migrates under an advisory lock, so replicas starting
// together take turns, and builds a client over the pool.
func newPostgresBackend(ctx context.Context, pool *pgxpool.Pool, schema string, cfg *river.Config) (*riverBackend[pgx.Tx], error) {
	driver := riverpgxv5.New(pool)
	begin := func(ctx context.Context) (pgx.Tx, querier, error) {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return nil, nil, err
		}
		return tx, pgxQuerier{tx}, nil
	}
	b := &riverBackend[pgx.Tx]{
		q:       pgxQuerier{pool},
		begin:   begin,
		commit:  func(ctx context.Context, tx pgx.Tx) error { return tx.Commit(ctx) },
		abort:   func(ctx context.Context, tx pgx.Tx) error { return tx.Rollback(ctx) },
		closeDB: pool.Close,
	}
	err := withAdvisoryLock(ctx, pool, "pindrift migrate "+schema, func() error {
		if schema != "" {
			if _, err := pool.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
				return fmt.Errorf("create schema %s: %w", schema, err)
			}
		}
		if err := migrateRiver(ctx, driver, schema, cfg.Logger); err != nil {
			return err
		}
		return migrateOwn(ctx, b)
	})
	if err != nil {
		return nil, err
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	b.client = client
	return b, nil
}

// withAdvisoryLock runs fn holding a session-level advisory lock named by
// key on a connection set aside for it.
func withAdvisoryLock(ctx context.Context, pool *pgxpool.Pool, key string, fn func() error) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("advisory lock: %w", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext($1))", key); err != nil {
		conn.Release()
		return fmt.Errorf("advisory lock: %w", err)
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtext($1))", key); err != nil {
			// Closing the session is what releases the lock now; a
			// connection still holding it must not go back to the pool.
			_ = conn.Hijack().Close(context.WithoutCancel(ctx))
			return
		}
		conn.Release()
	}()
	return fn()
}
