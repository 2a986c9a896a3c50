package webhook

import (
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
)

const checkHead = "d6fde92930d4715a2b49857d24b940956b26d2d3"

// checkRunPayload is a check_run delivery on acme/microvm for a check run
// named name posted by the App appID, listing the given pull requests.
func checkRunPayload(action, name string, appID int, externalID string, prs ...map[string]any) map[string]any {
	list := []any{}
	for _, pr := range prs {
		list = append(list, pr)
	}
	return map[string]any{
		"action": action,
		"check_run": map[string]any{
			"id": 128620228, "name": name, "head_sha": checkHead, "external_id": externalID,
			"status": "completed", "conclusion": "failure",
			"app":           map[string]any{"id": appID, "slug": "pindrift", "name": "pindrift", "owner": userPayload("pindrift", "Organization")},
			"check_suite":   map[string]any{"id": 118578147, "head_branch": "kernel", "head_sha": checkHead},
			"pull_requests": list,
		},
		"repository": repoPayload("acme", "microvm", 100), "sender": userPayload("octocat", "User"),
		"installation": installationPayload(),
	}
}

// checkRunPR is an entry of check_run.pull_requests.
func checkRunPR(number int, baseRepoID int64) map[string]any {
	return map[string]any{
		"url": "https://api.github.com/repos/acme/microvm/pulls/1", "id": 1934, "number": number,
		"head": map[string]any{"ref": "kernel", "sha": checkHead, "repo": map[string]any{"id": 100, "url": "https://api.github.com/repos/acme/microvm", "name": "microvm"}},
		"base": map[string]any{"ref": "main", "sha": "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", "repo": map[string]any{"id": baseRepoID, "url": "https://api.github.com/repos/x/y", "name": "y"}},
	}
}

func TestCheckRun(t *testing.T) {
	t.Parallel()
	trigger := "check run re-requested by octocat on d6fde92"
	pr := func(n int) runner.PRRequest {
		return runner.PRRequest{InstallationID: testInstallation, Owner: "acme", Repo: "microvm", Number: n, HeadSHA: checkHead,
			Trigger: trigger, DeliveryID: testDelivery}
	}
	runDeliveries(t, map[string]deliveryCase{
		"re-run on a pull request": {event: "check_run",
			body:   encode(t, checkRunPayload("rerequested", "pindrift", testAppID, "", checkRunPR(7, 100))),
			wantPR: []runner.PRRequest{pr(7)}},
		"re-run on a commit two pull requests share": {event: "check_run",
			body:   encode(t, checkRunPayload("rerequested", "pindrift", testAppID, "", checkRunPR(7, 100), checkRunPR(9, 100))),
			wantPR: []runner.PRRequest{pr(7), pr(9)}},
		"re-run on a fork's pull request, known by its external id": {event: "check_run",
			body:   encode(t, checkRunPayload("rerequested", "pindrift", testAppID, runner.PRExternalID(12))),
			wantPR: []runner.PRRequest{pr(12)}},
		"re-run on a pushed commit": {event: "check_run",
			body: encode(t, checkRunPayload("rerequested", "pindrift", testAppID, "")),
			wantVerify: []runner.VerifyRequest{{InstallationID: testInstallation, Owner: "acme", Repo: "microvm",
				Trigger: trigger, DeliveryID: testDelivery, PushSHA: checkHead}}},
		"another app's check": {event: "check_run",
			body: encode(t, checkRunPayload("rerequested", "pindrift", 15368, "", checkRunPR(7, 100)))},
		"another check of this app": {event: "check_run",
			body: encode(t, checkRunPayload("rerequested", "lint", testAppID, "", checkRunPR(7, 100)))},
		"completed, not re-requested": {event: "check_run",
			body: encode(t, checkRunPayload("completed", "pindrift", testAppID, "", checkRunPR(7, 100)))},
		"only another repository's pull request": {event: "check_run",
			body: encode(t, checkRunPayload("rerequested", "pindrift", testAppID, "", checkRunPR(3, 555)))},
	})
}
