package webhook

import (
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
)

const prHead = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"

// pullRequestPayload is a pull_request delivery for acme/microvm#7 whose
// head branch lives in headOwner/headRepo (a fork unless it is acme/microvm).
func pullRequestPayload(action, headOwner, headRepo string) map[string]any {
	base := repoPayload("acme", "microvm", 100)
	head := repoPayload(headOwner, headRepo, 200)
	if headOwner == "acme" && headRepo == "microvm" {
		head = base
	} else {
		head["fork"] = true
	}
	return map[string]any{
		"action": action, "number": 7,
		"pull_request": map[string]any{
			"id": 279147437, "number": 7, "state": "open", "title": "Bump the kernel", "draft": false,
			"html_url": "https://github.com/acme/microvm/pull/7",
			"user":     userPayload(headOwner, "User"),
			"head":     map[string]any{"label": headOwner + ":kernel", "ref": "kernel", "sha": prHead, "repo": head, "user": userPayload(headOwner, "User")},
			"base":     map[string]any{"label": "acme:main", "ref": "main", "sha": "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", "repo": base, "user": userPayload("acme", "Organization")},
		},
		"repository": base, "sender": userPayload(headOwner, "User"), "installation": installationPayload(),
	}
}

func TestPullRequest(t *testing.T) {
	t.Parallel()
	job := func(action string) []runner.PRRequest {
		return []runner.PRRequest{{InstallationID: testInstallation, Owner: "acme", Repo: "microvm", Number: 7, HeadSHA: prHead,
			Trigger: "pull request #7 " + action + " at ec26c3e", DeliveryID: testDelivery}}
	}
	runDeliveries(t, map[string]deliveryCase{
		"opened":      {event: "pull_request", body: encode(t, pullRequestPayload("opened", "acme", "microvm")), wantPR: job("opened")},
		"synchronize": {event: "pull_request", body: encode(t, pullRequestPayload("synchronize", "acme", "microvm")), wantPR: job("synchronize")},
		"reopened":    {event: "pull_request", body: encode(t, pullRequestPayload("reopened", "acme", "microvm")), wantPR: job("reopened")},
		"opened from a fork: checked through the base repository": {event: "pull_request",
			body: encode(t, pullRequestPayload("opened", "mallory", "microvm-fork")), wantPR: job("opened")},
		"closed":  {event: "pull_request", body: encode(t, pullRequestPayload("closed", "acme", "microvm"))},
		"labeled": {event: "pull_request", body: encode(t, pullRequestPayload("labeled", "acme", "microvm"))},
		"edited":  {event: "pull_request", body: encode(t, pullRequestPayload("edited", "acme", "microvm"))},
	})
}
