package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/issues"
)

// TestRecheckIsLimitedPerRepository: a burst of "/pindrift recheck"
// comments runs one verification; the first comment refused is answered
// once on the tracking issue, with when the next recheck can run.
func TestRecheckIsLimitedPerRepository(t *testing.T) {
	a := newApp(t)
	tracking := a.gh.AddIssue(owner, name, ghfake.Issue{Title: "Pinned assets drifted", Body: issues.Marker + "\n"})
	for _, login := range []string{"alice", "bob"} {
		a.gh.SetPermission(owner, name, login, "write")
	}
	comment := func(i int, login string) []byte {
		p := map[string]any{
			"action": "created",
			"issue": map[string]any{"number": tracking.Number, "body": tracking.Body, "state": "open",
				"user": map[string]any{"login": a.gh.AppLogin(), "type": "Bot"}},
			"comment": map[string]any{"id": 1000 + i, "body": "/pindrift recheck",
				"user": map[string]any{"login": login, "type": "User"}},
			"repository": map[string]any{"name": name, "full_name": owner + "/" + name,
				"owner": map[string]any{"login": owner}, "default_branch": "main"},
			"installation": map[string]any{"id": instID},
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	runs := func() int { return a.gh.Count(http.MethodGet, "/repos/acme/images/branches/main") }

	a.deliver("issue_comment", "r-0", comment(0, "alice"), true)
	a.settle()
	if got := runs(); got != 1 {
		t.Fatalf("the first recheck ran %d verifications, want 1", got)
	}
	// Ten more comments from two people, one after the other.
	for i := 1; i <= 10; i++ {
		login := []string{"alice", "bob"}[i%2]
		if code := a.deliver("issue_comment", fmt.Sprintf("r-%d", i), comment(i, login), true); code != http.StatusOK {
			t.Fatalf("delivery %d: status %d", i, code)
		}
		a.settle()
	}
	if got := runs(); got != 1 {
		t.Errorf("11 rechecks within the window ran %d verifications, want 1", got)
	}
	var replies []string
	for _, c := range a.gh.Comments(owner, name, tracking.Number) {
		if strings.Contains(c.Body, "recheck of this repository already ran") {
			replies = append(replies, c.Body)
		}
	}
	if len(replies) != 1 || !strings.Contains(replies[0], "the next one can run from") || !strings.Contains(replies[0], "5m0s") {
		t.Errorf("replies to rechecks refused as too soon: %q; want one saying when the next can run", replies)
	}
}
