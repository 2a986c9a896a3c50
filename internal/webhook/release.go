package webhook

import (
	"context"
	"fmt"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/runner"
)

// Release verifies the repository on every release action: an edit, a
// re-upload or a deletion can each turn a pin stale.
type Release struct{ Queue Queue }

var _ githubapp.EventHandler = &Release{}

func (h *Release) Handles() []string { return []string{"release"} }

func (h *Release) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e releaseEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	ctx, id, owner, name, ok, err := forRepo(ctx, &e.common)
	if !ok {
		return err
	}
	tagName := ""
	if e.Release != nil {
		tagName = e.Release.TagName
	}
	return enqueueVerify(ctx, h.Queue, runner.VerifyRequest{
		InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID,
		Trigger: fmt.Sprintf("release %s %s", tagName, e.Action),
	})
}
