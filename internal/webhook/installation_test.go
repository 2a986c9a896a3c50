package webhook

import (
	"errors"
	"net/http"
	"testing"

	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/runner"
)

// installationRepos lists repositories the way installation payloads do:
// without an owner.
func installationRepos(names ...string) []any {
	list := []any{}
	for i, n := range names {
		list = append(list, map[string]any{"id": 1000 + i, "node_id": "R_" + n, "name": n, "full_name": "acme/" + n, "private": i%2 == 1})
	}
	return list
}

func installationEventPayload(action string, repos []any) map[string]any {
	inst := installationPayload()
	inst["account"] = userPayload("acme", "Organization")
	inst["app_id"] = testAppID
	inst["repository_selection"] = "selected"
	return map[string]any{"action": action, "installation": inst, "repositories": repos, "sender": userPayload("octocat", "User")}
}

func TestInstallation(t *testing.T) {
	t.Parallel()
	jobs := func(trigger string, names ...string) []runner.VerifyRequest {
		var js []runner.VerifyRequest
		for _, n := range names {
			js = append(js, runner.VerifyRequest{InstallationID: testInstallation, Owner: "acme", Repo: n, Trigger: trigger, DeliveryID: testDelivery})
		}
		return js
	}
	runDeliveries(t, map[string]deliveryCase{
		"created": {event: "installation", body: encode(t, installationEventPayload("created", installationRepos("microvm", "images"))),
			wantVerify: jobs("installation created", "microvm", "images")},
		"new permissions accepted": {event: "installation",
			body:       encode(t, installationEventPayload("new_permissions_accepted", installationRepos("microvm"))),
			wantVerify: jobs("installation new_permissions_accepted", "microvm")},
		"deleted":   {event: "installation", body: encode(t, installationEventPayload("deleted", installationRepos("microvm")))},
		"suspended": {event: "installation", body: encode(t, installationEventPayload("suspend", installationRepos("microvm")))},
		"unsuspended": {event: "installation", body: encode(t, installationEventPayload("unsuspend", installationRepos("microvm", "images"))),
			wantVerify: jobs("installation unsuspend", "microvm", "images")},
		"unsuspended without repositories": {event: "installation", body: encode(t, installationEventPayload("unsuspend", nil))},
	})
}

// TestInstallationStateRecorded: suspend, unsuspend and deleted record
// the installation's state, which is what stops and resumes its work.
func TestInstallationStateRecorded(t *testing.T) {
	t.Parallel()
	for action, want := range map[string]jobs.InstallationState{
		"suspend": jobs.InstallationSuspended, "unsuspend": jobs.InstallationActive, "deleted": jobs.InstallationDeleted,
		"created": "", "new_permissions_accepted": "",
	} {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			q := &fakeQueue{}
			h := newHook(t, q)
			if status, msg := h.post(t, "installation", encode(t, installationEventPayload(action, installationRepos("microvm"))), nil); status != http.StatusOK {
				t.Fatalf("status %d (%q)", status, msg)
			}
			if got := q.state(testInstallation); got != want {
				t.Errorf("state %q, want %q", got, want)
			}
		})
	}
	t.Run("store failure is redelivered", func(t *testing.T) {
		t.Parallel()
		q := &fakeQueue{err: errors.New("database is locked")}
		h := newHook(t, q)
		if status, _ := h.post(t, "installation", encode(t, installationEventPayload("suspend", nil)), nil); status != http.StatusInternalServerError {
			t.Errorf("status %d, want 500 so that GitHub redelivers", status)
		}
	})
}
