package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/pindrift/pindrift/internal/runner"
)

// DefaultRecheckWindow is how often "/pindrift recheck" may run a
// verification of one repository: each run downloads and hashes every
// pinned asset, and anyone with write access can comment.
const DefaultRecheckWindow = 5 * time.Minute

// Recheck takes the repository's recheck turn at now: allowed when none
// was taken within window before now. Shared by every replica through the
// database; the row is locked for the decision, so two comments at once
// give one run.
func (j *Jobs) Recheck(ctx context.Context, owner, repo string, now time.Time, window time.Duration) (runner.RecheckTurn, error) {
	key := repoKey(owner, repo)
	var turn runner.RecheckTurn
	err := j.be.inTx(ctx, func(ctx context.Context, q querier, _ insertFunc) error {
		var last, replied int64
		// The upsert locks the row until commit (PostgreSQL); a new row's
		// last_at of 0 is long ago.
		if err := q.queryRow(ctx, `
			INSERT INTO pindrift_rechecks (repo, last_at, replied_for) VALUES (?, 0, 0)
			ON CONFLICT (repo) DO UPDATE SET last_at = pindrift_rechecks.last_at
			RETURNING last_at, replied_for`, key).Scan(&last, &replied); err != nil {
			return err
		}
		lastAt := time.UnixMilli(last)
		if now.Sub(lastAt) >= window || now.Before(lastAt) {
			turn = runner.RecheckTurn{Allowed: true}
			_, err := q.exec(ctx, `UPDATE pindrift_rechecks SET last_at = ? WHERE repo = ?`, now.UnixMilli(), key)
			return err
		}
		turn = runner.RecheckTurn{Last: lastAt, Next: lastAt.Add(window), Reply: replied != last}
		if turn.Reply {
			_, err := q.exec(ctx, `UPDATE pindrift_rechecks SET replied_for = ? WHERE repo = ?`, last, key)
			return err
		}
		return nil
	})
	if err != nil {
		return runner.RecheckTurn{}, fmt.Errorf("recheck turn of %s: %w", key, err)
	}
	return turn, nil
}
