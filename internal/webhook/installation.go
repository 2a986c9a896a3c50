package webhook

import (
	"context"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

// Installation verifies every repository of a new installation, and again
// when the owner accepts new permissions, which may unblock what failed.
type Installation struct{ Queue Queue }

var _ githubapp.EventHandler = &Installation{}

func (h *Installation) Handles() []string { return []string{"installation"} }

func (h *Installation) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e github.InstallationEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	id, ok := installationID(ctx, e.Installation)
	if !ok {
		return nil
	}
	switch e.GetAction() {
	case "created", "new_permissions_accepted":
	default:
		return ignore(ctx, "installation "+e.GetAction())
	}
	return verifyEach(ctx, h.Queue, id, e.GetInstallation().GetAccount().GetLogin(), e.Repositories,
		deliveryID, "installation "+e.GetAction())
}

// verifyEach enqueues a verification of each repository. On an error the
// delivery fails and GitHub redelivers it whole; the ones already
// enqueued come back as duplicates.
//
// Every name is checked before any is enqueued, so a payload naming an
// impossible repository enqueues nothing.
func verifyEach(ctx context.Context, q Queue, id int64, account string, repos []*github.Repository, deliveryID, trigger string) error {
	type ownerRepo struct{ owner, name string }
	var names []ownerRepo
	for _, r := range repos {
		owner := r.GetOwner().GetLogin()
		if owner == "" {
			owner = account
		}
		owner, name := ownerName(owner, r.GetName(), r.GetFullName())
		if err := checkRepoName(owner, name); err != nil {
			return err
		}
		names = append(names, ownerRepo{owner, name})
	}
	for _, n := range names {
		owner, name := n.owner, n.name
		err := enqueueVerify(withRepo(ctx, id, owner, name), q, VerifyJob{
			InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID, Trigger: trigger,
		})
		if err != nil {
			return err
		}
	}
	return nil
}
