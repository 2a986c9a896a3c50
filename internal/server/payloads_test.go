package server_test

import (
	"net/http"
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
)

// TestCheckRunRerequestedAsGitHubSendsIt: a real check_run rerequested
// delivery carries "created_at": "2018-04-25 20:42:10" in its app object
// and Unix integers elsewhere; the re-run is acted on (a new check run on
// the commit), not refused.
func TestCheckRunRerequestedAsGitHubSendsIt(t *testing.T) {
	a := newApp(t)
	head := a.gh.SetFile(owner, name, "main", "README.md", "hello\n", "maintainer")
	before := len(a.gh.CheckRuns(owner, name, head))
	body := a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		p["action"] = "rerequested"
		p["check_run"] = map[string]any{
			"id": 1, "name": runner.CheckName, "head_sha": head, "external_id": "", "pull_requests": []any{},
			"started_at": "2018-05-04T01:14:52Z", "completed_at": nil,
			"app": map[string]any{"id": 42, "slug": "pindrift", "owner": map[string]any{"login": "pindrift", "id": 1},
				"created_at": "2018-04-25 20:42:10", "updated_at": "2018-04-25 20:42:10"},
			"check_suite": map[string]any{"id": 5, "head_sha": head, "created_at": 1525396492, "updated_at": 1525396492},
		}
		p["repository"].(map[string]any)["pushed_at"] = 1525396492
	})
	if code := a.deliver("check_run", "cr-1", body, true); code != http.StatusOK {
		t.Fatalf("check_run rerequested answered %d, want 200", code)
	}
	a.settle()
	if got := len(a.gh.CheckRuns(owner, name, head)); got != before+1 {
		t.Errorf("%d check runs on %s after the re-run (was %d); want one more", got, head, before)
	}
}
