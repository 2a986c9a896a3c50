package webhook

import (
	"context"
	"fmt"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// PullRequest asks for a check of a pull request whenever its head commit
// is new to it: opened, pushed to (synchronize) or reopened. A fork's pull
// request is checked through the base repository, the only one the App
// is installed on.
type PullRequest struct{ Queue Queue }

var _ githubapp.EventHandler = &PullRequest{}

func (h *PullRequest) Handles() []string { return []string{"pull_request"} }

func (h *PullRequest) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e pullRequestEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	ctx, id, owner, name, ok, err := forRepo(ctx, &e.common) // the base repository
	if !ok {
		return err
	}
	switch e.Action {
	case "opened", "synchronize", "reopened":
	default:
		return ignore(ctx, "pull_request "+e.Action)
	}
	number, head := e.Number, ""
	if pr := e.PullRequest; pr != nil {
		if pr.Number != 0 {
			number = pr.Number
		}
		if pr.Head != nil {
			head = pr.Head.SHA
		}
	}
	if number == 0 || head == "" {
		return unusable("pull_request %s without a number or head SHA", e.Action)
	}
	return enqueuePR(ctx, h.Queue, runner.PRRequest{
		InstallationID: id, Owner: owner, Repo: name, Number: number, HeadSHA: head, DeliveryID: deliveryID,
		Trigger: fmt.Sprintf("pull request #%d %s at %s", number, e.Action, shortsha.Of(head, shortsha.Commit)),
	})
}
