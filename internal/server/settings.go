package server

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/runner"
)

// loadSettings reads .github/pindrift.yml (or the owner's default) and
// turns it into what the runner needs. repoconfig's errors
// (ErrNotConfigured, *Error) reach the runner as they are.
func loadSettings(ctx context.Context, gh *github.Client, owner, repo, ref string) (*runner.Settings, error) {
	rc, src, err := repoconfig.Load(ctx, gh, owner, repo, ref)
	if err != nil {
		return nil, err
	}
	s := &runner.Settings{Mode: rc.Verify.Mode, Issue: rc.IssuesConfig(), PR: rc.FixPRConfig(), OwnerDefault: src.OwnerDefault}
	for i, m := range rc.Manifests {
		opts, err := m.Options()
		if err != nil {
			return nil, &repoconfig.Error{File: repoconfig.Path, OwnerDefault: src.OwnerDefault,
				Problems: []repoconfig.Problem{{Key: fmt.Sprintf("manifests[%d]", i), Message: err.Error()}}}
		}
		s.Manifests = append(s.Manifests, runner.Manifest{Path: m.Path, Options: opts, Line: m.Line, Column: m.Column})
	}
	return s, nil
}
