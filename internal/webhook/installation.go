package webhook

import (
	"context"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/runner"
)

// Installation verifies every repository of a new installation, and again
// when the owner accepts new permissions, which may unblock what failed.
// Suspending an installation stops its work (its jobs are skipped, the
// sweep leaves it out) until it is unsuspended, which verifies its
// repositories again; deleting it ends its work for good.
type Installation struct{ Queue Queue }

var _ githubapp.EventHandler = &Installation{}

func (h *Installation) Handles() []string { return []string{"installation"} }

func (h *Installation) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e installationEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	id, ok := installationID(ctx, e.Installation)
	if !ok {
		return nil
	}
	ctx = withInstallation(ctx, id)
	switch e.Action {
	case "created", "new_permissions_accepted":
	case "suspend":
		return setState(ctx, h.Queue, id, jobs.InstallationSuspended)
	case "deleted":
		return setState(ctx, h.Queue, id, jobs.InstallationDeleted)
	case "unsuspend":
		if err := setState(ctx, h.Queue, id, jobs.InstallationActive); err != nil {
			return err
		}
		if len(e.Repositories) == 0 {
			// GitHub lists an installation's repositories in its
			// installation deliveries; without them the next sweep
			// verifies what was missed.
			zerolog.Ctx(ctx).Info().Msg("unsuspended installation lists no repositories; the next sweep verifies them")
			return nil
		}
	default:
		return ignore(ctx, "installation "+e.Action)
	}
	return verifyEach(ctx, h.Queue, id, e.Installation.account(), e.Repositories,
		deliveryID, "installation "+e.Action)
}

func setState(ctx context.Context, q Queue, id int64, s jobs.InstallationState) error {
	if err := q.SetInstallation(ctx, id, s); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("state", string(s)).Msg("installation state recorded")
	return nil
}

// verifyEach enqueues a verification of each repository. On an error the
// delivery fails and GitHub redelivers it whole; the ones already
// enqueued come back as duplicates.
//
// Every name is checked before any is enqueued, so a payload naming an
// impossible repository enqueues nothing.
func verifyEach(ctx context.Context, q Queue, id int64, account string, repos []*repoJSON, deliveryID, trigger string) error {
	type ownerRepo struct{ owner, name string }
	var names []ownerRepo
	for _, r := range repos {
		if r == nil {
			continue // a null entry names nothing to verify
		}
		owner := r.owner()
		if owner == "" {
			owner = account
		}
		owner, name := ownerName(owner, r.Name, r.FullName)
		if err := checkRepoName(owner, name); err != nil {
			return err
		}
		names = append(names, ownerRepo{owner, name})
	}
	for _, n := range names {
		owner, name := n.owner, n.name
		err := enqueueVerify(withRepo(ctx, owner, name), q, runner.VerifyRequest{
			InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID, Trigger: trigger,
		})
		if err != nil {
			return err
		}
	}
	return nil
}
