package webhook

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
)

func TestImpossibleRepositoryNamesAreRefused(t *testing.T) {
	t.Parallel()
	names := map[string]struct{ owner, name, want string }{
		"owner walks up":      {"../..", "microvm", `invalid repository owner "../.."`},
		"name walks up":       {"acme", "..", `invalid repository name ".."`},
		"empty name":          {"acme", "", `invalid repository name "" in the payload: it is empty`},
		"owner too long":      {strings.Repeat("a", 101), "microvm", "101 bytes long"},
		"slash in name":       {"acme", "micro/vm", `contains '/'`},
		"query in owner":      {"acme?x=1", "microvm", `contains '?'`},
		"percent-encoded dot": {"acme", "%2e%2e", `contains '%'`},
		"newline":             {"acme", "micro\nvm", `contains '\n'`},
	}
	// Every handler that acts on one repository, and installation events
	// that list several.
	events := map[string]func(owner, name string) map[string]any{
		"release": func(o, n string) map[string]any {
			return map[string]any{"action": "published", "release": map[string]any{"tag_name": "v1"},
				"repository": repoPayload(o, n, 1), "installation": installationPayload()}
		},
		"push": func(o, n string) map[string]any {
			p := map[string]any{"ref": "refs/heads/main", "after": strings.Repeat("1", 40),
				"repository": repoPayload(o, n, 1), "installation": installationPayload()}
			p["repository"].(map[string]any)["owner"] = map[string]any{"login": o, "name": o}
			return p
		},
		"pull_request": func(o, n string) map[string]any {
			p := pullRequestPayload("opened", "acme", "microvm")
			p["repository"] = repoPayload(o, n, 1)
			return p
		},
		"check_run": func(o, n string) map[string]any {
			p := checkRunPayload("rerequested", runner.CheckName, testAppID, "")
			p["repository"] = repoPayload(o, n, 1)
			return p
		},
		"issue_comment": func(o, n string) map[string]any {
			p := issueCommentPayload(nil)
			p["repository"] = repoPayload(o, n, 1)
			return p
		},
		"installation": func(o, n string) map[string]any {
			p := installationEventPayload("created", []any{
				map[string]any{"id": 1, "name": "fine", "full_name": o + "/fine"},
				map[string]any{"id": 2, "name": n, "full_name": o + "/" + n},
			})
			p["installation"].(map[string]any)["account"] = userPayload(o, "Organization")
			return p
		},
	}
	for event, payload := range events {
		for name, tc := range names {
			t.Run(event+"/"+name, func(t *testing.T) {
				t.Parallel()
				q := &fakeQueue{}
				h := newHook(t, q)
				status, msg := h.post(t, event, encode(t, payload(tc.owner, tc.name)), nil)
				if status != http.StatusBadRequest || !strings.Contains(msg, tc.want) {
					t.Errorf("status %d %q, want 400 saying %s", status, msg, tc.want)
				}
				if !strings.Contains(h.logs.String(), "impossible repository") {
					t.Errorf("not logged:\n%s", h.logs)
				}
				if v, p := q.jobs(); len(v)+len(p) != 0 {
					t.Errorf("jobs enqueued: %+v %+v", v, p)
				}
			})
		}
	}
}
