package webhook

import (
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
)

func TestRelease(t *testing.T) {
	t.Parallel()
	job := func(action string) []runner.VerifyRequest {
		return []runner.VerifyRequest{{InstallationID: testInstallation, Owner: "Codertocat", Repo: "Hello-World",
			Trigger: "release 0.0.1 " + action, DeliveryID: testDelivery}}
	}
	runDeliveries(t, map[string]deliveryCase{
		"published": {event: "release", body: fixture(t, "release.published", nil), wantVerify: job("published")},
		"edited":    {event: "release", body: fixture(t, "release.edited", nil), wantVerify: job("edited")},
		"deleted": {event: "release", body: fixture(t, "release.published", func(p map[string]any) { p["action"] = "deleted" }),
			wantVerify: job("deleted")},
	})
}
