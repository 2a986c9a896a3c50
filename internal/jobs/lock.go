package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"
)

// errLeaseLost cancels a handler whose repository lease could not be
// renewed: another job may now hold it, so this one must stop.
var errLeaseLost = errors.New("repository lease lost")

// lease is one job attempt's hold on a repository.
type lease struct {
	j     *Jobs
	repo  string
	token string
}

// acquire takes the repository's lease if it is free, expired, or already
// this token's. It reports false when another holder has it.
func (j *Jobs) acquire(ctx context.Context, repo string) (*lease, bool, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, false, fmt.Errorf("lease token: %w", err)
	}
	l := &lease{j: j, repo: repo, token: hex.EncodeToString(b[:])}
	now := time.Now()
	n, err := j.be.db().exec(ctx, `
		INSERT INTO pindrift_repo_locks (repo, owner, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (repo) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
		WHERE pindrift_repo_locks.expires_at < ? OR pindrift_repo_locks.owner = excluded.owner`,
		repo, l.token, now.Add(j.opts.LockTTL).UnixMilli(), now.UnixMilli())
	if err != nil {
		return nil, false, fmt.Errorf("acquire lease on %s: %w", repo, err)
	}
	return l, n == 1, nil
}

// keep renews the lease every third of its lifetime until stop is called.
// The returned context is cancelled with errLeaseLost when the lease is
// taken over, or could not be renewed before it expired.
func (l *lease) keep(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	ttl := l.j.opts.LockTTL
	expires := time.Now().Add(ttl)
	stop := every(ctx, ttl/3, func() bool {
		next := time.Now().Add(ttl)
		n, err := l.j.be.db().exec(ctx,
			`UPDATE pindrift_repo_locks SET expires_at = ? WHERE repo = ? AND owner = ?`,
			next.UnixMilli(), l.repo, l.token)
		switch {
		case err == nil && n == 1:
			expires = next
		case err == nil:
			zerolog.Ctx(ctx).Error().Msg("repository lease taken over; stopping the job")
			cancel(errLeaseLost)
			return false
		case time.Until(expires) < ttl/3:
			zerolog.Ctx(ctx).Error().Err(err).Msg("repository lease could not be renewed before it expires; stopping the job")
			cancel(fmt.Errorf("%w: %w", errLeaseLost, err))
			return false
		default:
			// Transient: the lease still has time; the next tick retries.
			zerolog.Ctx(ctx).Warn().Err(err).Msg("renew repository lease")
		}
		return true
	})
	return ctx, func() {
		stop()
		cancel(nil)
	}
}

// release frees the lease even when ctx has ended (a job stopped at
// shutdown must not keep its repository locked for a whole TTL).
func (l *lease) release(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := l.j.be.db().exec(ctx, `DELETE FROM pindrift_repo_locks WHERE repo = ? AND owner = ?`, l.repo, l.token); err != nil {
		// The lease expires by itself after LockTTL; the next job waits
		// until then.
		zerolog.Ctx(ctx).Warn().Err(err).Msg("release repository lease")
	}
}
