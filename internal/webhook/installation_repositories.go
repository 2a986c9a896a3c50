package webhook

import (
	"context"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

// InstallationRepositories verifies repositories added to an existing
// installation.
type InstallationRepositories struct{ Queue Queue }

var _ githubapp.EventHandler = &InstallationRepositories{}

func (h *InstallationRepositories) Handles() []string { return []string{"installation_repositories"} }

func (h *InstallationRepositories) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e github.InstallationRepositoriesEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	id, ok := installationID(ctx, e.Installation)
	if !ok {
		return nil
	}
	if e.GetAction() != "added" {
		return ignore(ctx, "installation_repositories "+e.GetAction())
	}
	return verifyEach(ctx, h.Queue, id, e.GetInstallation().GetAccount().GetLogin(), e.RepositoriesAdded,
		deliveryID, "repository added to the installation")
}
