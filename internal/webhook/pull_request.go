package webhook

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

// PullRequest asks for a check of a pull request whenever its head commit
// is new to it: opened, pushed to (synchronize) or reopened. A fork's pull
// request is checked through the base repository, the only one the App
// is installed on.
type PullRequest struct{ Queue Queue }

var _ githubapp.EventHandler = &PullRequest{}

func (h *PullRequest) Handles() []string { return []string{"pull_request"} }

func (h *PullRequest) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e github.PullRequestEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	ctx, id, owner, name, ok, err := forRepo(ctx, e.Installation, e.GetRepo()) // the base repository
	if !ok {
		return err
	}
	switch e.GetAction() {
	case "opened", "synchronize", "reopened":
	default:
		return ignore(ctx, "pull_request "+e.GetAction())
	}
	pr := e.GetPullRequest()
	number, head := pr.GetNumber(), pr.GetHead().GetSHA()
	if number == 0 {
		number = e.GetNumber()
	}
	if number == 0 || head == "" {
		return badPayloadError{fmt.Errorf("pull_request %s without a number or head SHA", e.GetAction())}
	}
	return enqueuePR(ctx, h.Queue, PRJob{
		InstallationID: id, Owner: owner, Repo: name, Number: number, HeadSHA: head, DeliveryID: deliveryID,
		Trigger: fmt.Sprintf("pull request #%d %s at %s", number, e.GetAction(), short(head)),
	})
}
