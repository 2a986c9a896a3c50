package runner

// TEMPORARY stand-in written on branch h-onboard until h-discover lands
// its tree listing on the GitHub interface and its adapter in
// internal/runner/discover.go; deleted at the merge of main.

import (
	"context"
	"fmt"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/pin"
)

// TreeLister lists a repository's files at ref (stand-in).
type TreeLister interface {
	Tree(ctx context.Context, repo issues.Repo, ref string) ([]discover.Entry, bool, error)
}

type ghSource struct {
	gh   GitHub
	repo issues.Repo
	ref  string
}

func (s ghSource) Tree(ctx context.Context) ([]discover.Entry, bool, error) {
	tl, ok := s.gh.(TreeLister)
	if !ok {
		return nil, false, fmt.Errorf("%T lists no trees", s.gh)
	}
	return tl.Tree(ctx, s.repo, s.ref)
}

func (s ghSource) Read(ctx context.Context, path string, maxBytes int64) ([]byte, error) {
	if maxBytes <= 0 {
		maxBytes = pin.DefaultMaxFileBytes
	}
	return s.gh.ReadFile(ctx, s.repo, path, s.ref, maxBytes)
}

// discoverSource is discovery's view of the repository at ref.
func discoverSource(gh GitHub, repo issues.Repo, ref string) discover.Source {
	return ghSource{gh: gh, repo: repo, ref: ref}
}
