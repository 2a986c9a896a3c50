package webhook

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/runner"
)

// timestampForms are the ways GitHub's payloads have written a time; a
// real check_run rerequested delivery has "2018-04-25 20:42:10" in its
// app.created_at.
var timestampForms = map[string]any{
	"RFC 3339":            "2018-04-25T20:42:10Z",
	"RFC 3339 with zone":  "2018-04-25T22:42:10.123+02:00",
	"date space time":     "2018-04-25 20:42:10",
	"Unix integer":        1524688930,
	"null":                nil,
	"not a time at all":   "soon",
	"object where a time": map[string]any{"at": 1},
}

// timeKeys are the time fields of GitHub's payloads, set (or added) in
// every object.
var timeKeys = []string{"created_at", "updated_at", "pushed_at", "published_at", "suspended_at", "timestamp", "submitted_at"}

// oddFields are fields pindrift never reads, with types GitHub does not
// send, added to every object.
var oddFields = map[string]any{
	"node_id": 12345, "site_admin": "yes", "permissions": "everything", "topics": map[string]any{"a": 1},
	"license": 42, "archived": "maybe", "visibility": false, "html_url": 7, "events": "push", "suspended_by": 3,
}

// roughen sets every time field of every object of p to ts and adds the
// odd fields, walking arrays too.
func roughen(v any, ts any) {
	switch v := v.(type) {
	case map[string]any:
		for _, child := range v {
			roughen(child, ts)
		}
		for _, k := range timeKeys {
			v[k] = ts
		}
		for k, odd := range oddFields {
			v[k] = odd
		}
	case []any:
		for _, child := range v {
			roughen(child, ts)
		}
	}
}

// copyPayload deep-copies a payload through JSON.
func copyPayload(t *testing.T, p map[string]any) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(encode(t, p), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func releasePayload() map[string]any {
	return map[string]any{
		"action": "published",
		"release": map[string]any{"id": 1, "tag_name": "v1.2", "name": "v1.2", "draft": false,
			"author": userPayload("octocat", "User"),
			"assets": []any{map[string]any{"id": 2, "name": "vmlinux", "uploader": userPayload("octocat", "User")}}},
		"repository": repoPayload("acme", "microvm", 100), "sender": userPayload("octocat", "User"),
		"installation": installationPayload(),
	}
}

func pushPayload() map[string]any {
	commit := map[string]any{"id": pushedSHA, "message": "bump", "distinct": true,
		"author": map[string]any{"name": "Octo Cat", "email": "octo@example.com", "username": "octocat"},
		"added":  []any{"src/a.py"}, "modified": []any{}, "removed": []any{}}
	return map[string]any{
		"ref": "refs/heads/main", "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246", "after": pushedSHA,
		"created": false, "deleted": false, "forced": false, "commits": []any{commit}, "head_commit": commit,
		"pusher":     map[string]any{"name": "octocat", "email": "octo@example.com"},
		"repository": repoPayload("acme", "microvm", 100), "sender": userPayload("octocat", "User"),
		"installation": installationPayload(),
	}
}

// TestTolerantPayloads: every event pindrift subscribes to, with each
// timestamp form and odd types in the fields it does not read, is answered
// 2xx and enqueues the same jobs as the clean payload.
func TestTolerantPayloads(t *testing.T) {
	t.Parallel()
	events := map[string]struct {
		event   string
		payload func(t *testing.T) map[string]any
	}{
		"release":      {"release", func(*testing.T) map[string]any { return releasePayload() }},
		"push":         {"push", func(*testing.T) map[string]any { return pushPayload() }},
		"pull_request": {"pull_request", func(*testing.T) map[string]any { return pullRequestPayload("opened", "octocat", "microvm") }},
		"check_run on a commit": {"check_run", func(*testing.T) map[string]any {
			return checkRunPayload("rerequested", runner.CheckName, testAppID, "")
		}},
		"check_run on a pull request": {"check_run", func(*testing.T) map[string]any {
			return checkRunPayload("rerequested", runner.CheckName, testAppID, "", checkRunPR(7, 100))
		}},
		"installation created": {"installation", func(*testing.T) map[string]any {
			return installationEventPayload("created", installationRepos("microvm", "images"))
		}},
		"installation unsuspend": {"installation", func(*testing.T) map[string]any {
			return installationEventPayload("unsuspend", installationRepos("microvm"))
		}},
		"installation_repositories": {"installation_repositories", func(*testing.T) map[string]any {
			return installationReposPayload("added", installationRepos("microvm"), []any{})
		}},
		"issue_comment": {"issue_comment", func(*testing.T) map[string]any { return issueCommentPayload(nil) }},
		"real release fixture": {"release", func(t *testing.T) map[string]any {
			return decodeMap(t, fixture(t, "release.edited", nil))
		}},
		"real push fixture": {"push", func(t *testing.T) map[string]any {
			return decodeMap(t, fixture(t, "push", pushToMaster(map[string]any{"id": pushedSHA, "added": []any{"a"}})))
		}},
	}
	for name, ev := range events {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			base := ev.payload(t)
			clean := &fakeQueue{}
			if status, msg := newHook(t, clean).post(t, ev.event, encode(t, base), nil); status != http.StatusOK {
				t.Fatalf("the clean payload answered %d (%q)", status, msg)
			}
			wantVerify, wantPR := clean.jobs()
			if len(wantVerify)+len(wantPR) == 0 {
				t.Fatal("the clean payload enqueued nothing; the test proves nothing")
			}
			for form, ts := range timestampForms {
				t.Run(form, func(t *testing.T) {
					p := copyPayload(t, base)
					roughen(p, ts)
					q := &fakeQueue{}
					h := newHook(t, q)
					if status, msg := h.post(t, ev.event, encode(t, p), nil); status != http.StatusOK {
						t.Fatalf("status %d (%q), want 200; logs:\n%s", status, msg, h.logs)
					}
					verify, pr := q.jobs()
					if d := cmp.Diff(wantVerify, verify); d != "" {
						t.Errorf("verify jobs (-clean +rough):\n%s", d)
					}
					if d := cmp.Diff(wantPR, pr); d != "" {
						t.Errorf("pull request jobs (-clean +rough):\n%s", d)
					}
				})
			}
		})
	}
}

// TestUnusablePayloadsAcknowledged: a signed payload lacking what its
// handler needs is answered 2xx (a redelivery would fail the same way),
// logged at warn, and enqueues nothing; an impossible repository name is
// still refused with 400.
func TestUnusablePayloadsAcknowledged(t *testing.T) {
	t.Parallel()
	edit := func(p map[string]any, f func(map[string]any)) []byte { f(p); return encode(t, p) }
	cases := map[string]struct {
		event      string
		body       []byte
		wantStatus int
		wantLog    string
	}{
		"not JSON": {event: "release", body: []byte(`{"action":`), wantStatus: 202, wantLog: "unusable"},
		"no repository": {event: "release", wantStatus: 202, wantLog: "without a repository",
			body: edit(releasePayload(), func(p map[string]any) { delete(p, "repository") })},
		"null repository": {event: "push", wantStatus: 202, wantLog: "without a repository",
			body: edit(pushPayload(), func(p map[string]any) { p["repository"] = nil })},
		"repository name of another type": {event: "release", wantStatus: 202, wantLog: "unusable",
			body: edit(releasePayload(), func(p map[string]any) { p["repository"].(map[string]any)["name"] = 5 })},
		"installation id as a string": {event: "pull_request", wantStatus: 202, wantLog: "unusable",
			body: edit(pullRequestPayload("opened", "acme", "microvm"), func(p map[string]any) {
				p["installation"] = map[string]any{"id": "4242"}
			})},
		"check run without head SHA": {event: "check_run", wantStatus: 202, wantLog: "head SHA",
			body: edit(checkRunPayload("rerequested", runner.CheckName, testAppID, ""), func(p map[string]any) {
				delete(p["check_run"].(map[string]any), "head_sha")
			})},
		"pull request without head": {event: "pull_request", wantStatus: 202, wantLog: "head SHA",
			body: edit(pullRequestPayload("opened", "acme", "microvm"), func(p map[string]any) {
				delete(p["pull_request"].(map[string]any), "head")
			})},
		"impossible repository name": {event: "release", wantStatus: 400, wantLog: "impossible repository",
			body: edit(releasePayload(), func(p map[string]any) {
				r := p["repository"].(map[string]any)
				r["name"], r["full_name"] = "..", "acme/.."
			})},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q := &fakeQueue{}
			h := newHook(t, q)
			status, msg := h.post(t, tc.event, tc.body, nil)
			if status != tc.wantStatus {
				t.Errorf("status %d (%q), want %d; logs:\n%s", status, msg, tc.wantStatus, h.logs)
			}
			verify, pr := q.jobs()
			if len(verify)+len(pr) != 0 {
				t.Errorf("enqueued %v %v", verify, pr)
			}
			logs := h.logs.String()
			if !strings.Contains(logs, tc.wantLog) {
				t.Errorf("logs do not say %q:\n%s", tc.wantLog, logs)
			}
			if tc.wantStatus == 202 && !strings.Contains(logs, `"level":"warn"`) {
				t.Errorf("not logged at warn:\n%s", logs)
			}
		})
	}
}
