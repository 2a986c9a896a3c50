package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/pindrift/pindrift/internal/runner"
)

// Discoveries is the runner.Discoveries of the App, in the job database so
// every replica knows which repositories were searched in vain.
type Discoveries struct{ q querier }

var _ runner.Discoveries = (*Discoveries)(nil)

// Last implements runner.Discoveries.
func (s *Discoveries) Last(ctx context.Context, owner, repo string) (runner.Discovery, bool, error) {
	key := repoKey(owner, repo)
	var (
		d  runner.Discovery
		at int64
	)
	err := s.q.queryRow(ctx, `SELECT commit_sha, found, at FROM pindrift_discoveries WHERE repo = ?`, key).Scan(&d.Commit, &d.Found, &at)
	if isNoRows(err) {
		return runner.Discovery{}, false, nil
	}
	if err != nil {
		return runner.Discovery{}, false, fmt.Errorf("last discovery of %s: %w", key, err)
	}
	d.At = time.UnixMilli(at).UTC()
	return d, true, nil
}

// Record implements runner.Discoveries. Two replicas recording at once
// leave one of the two, either of which is true of its commit.
func (s *Discoveries) Record(ctx context.Context, owner, repo string, d runner.Discovery) error {
	key := repoKey(owner, repo)
	if _, err := s.q.exec(ctx, `
		INSERT INTO pindrift_discoveries (repo, commit_sha, found, at) VALUES (?, ?, ?, ?)
		ON CONFLICT (repo) DO UPDATE SET commit_sha = excluded.commit_sha, found = excluded.found, at = excluded.at`,
		key, d.Commit, d.Found, d.At.UnixMilli()); err != nil {
		return fmt.Errorf("record the discovery of %s: %w", key, err)
	}
	return nil
}
