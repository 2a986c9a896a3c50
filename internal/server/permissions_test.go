package server_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift"
	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/server"
	"github.com/pindrift/pindrift/internal/webhook"
)

// alwaysDelivered are the events GitHub sends every App without a
// subscription, and does not let an App subscribe to: "All GitHub Apps
// receive this event by default. You cannot manually subscribe to this
// event" (docs.github.com, webhook events and payloads). They must not be in
// app.yml's default_events, and handlers may take them.
var alwaysDelivered = []string{"installation", "installation_repositories"}

// eventPermissions is the permission GitHub requires before an App can
// subscribe to an event; "" for none.
var eventPermissions = map[string]need{
	"release":                   {"contents", "read"},
	"push":                      {"contents", "read"},
	"pull_request":              {"pull_requests", "read"},
	"check_run":                 {"checks", "read"},
	"issue_comment":             {"issues", "read"},
	"installation":              {},
	"installation_repositories": {},
}

type need struct{ permission, level string }

// endpoint is a REST endpoint and the App permission it needs, from
// GitHub's "Permissions required for GitHub Apps". A request the App makes
// that matches none of them fails the test: a new API call must say here
// what it needs, and app.yml must grant it.
type endpoint struct {
	method, pattern string
	api             bool // under the REST API root, or a web URL
	need
}

var endpoints = []endpoint{
	// Authenticated as the App (JWT): no installation permission.
	{"GET", "/app", true, need{}},
	{"GET", "/app/installations", true, need{}},
	{"GET", "/app/installations/{id}", true, need{}},
	{"POST", "/app/installations/{id}/access_tokens", true, need{}},
	{"GET", "/repos/{owner}/{repo}/installation", true, need{}},
	// An installation token lists its own repositories without a permission.
	{"GET", "/installation/repositories", true, need{}},

	{"GET", "/repos/{owner}/{repo}", true, need{"metadata", "read"}},
	{"GET", "/repos/{owner}/{repo}/collaborators/{user}/permission", true, need{"metadata", "read"}},

	{"GET", "/repos/{owner}/{repo}/contents", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/contents/{path...}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", true, need{"checks", "read"}},
	{"GET", "/repos/{owner}/{repo}/commits/{ref...}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/compare/{basehead...}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/branches", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/branches/{branch...}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/git/ref/{ref...}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/git/refs/{ref...}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/git/matching-refs/{ref...}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/git/commits/{sha}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/git/trees/{sha}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/git/blobs/{sha}", true, need{"contents", "read"}},
	{"POST", "/repos/{owner}/{repo}/git/refs", true, need{"contents", "write"}},
	{"PATCH", "/repos/{owner}/{repo}/git/refs/{ref...}", true, need{"contents", "write"}},
	{"DELETE", "/repos/{owner}/{repo}/git/refs/{ref...}", true, need{"contents", "write"}},
	{"POST", "/repos/{owner}/{repo}/git/commits", true, need{"contents", "write"}},
	{"POST", "/repos/{owner}/{repo}/git/trees", true, need{"contents", "write"}},
	{"POST", "/repos/{owner}/{repo}/git/blobs", true, need{"contents", "write"}},
	{"GET", "/repos/{owner}/{repo}/releases", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/releases/latest", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/releases/tags/{tag}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/releases/assets/{id}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/releases/{id}", true, need{"contents", "read"}},
	{"GET", "/repos/{owner}/{repo}/releases/{id}/assets", true, need{"contents", "read"}},
	{"PUT", "/repos/{owner}/{repo}/pulls/{number}/merge", true, need{"contents", "write"}},

	{"GET", "/repos/{owner}/{repo}/issues", true, need{"issues", "read"}},
	{"GET", "/repos/{owner}/{repo}/issues/comments", true, need{"issues", "read"}},
	{"GET", "/repos/{owner}/{repo}/issues/comments/{id}", true, need{"issues", "read"}},
	{"GET", "/repos/{owner}/{repo}/issues/{number}", true, need{"issues", "read"}},
	{"GET", "/repos/{owner}/{repo}/issues/{number}/comments", true, need{"issues", "read"}},
	{"GET", "/repos/{owner}/{repo}/issues/{number}/labels", true, need{"issues", "read"}},
	{"GET", "/repos/{owner}/{repo}/labels", true, need{"issues", "read"}},
	{"GET", "/repos/{owner}/{repo}/labels/{name}", true, need{"issues", "read"}},
	{"POST", "/repos/{owner}/{repo}/issues", true, need{"issues", "write"}},
	{"PATCH", "/repos/{owner}/{repo}/issues/{number}", true, need{"issues", "write"}},
	{"PUT", "/repos/{owner}/{repo}/issues/{number}/lock", true, need{"issues", "write"}},
	{"DELETE", "/repos/{owner}/{repo}/issues/{number}/lock", true, need{"issues", "write"}},
	{"POST", "/repos/{owner}/{repo}/issues/{number}/comments", true, need{"issues", "write"}},
	{"PATCH", "/repos/{owner}/{repo}/issues/comments/{id}", true, need{"issues", "write"}},
	{"DELETE", "/repos/{owner}/{repo}/issues/comments/{id}", true, need{"issues", "write"}},
	{"POST", "/repos/{owner}/{repo}/labels", true, need{"issues", "write"}},
	{"POST", "/repos/{owner}/{repo}/issues/{number}/labels", true, need{"issues", "write"}},
	{"PUT", "/repos/{owner}/{repo}/issues/{number}/labels", true, need{"issues", "write"}},
	{"DELETE", "/repos/{owner}/{repo}/issues/{number}/labels", true, need{"issues", "write"}},
	{"DELETE", "/repos/{owner}/{repo}/issues/{number}/labels/{name}", true, need{"issues", "write"}},

	{"GET", "/repos/{owner}/{repo}/pulls", true, need{"pull_requests", "read"}},
	{"GET", "/repos/{owner}/{repo}/pulls/{number}", true, need{"pull_requests", "read"}},
	{"GET", "/repos/{owner}/{repo}/pulls/{number}/requested_reviewers", true, need{"pull_requests", "read"}},
	{"GET", "/repos/{owner}/{repo}/pulls/{number}/merge", true, need{"pull_requests", "read"}},
	{"POST", "/repos/{owner}/{repo}/pulls", true, need{"pull_requests", "write"}},
	{"PATCH", "/repos/{owner}/{repo}/pulls/{number}", true, need{"pull_requests", "write"}},
	{"POST", "/repos/{owner}/{repo}/pulls/{number}/requested_reviewers", true, need{"pull_requests", "write"}},

	{"GET", "/repos/{owner}/{repo}/check-runs/{id}", true, need{"checks", "read"}},
	{"GET", "/repos/{owner}/{repo}/check-runs/{id}/annotations", true, need{"checks", "read"}},
	{"POST", "/repos/{owner}/{repo}/check-runs", true, need{"checks", "write"}},
	{"PATCH", "/repos/{owner}/{repo}/check-runs/{id}", true, need{"checks", "write"}},

	{"GET", "/repos/{owner}/{repo}/attestations/{digest}", true, need{"attestations", "read"}},

	// Web URLs. A release asset's download URL is public for a public
	// repository and takes no App token (verify never sends one off the
	// API host); a private repository's assets go through the API's
	// releases/assets/{id}, above.
	{"GET", "/{owner}/{repo}/releases/download/{tag}/{name}", false, need{}},
	{"GET", "/{owner}/{repo}/raw/{sha}/{path...}", false, need{"contents", "read"}},
}

// match finds the endpoint of a recorded request; {name} takes one path
// segment and a final {name...} the rest.
func match(r ghfake.Request) (endpoint, bool) {
	segs := strings.Split(strings.Trim(r.Path, "/"), "/")
	for _, e := range endpoints {
		if e.method != r.Method || e.api != r.API {
			continue
		}
		pat := strings.Split(strings.Trim(e.pattern, "/"), "/")
		ok := len(pat) <= len(segs)
		for i := 0; ok && i < len(pat); i++ {
			switch p := pat[i]; {
			case strings.HasSuffix(p, "...}"):
				ok = i == len(pat)-1
				if ok {
					return e, true
				}
			case strings.HasPrefix(p, "{"):
				ok = segs[i] != ""
			default:
				ok = p == segs[i]
			}
		}
		if ok && len(pat) == len(segs) {
			return e, true
		}
	}
	return endpoint{}, false
}

// TestAppManifestMatchesWhatTheAppDoes checks app.yml against the server:
// the events it subscribes to are the ones its handlers take, and the
// permissions it asks for are the ones its API calls need, no fewer and no
// more. The calls are those of the end-to-end scenarios, run here again.
func TestAppManifestMatchesWhatTheAppDoes(t *testing.T) {
	m, err := pindrift.AppManifest()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("events", func(t *testing.T) {
		handled := map[string]bool{}
		for _, h := range webhook.Handlers(webhook.Config{AppID: 1, AppLogin: "x[bot]", WebhookSecret: "s"}, nil) {
			for _, e := range h.Handles() {
				handled[e] = true
			}
		}
		for e := range handled {
			if !slices.Contains(m.DefaultEvents, e) && !slices.Contains(alwaysDelivered, e) {
				t.Errorf("a handler takes %q but app.yml's default_events does not subscribe to it", e)
			}
		}
		for _, e := range m.DefaultEvents {
			if !handled[e] {
				t.Errorf("app.yml subscribes to %q but no handler takes it: every delivery would be wasted", e)
			}
			if slices.Contains(alwaysDelivered, e) {
				t.Errorf("app.yml lists %q, which GitHub delivers to every App and refuses as a subscription", e)
			}
		}
	})

	t.Run("permissions", func(t *testing.T) {
		reqs := webhookScenarios(t)
		reqs = append(reqs, sweepScenario(t)...)

		needed := map[string]string{} // permission -> highest level used
		why := map[string]string{}
		use := func(n need, what string) {
			if n.permission != "" && pindrift.PermissionLevel(n.level) > pindrift.PermissionLevel(needed[n.permission]) {
				needed[n.permission], why[n.permission] = n.level, what
			}
		}
		for _, e := range m.DefaultEvents {
			n, ok := eventPermissions[e]
			if !ok {
				t.Errorf("event %q: add the permission it needs to eventPermissions", e)
			}
			use(n, "the "+e+" event")
		}
		unknown := map[string]bool{}
		for _, r := range reqs {
			e, ok := match(r)
			if !ok {
				unknown[r.Method+" "+r.Path] = true
				continue
			}
			use(e.need, e.method+" "+e.pattern)
		}
		for _, u := range mapKeys(unknown) {
			t.Errorf("the App called %s, which the endpoints table does not know: add it with the permission it needs", u)
		}
		for _, p := range mapKeys(needed) {
			if pindrift.PermissionLevel(m.DefaultPermissions[p]) < pindrift.PermissionLevel(needed[p]) {
				t.Errorf("%s needs %s: %s, but app.yml grants %q", why[p], p, needed[p], m.DefaultPermissions[p])
			}
		}
		for _, p := range mapKeys(m.DefaultPermissions) {
			if pindrift.PermissionLevel(m.DefaultPermissions[p]) > pindrift.PermissionLevel(needed[p]) {
				t.Errorf("app.yml grants %s: %s, but nothing the App did needed more than %q", p, m.DefaultPermissions[p], needed[p])
			}
		}
		t.Logf("permissions used: %v", needed)
	})
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// webhookScenarios drives every event the App handles through the real
// server and returns every request the fake GitHub received. The fake
// checks the App's JWTs against its key throughout.
func webhookScenarios(t *testing.T) []ghfake.Request {
	a := newApp(t)
	block, _ := pem.Decode([]byte(privateKey(t)))
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	a.gh.SetAppKey(&key.PublicKey)
	step := func(event, delivery string, body []byte) {
		t.Helper()
		if code := a.deliver(event, delivery, body, true); code != http.StatusOK {
			t.Fatalf("%s delivery answered %d", event, code)
		}
		a.settle()
	}

	// A re-uploaded asset: a tracking issue and a fix PR.
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	step("release", "perm-1", a.payload("release.edited.payload.json", nil))
	issues, prs := a.openIssues(), a.openPRs()
	if len(issues) != 1 || len(prs) != 1 {
		t.Fatalf("after the release: %d issues, %d PRs", len(issues), len(prs))
	}
	tracking := issues[0]

	// An invalid configuration is explained on the tracking issue.
	a.gh.SetFile(owner, name, "main", ".github/pindrift.yml", "manifests: []\nverify: {mode: fast}\n", "maintainer")
	before := len(a.gh.Comments(owner, name, tracking.Number))
	step("release", "perm-2", a.payload("release.edited.payload.json", nil))
	if len(a.gh.Comments(owner, name, tracking.Number)) != before+1 {
		t.Errorf("the invalid configuration was not explained on #%d", tracking.Number)
	}
	a.gh.SetFile(owner, name, "main", ".github/pindrift.yml", repoConfig, "maintainer")

	// "/pindrift recheck" from someone with write access.
	a.gh.SetPermission(owner, name, "maintainer", "write")
	step("issue_comment", "perm-3", a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		p["action"] = "created"
		p["issue"] = map[string]any{"number": tracking.Number, "body": tracking.Body, "state": "open",
			"user": map[string]any{"login": a.gh.AppLogin(), "type": "Bot"}}
		p["comment"] = map[string]any{"id": 1, "body": webhook.RecheckCommand, "user": map[string]any{"login": "maintainer", "type": "User"}}
	}))
	if a.gh.Count(http.MethodGet, "/repos/"+owner+"/"+name+"/collaborators/maintainer/permission") == 0 {
		t.Error("the recheck did not check the commenter's permission")
	}

	// A pull request pinning a wrong SHA, then a re-run of its check.
	a.gh.CreateBranch(owner, name, "wrong", "main")
	head := a.gh.SetFile(owner, name, "wrong", manifestPth, manifestSource(a.gh, strings.Repeat("f", 64)), "contributor")
	pr := a.gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Pin", Head: "wrong", Base: "main", Author: "contributor"})
	step("pull_request", "perm-4", a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		p["action"] = "opened"
		p["number"] = pr.Number
		p["pull_request"] = map[string]any{"number": pr.Number, "state": "open",
			"head": map[string]any{"sha": head, "ref": "wrong", "repo": p["repository"]},
			"base": map[string]any{"ref": "main", "repo": p["repository"]}}
	}))
	step("check_run", "perm-5", a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		p["action"] = "rerequested"
		p["check_run"] = map[string]any{"id": 1, "name": runner.CheckName, "head_sha": head,
			"external_id": runner.PRExternalID(pr.Number), "app": map[string]any{"id": 42}, "pull_requests": []any{}}
	}))
	if runs := a.gh.CheckRuns(owner, name, head); len(runs) < 2 {
		t.Errorf("after the re-run, %d check runs on the PR's head; want 2", len(runs))
	}

	// The App installed, then a repository added to it.
	repos := []any{map[string]any{"id": 1, "name": name, "full_name": owner + "/" + name}}
	step("installation", "perm-6", a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		p["action"] = "created"
		p["installation"] = map[string]any{"id": instID, "account": map[string]any{"login": owner}}
		p["repositories"] = repos
	}))
	step("installation_repositories", "perm-7", a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		p["action"] = "added"
		p["installation"] = map[string]any{"id": instID, "account": map[string]any{"login": owner}}
		p["repositories_added"] = repos
	}))

	// The push that pins the live digest closes the issue and the fix PR.
	fixed := a.gh.SetFile(owner, name, "main", manifestPth, manifestSource(a.gh, sum(kernelV2)), "maintainer")
	step("push", "perm-8", a.payload("push.payload.json", func(p map[string]any) {
		p["ref"], p["before"], p["after"] = "refs/heads/main", strings.Repeat("1", 40), fixed
		p["deleted"], p["created"], p["forced"] = false, false, false
		p["commits"] = []any{map[string]any{"id": fixed, "distinct": true, "message": "Pin the new kernel",
			"added": []any{}, "removed": []any{}, "modified": []any{manifestPth}}}
		p["head_commit"] = p["commits"].([]any)[0]
		p["size"], p["distinct_size"] = 1, 1
	}))
	if len(a.openIssues()) != 0 || len(a.openPRs()) != 1 {
		t.Errorf("after the fix: %d open issues, %d open PRs", len(a.openIssues()), len(a.openPRs()))
	}
	return a.gh.Requests()
}

// sweepScenario runs the nightly sweep once (every 3 s here: a tick is three
// jobs now, and settle needs a quiet moment between ticks) and returns
// the requests it made.
func sweepScenario(t *testing.T) []ghfake.Request {
	a := newAppGitHubOnly(t)
	clearEnv(t)
	dbURL, schema := databaseURL(t)
	cfgFile := filepath.Join(t.TempDir(), "pindrift.yml")
	writeConfig(t, cfgFile, a.gh, dbURL, 8080)
	cfg, err := config.LoadServer(cfgFile, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ctx = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel).WithContext(ctx)
	srv, err := server.New(ctx, cfg, server.Options{Jobs: jobs.Options{Schema: schema, SweepSchedule: "@every 3s", SweepSpread: -1,
		PollInterval: 50 * time.Millisecond, LockRetry: 100 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, listen(t), 5*time.Second) }()
	a.srv = srv
	waitFor(t, 30*time.Second, "a sweep to list the installation's repositories", func() bool {
		return a.gh.Count(http.MethodGet, "/installation/repositories") > 0
	})
	a.settle()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if a.gh.Count(http.MethodGet, "/app/installations") == 0 {
		t.Error("the sweep did not list the installations")
	}
	return a.gh.Requests()
}

// clearEnv keeps the developer's GITHUB_* settings out of LoadServer.
func clearEnv(t *testing.T) {
	for _, v := range config.ServerEnv() {
		if strings.HasPrefix(v.Name, "GITHUB_") {
			t.Setenv(v.Name, "")
			os.Unsetenv(v.Name)
		}
	}
}
