package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/runner"
)

// loadSettings reads .github/pindrift.yml (or the owner's default) and
// turns it into what the runner needs.
func loadSettings(ctx context.Context, gh *github.Client, owner, repo, ref string) (*runner.Settings, error) {
	rc, src, err := config.LoadRepo(ctx, gh, owner, repo, ref)
	if errors.Is(err, config.ErrNotConfigured) {
		return nil, runner.ErrNotConfigured
	}
	var ce *config.Error
	if errors.As(err, &ce) {
		out := &runner.ConfigError{Err: err, File: config.RepoConfigPath, InRepo: !src.OwnerDefault}
		for _, p := range ce.Problems {
			out.Problems = append(out.Problems, runner.ConfigProblem{Line: p.Line, Message: p.Key + ": " + p.Message})
		}
		return nil, out
	}
	if err != nil {
		return nil, err
	}
	s := &runner.Settings{Mode: rc.Verify.Mode, Issue: rc.IssuesConfig(), PR: rc.FixPRConfig()}
	for i, m := range rc.Manifests {
		opts, err := m.Options()
		if err != nil {
			return nil, &runner.ConfigError{Err: fmt.Errorf("%s: manifests[%d]: %w", config.RepoConfigPath, i, err),
				File: config.RepoConfigPath, InRepo: !src.OwnerDefault}
		}
		s.Manifests = append(s.Manifests, runner.Manifest{Path: m.Path, Options: opts})
	}
	return s, nil
}
