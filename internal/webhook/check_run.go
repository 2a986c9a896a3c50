package webhook

import (
	"context"
	"fmt"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// CheckRun runs pindrift's own check again when someone asks GitHub to
// re-run it: the pull request check for a check run on a pull request,
// the repository's verification with a check on the commit otherwise.
type CheckRun struct {
	Queue Queue
	AppID int64
}

var _ githubapp.EventHandler = &CheckRun{}

func (h *CheckRun) Handles() []string { return []string{"check_run"} }

func (h *CheckRun) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e checkRunEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	ctx, id, owner, name, ok, err := forRepo(ctx, &e.common)
	if !ok {
		return err
	}
	if e.Action != "rerequested" {
		return ignore(ctx, "check_run "+e.Action)
	}
	cr := e.CheckRun
	if cr == nil {
		return unusable("check_run %s without its check run", e.Action)
	}
	var appID int64
	if cr.App != nil {
		appID = cr.App.ID
	}
	if appID != h.AppID || cr.Name != runner.CheckName {
		return ignore(ctx, fmt.Sprintf("re-run of check %q of app %d", cr.Name, appID))
	}
	head := cr.HeadSHA
	if head == "" {
		return unusable("check_run %s without a head SHA", e.Action)
	}
	trigger := fmt.Sprintf("check run re-requested by %s on %s", e.sender(), shortsha.Of(head, shortsha.Commit))

	repoID := e.Repository.ID
	numbers := []int{}
	for _, pr := range cr.PullRequests {
		if pr == nil || pr.Number <= 0 {
			continue
		}
		// A check run in a fork may list the upstream pull request its
		// branch feeds: that pull request is not in this repository.
		var base int64
		if pr.Base != nil && pr.Base.Repo != nil {
			base = pr.Base.Repo.ID
		}
		if base != 0 && repoID != 0 && base != repoID {
			continue
		}
		numbers = append(numbers, pr.Number)
	}
	switch n, ok := runner.PRFromExternalID(cr.ExternalID); {
	case len(cr.PullRequests) == 0 && ok:
		numbers = append(numbers, n)
	case len(cr.PullRequests) > 0 && len(numbers) == 0:
		return ignore(ctx, "re-run of a check on another repository's pull request")
	}
	if len(numbers) == 0 {
		return enqueueVerify(ctx, h.Queue, runner.VerifyRequest{
			InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID,
			Trigger: trigger, PushSHA: head,
		})
	}
	for _, n := range numbers {
		err := enqueuePR(ctx, h.Queue, runner.PRRequest{
			InstallationID: id, Owner: owner, Repo: name, Number: n, HeadSHA: head, DeliveryID: deliveryID,
			Trigger: trigger,
		})
		if err != nil {
			return err
		}
	}
	return nil
}
