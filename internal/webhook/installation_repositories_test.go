package webhook

import (
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
)

func installationReposPayload(action string, added, removed []any) map[string]any {
	p := installationEventPayload(action, nil)
	delete(p, "repositories")
	p["repositories_added"] = added
	p["repositories_removed"] = removed
	p["repository_selection"] = "selected"
	return p
}

func TestInstallationRepositories(t *testing.T) {
	t.Parallel()
	job := func(name string) runner.VerifyRequest {
		return runner.VerifyRequest{InstallationID: testInstallation, Owner: "acme", Repo: name,
			Trigger: "repository added to the installation", DeliveryID: testDelivery}
	}
	runDeliveries(t, map[string]deliveryCase{
		"added": {event: "installation_repositories",
			body:       encode(t, installationReposPayload("added", installationRepos("microvm", "images"), []any{})),
			wantVerify: []runner.VerifyRequest{job("microvm"), job("images")}},
		"removed": {event: "installation_repositories",
			body: encode(t, installationReposPayload("removed", []any{}, installationRepos("microvm")))},
	})
}
