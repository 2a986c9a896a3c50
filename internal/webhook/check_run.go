package webhook

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

// prExternalIDPrefix starts the external id of a check run posted on a
// pull request ("pr:42"). GitHub leaves a check run's pull_requests empty
// when the head branch is in a fork, so without it a re-run of a fork
// pull request's check could not be told from one on a pushed commit.
const prExternalIDPrefix = "pr:"

// PRExternalID is the external id to give the check run posted on pull
// request number, so that re-running it checks the pull request again even
// when it comes from a fork.
func PRExternalID(number int) string { return prExternalIDPrefix + strconv.Itoa(number) }

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
	var e github.CheckRunEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	repo := e.GetRepo()
	ctx, id, owner, name, ok, err := forRepo(ctx, e.Installation, repo)
	if !ok {
		return err
	}
	cr := e.GetCheckRun()
	switch {
	case e.GetAction() != "rerequested":
		return ignore(ctx, "check_run "+e.GetAction())
	case cr.GetApp().GetID() != h.AppID || cr.GetName() != CheckName:
		return ignore(ctx, fmt.Sprintf("re-run of check %q of app %d", cr.GetName(), cr.GetApp().GetID()))
	}
	head := cr.GetHeadSHA()
	trigger := fmt.Sprintf("check run re-requested by %s on %s", e.GetSender().GetLogin(), short(head))

	numbers := []int{}
	for _, pr := range cr.PullRequests {
		// A check run in a fork may list the upstream pull request its
		// branch feeds: that pull request is not in this repository.
		if base := pr.GetBase().GetRepo().GetID(); base != 0 && repo.GetID() != 0 && base != repo.GetID() {
			continue
		}
		numbers = append(numbers, pr.GetNumber())
	}
	switch n, ok := prFromExternalID(cr.GetExternalID()); {
	case len(cr.PullRequests) == 0 && ok:
		numbers = append(numbers, n)
	case len(cr.PullRequests) > 0 && len(numbers) == 0:
		return ignore(ctx, "re-run of a check on another repository's pull request")
	}
	if len(numbers) == 0 {
		return enqueueVerify(ctx, h.Queue, VerifyJob{
			InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID,
			Trigger: trigger, PushSHA: head,
		})
	}
	for _, n := range numbers {
		err := enqueuePR(ctx, h.Queue, PRJob{
			InstallationID: id, Owner: owner, Repo: name, Number: n, HeadSHA: head, DeliveryID: deliveryID,
			Trigger: trigger,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func prFromExternalID(externalID string) (int, bool) {
	s, ok := strings.CutPrefix(externalID, prExternalIDPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}
