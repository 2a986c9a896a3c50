package webhook

import "testing"

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
	jobs := func(trigger string, names ...string) []VerifyJob {
		var js []VerifyJob
		for _, n := range names {
			js = append(js, VerifyJob{InstallationID: testInstallation, Owner: "acme", Repo: n, Trigger: trigger, DeliveryID: testDelivery})
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
	})
}
