package webhook

import (
	"net/http"
	"testing"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/logtest"
)

// TestLogKeysOnce: a delivery's log line names the event, delivery,
// installation and repository once each, with go-githubapp's keys. The
// installation delivery is the case that once wrote the installation
// twice (once for the delivery, once for each repository it lists).
func TestLogKeysOnce(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		event string
		body  func(t *testing.T) []byte
		lines int
	}{
		"release": {event: "release", lines: 1,
			body: func(t *testing.T) []byte { return fixture(t, "release.edited", nil) }},
		"installation created": {event: "installation", lines: 2,
			body: func(t *testing.T) []byte {
				return encode(t, installationEventPayload("created", installationRepos("microvm", "images")))
			}},
		"installation_repositories added": {event: "installation_repositories", lines: 1,
			body: func(t *testing.T) []byte {
				p := installationEventPayload("added", nil)
				p["repositories_added"] = installationRepos("microvm")
				return encode(t, p)
			}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHook(t, &fakeQueue{})
			if status, msg := h.post(t, tt.event, tt.body(t), nil); status != http.StatusOK {
				t.Fatalf("status %d: %s", status, msg)
			}
			lines := logtest.Lines(t, h.logs.String(), "verify enqueued")
			if len(lines) != tt.lines {
				t.Fatalf("%d lines \"verify enqueued\", want %d; logs:\n%s", len(lines), tt.lines, h.logs)
			}
			for _, l := range lines {
				logtest.CheckKeys(t, l, githubapp.LogKeyEventType, githubapp.LogKeyDeliveryID,
					githubapp.LogKeyInstallationID, githubapp.LogKeyRepositoryOwner, githubapp.LogKeyRepositoryName, "trigger")
			}
		})
	}
}
