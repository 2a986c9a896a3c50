package webhook

import (
	"context"

	"github.com/palantir/go-githubapp/githubapp"
)

// InstallationRepositories verifies repositories added to an existing
// installation.
type InstallationRepositories struct{ Queue Queue }

var _ githubapp.EventHandler = &InstallationRepositories{}

func (h *InstallationRepositories) Handles() []string { return []string{"installation_repositories"} }

func (h *InstallationRepositories) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e installationEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	id, ok := installationID(ctx, e.Installation)
	if !ok {
		return nil
	}
	ctx = withInstallation(ctx, id)
	if e.Action != "added" {
		return ignore(ctx, "installation_repositories "+e.Action)
	}
	return verifyEach(ctx, h.Queue, id, e.Installation.account(), e.RepositoriesAdded,
		deliveryID, "repository added to the installation")
}
