package jobs

import (
	"context"
	"fmt"
	"time"
)

// ownMigrations are pindrift's tables, applied in order; append only.
// Types are the common ground of SQLite and PostgreSQL; times are Unix
// milliseconds.
var ownMigrations = [][]string{
	1: {
		// The generation events for one key coalesce on (see package doc).
		`CREATE TABLE pindrift_job_generations (
			key TEXT PRIMARY KEY,
			gen BIGINT NOT NULL
		)`,
		// One lease per repository: who holds it and until when.
		`CREATE TABLE pindrift_repo_locks (
			repo TEXT PRIMARY KEY,
			owner TEXT NOT NULL,
			expires_at BIGINT NOT NULL
		)`,
		// verify.Cache entries as JSON, keyed by asset URL.
		`CREATE TABLE pindrift_asset_cache (
			url TEXT PRIMARY KEY,
			entry TEXT NOT NULL,
			updated_at BIGINT NOT NULL
		)`,
	},
	2: {
		// The last "/pindrift recheck" run per repository, and the run
		// whose window has already had its "too soon" reply.
		`CREATE TABLE pindrift_rechecks (
			repo TEXT PRIMARY KEY,
			last_at BIGINT NOT NULL,
			replied_for BIGINT NOT NULL
		)`,
	},
	3: {
		// Installations whose work must not run: suspended or deleted
		// (installations.go). No row means active.
		`CREATE TABLE pindrift_installations (
			id BIGINT PRIMARY KEY,
			state TEXT NOT NULL,
			updated_at BIGINT NOT NULL
		)`,
	},
	4: {
		// The last discovery of each unconfigured repository: the head
		// it searched and how many files with pins it found
		// (discoveries.go), so "nothing found" is not searched again.
		`CREATE TABLE pindrift_discoveries (
			repo TEXT PRIMARY KEY,
			commit_sha TEXT NOT NULL,
			found INT NOT NULL,
			at BIGINT NOT NULL
		)`,
	},
}

// migrateOwn applies the migrations newer than the recorded version in one
// transaction, so a failure leaves the previous version intact.
func migrateOwn(ctx context.Context, b backend) error {
	if _, err := b.db().exec(ctx, `CREATE TABLE IF NOT EXISTS pindrift_migration (
		version BIGINT PRIMARY KEY,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return fmt.Errorf("pindrift migrations: %w", err)
	}
	return b.inTx(ctx, func(ctx context.Context, q querier, _ insertFunc) error {
		var current int
		if err := q.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM pindrift_migration`).Scan(&current); err != nil {
			return fmt.Errorf("pindrift migrations: read version: %w", err)
		}
		// A database migrated by a newer pindrift is left as it is: its
		// migrations only add.
		for v := current + 1; v < len(ownMigrations); v++ {
			for _, stmt := range ownMigrations[v] {
				if _, err := q.exec(ctx, stmt); err != nil {
					return fmt.Errorf("pindrift migration %d: %w", v, err)
				}
			}
			if _, err := q.exec(ctx, `INSERT INTO pindrift_migration (version, applied_at) VALUES (?, ?)`, v, time.Now().UnixMilli()); err != nil {
				return fmt.Errorf("pindrift migration %d: %w", v, err)
			}
		}
		return nil
	})
}
