package runner

import (
	"context"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
)

// DiscoverSource is repo's tree at ref as a discover.Source: one Tree
// request for the listing, one ReadFile per file read (two for a file
// over 1 MB, which the contents API does not inline). ref should be a
// commit SHA, so that a branch moving under a discovery cannot mix two
// trees.
func DiscoverSource(gh Repos, repo issues.Repo, ref string) discover.Source {
	return discoverSource{gh: gh, repo: repo, ref: ref}
}

type discoverSource struct {
	gh   Repos
	repo issues.Repo
	ref  string
}

func (s discoverSource) Tree(ctx context.Context) ([]discover.Entry, bool, error) {
	return s.gh.Tree(ctx, s.repo, s.ref)
}

func (s discoverSource) Read(ctx context.Context, path string, maxBytes int64) ([]byte, error) {
	return s.gh.ReadFile(ctx, s.repo, path, s.ref, maxBytes)
}
