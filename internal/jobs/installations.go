package jobs

import (
	"context"
	"fmt"
	"time"
)

// InstallationState is whether an installation's jobs may run. It is kept
// in the database so that every replica sees a suspension the moment one
// replica receives it.
type InstallationState string

const (
	// InstallationActive runs jobs; an installation never recorded is
	// active.
	InstallationActive InstallationState = "active"
	// InstallationSuspended skips its jobs until it is unsuspended: its
	// tokens are refused, so every call would fail.
	InstallationSuspended InstallationState = "suspended"
	// InstallationDeleted skips its jobs for good: GitHub never reuses an
	// installation id, so nothing brings it back.
	InstallationDeleted InstallationState = "deleted"
)

// SetInstallationState records an installation's state. A deleted
// installation stays deleted whatever arrives later, since deliveries can
// come out of order (an unsuspend redelivered after the deletion).
func (j *Jobs) SetInstallationState(ctx context.Context, id int64, s InstallationState) error {
	switch s {
	case InstallationActive, InstallationSuspended, InstallationDeleted:
	default:
		return fmt.Errorf("installation %d: unknown state %q", id, s)
	}
	_, err := j.be.db().exec(ctx, `
		INSERT INTO pindrift_installations (id, state, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
		WHERE pindrift_installations.state <> 'deleted'`, id, string(s), time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("record installation %d as %s: %w", id, s, err)
	}
	return nil
}

// InstallationState returns the recorded state of an installation,
// InstallationActive when none is recorded.
func (j *Jobs) InstallationState(ctx context.Context, id int64) (InstallationState, error) {
	var s string
	err := j.be.db().queryRow(ctx, `SELECT state FROM pindrift_installations WHERE id = ?`, id).Scan(&s)
	switch {
	case isNoRows(err):
		return InstallationActive, nil
	case err != nil:
		return "", fmt.Errorf("read state of installation %d: %w", id, err)
	}
	return InstallationState(s), nil
}

// InactiveInstallations returns every installation whose jobs must not
// run, with its state, for the sweep to leave out.
func (j *Jobs) InactiveInstallations(ctx context.Context) (map[int64]InstallationState, error) {
	out := map[int64]InstallationState{}
	err := j.be.db().queryEach(ctx, `SELECT id, state FROM pindrift_installations WHERE state <> 'active'`, nil,
		func(scan func(dest ...any) error) error {
			var id int64
			var s string
			if err := scan(&id, &s); err != nil {
				return err
			}
			out[id] = InstallationState(s)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read inactive installations: %w", err)
	}
	return out, nil
}
