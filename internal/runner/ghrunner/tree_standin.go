package ghrunner

// TEMPORARY stand-in written on branch h-onboard until h-discover lands
// its tree listing; deleted at the merge of main.

import (
	"context"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
)

func (c *Client) Tree(ctx context.Context, repo issues.Repo, ref string) ([]discover.Entry, bool, error) {
	t, _, err := c.gh.Git.GetTree(ctx, repo.Owner, repo.Name, ref, true)
	if err != nil {
		return nil, false, err
	}
	var out []discover.Entry
	for _, e := range t.Entries {
		if e.GetType() == "blob" {
			out = append(out, discover.Entry{Path: e.GetPath(), Size: int64(e.GetSize()), Mode: e.GetMode()})
		}
	}
	return out, t.GetTruncated(), nil
}

var _ = github.String
