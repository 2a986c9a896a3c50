package webhook

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// maxPushCommits is how many commits GitHub lists in a push payload at
// most; a list this long may have been cut.
const maxPushCommits = 20

// Push verifies the repository when its default branch moves, asking for
// a check run on the pushed commit. Pushes to other branches, tags and
// deletions are ignored.
type Push struct{ Queue Queue }

var _ githubapp.EventHandler = &Push{}

func (h *Push) Handles() []string { return []string{"push"} }

func (h *Push) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e pushEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	ctx, id, owner, name, ok, err := forRepo(ctx, &e.common)
	if !ok {
		return err
	}
	branch := e.Repository.DefaultBranch
	if branch == "" || e.Ref != "refs/heads/"+branch {
		return ignore(ctx, "push to "+e.Ref+", not the default branch")
	}
	after := e.After
	if e.Deleted || isZeroSHA(after) {
		return ignore(ctx, "default branch deleted")
	}
	return enqueueVerify(ctx, h.Queue, runner.VerifyRequest{
		InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID,
		Trigger: fmt.Sprintf("push %s to %s", shortsha.Of(after, shortsha.Commit), branch),
		PushSHA: after,
		Paths:   changedPaths(&e),
	})
}

// changedPaths lists every file the push's commits added, modified or
// removed, or returns nil when the payload cannot tell: the commit list
// may be cut short, and after a forced push or a branch creation the
// difference from the old head is not the sum of the listed commits.
func changedPaths(e *pushEvent) []string {
	n := len(e.Commits)
	switch {
	case n == 0, n >= maxPushCommits,
		e.Size != nil && *e.Size > n,
		e.DistinctSize != nil && *e.DistinctSize > n,
		e.Forced, e.Created, isZeroSHA(e.Before):
		return nil
	}
	paths := []string{}
	for _, c := range e.Commits {
		if c == nil {
			return nil // a null commit: what it changed is unknown
		}
		paths = append(paths, c.Added...)
		paths = append(paths, c.Modified...)
		paths = append(paths, c.Removed...)
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

func isZeroSHA(sha string) bool {
	return sha == "" || strings.Trim(sha, "0") == ""
}
