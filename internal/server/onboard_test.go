package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/repoconfig"
)

// pinsFile pins the kernel and the root file system of acme/images'
// release, as a repository that builds on them would.
func pinsFile(gh *ghfake.Server) string {
	base := gh.URL() + "/acme/images/releases/download/" + tag
	return fmt.Sprintf(`{"images": [
  {"url": %q, "sha256": %q},
  {"url": %q, "sha256": %q}
]}
`, base+"/vmlinux", sum(kernelV1), base+"/rootfs.zst", sum(rootfs))
}

// pinsBzl pins the same kernel from a Bazel macro no file calls, in
// another format than pinsFile.
func pinsBzl(gh *ghfake.Server) string {
	return fmt.Sprintf(`load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_file")

def images():
    http_file(
        name = "kernel",
        urls = [%q],
        sha256 = %q,
    )
`, gh.URL()+"/acme/images/releases/download/"+tag+"/vmlinux", sum(kernelV1))
}

// onboardingPRs are the App's pull requests from the onboarding branch.
func (a *app) onboardingPRs(repo string) (open, all []ghfake.PullRequest) {
	for _, pr := range a.gh.PullRequests(owner, repo) {
		if pr.Head == onboard.Branch && pr.Author == a.gh.AppLogin() {
			all = append(all, pr)
			if pr.State == "open" {
				open = append(open, pr)
			}
		}
	}
	return open, all
}

// onboardComment is "/pindrift onboard" by login on issue number of repo.
func (a *app) onboardComment(repo string, number int, login string, id int) []byte {
	a.t.Helper()
	b, err := json.Marshal(map[string]any{
		"action": "created",
		"issue": map[string]any{"number": number, "body": "Could pindrift watch this?", "state": "open",
			"user": map[string]any{"login": login, "type": "User"}},
		"comment": map[string]any{"id": id, "body": onboard.Command, "user": map[string]any{"login": login, "type": "User"}},
		"repository": map[string]any{"name": repo, "full_name": owner + "/" + repo,
			"owner": map[string]any{"login": owner}, "default_branch": "main"},
		"installation": map[string]any{"id": instID},
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return b
}

// sweeps counts the sweep's listings of the installation's repositories.
func (a *app) sweeps() int { return a.gh.Count(http.MethodGet, "/installation/repositories") }

// TestOnboarding: installing the App on repositories without
// configuration proposes one where discovery found pins, once; merging it
// makes the next release verify exactly the discovered file; closing it
// unmerged stops further proposals until a writer asks again.
func TestOnboarding(t *testing.T) {
	a := newApp(t, "sweep: {schedule: '@every 2s', spread: 0s}\n")
	for _, r := range []string{"widgets", "declined", "empty"} {
		a.gh.AddRepo(ghfake.Repo{Owner: owner, Name: r, InstallationID: instID})
	}
	for _, r := range []string{"widgets", "declined"} {
		// The vendored copy is upstream's to keep: discovery passes over it.
		a.gh.SetFiles(owner, r, "main", map[string]string{"deps/images.json": pinsFile(a.gh), "bazel/images.bzl": pinsBzl(a.gh),
			"vendor/upstream/images.json": pinsFile(a.gh), "README.md": "# " + r + "\n"}, "maintainer")
	}
	a.gh.SetFile(owner, "empty", "main", "README.md", "nothing pinned here\n", "maintainer")

	if code := a.deliver("installation", "i-1", a.installationDelivery("created", instID, owner, name, "widgets", "declined", "empty"), true); code != http.StatusOK {
		t.Fatalf("installation delivery answered %d", code)
	}
	a.settle()

	// One PR on pindrift/configure adding the configuration that lists
	// exactly the discovered files; nothing on the default branch.
	open, _ := a.onboardingPRs("widgets")
	if len(open) != 1 || open[0].Base != "main" {
		t.Fatalf("widgets has %d open onboarding PRs (%+v), want one into main", len(open), open)
	}
	pr := open[0]
	if !strings.Contains(pr.Body, "`deps/images.json` | JSON | 2 |") || !strings.Contains(pr.Body, "`bazel/images.bzl` | Starlark | 1 |") ||
		!strings.Contains(pr.Body, "`vendor/`") {
		t.Errorf("PR body does not list deps/images.json with its 2 pins and bazel/images.bzl with its 1, and say vendor/ was skipped:\n%s", pr.Body)
	}
	proposed, ok := a.gh.FileAt(owner, "widgets", "heads/"+onboard.Branch, repoconfig.Path)
	if !ok {
		t.Fatalf("%s is not on %s", repoconfig.Path, onboard.Branch)
	}
	cfg, err := repoconfig.Parse(repoconfig.Path, []byte(proposed))
	if err != nil {
		t.Fatalf("the proposed configuration is invalid: %v\n%s", err, proposed)
	}
	var paths []string
	for _, m := range cfg.Manifests {
		paths = append(paths, m.Path)
	}
	if want := []string{"bazel/images.bzl", "deps/images.json"}; !slices.Equal(paths, want) {
		t.Errorf("the proposed configuration lists %q, want exactly %q", paths, want)
	}
	if _, ok := a.gh.FileAt(owner, "widgets", "main", repoconfig.Path); ok {
		t.Error("the App wrote the configuration to the default branch")
	}
	if _, all := a.onboardingPRs("empty"); len(all) != 0 {
		t.Errorf("a repository without pins got %d onboarding PRs", len(all))
	}
	for _, is := range a.gh.Issues(owner, "widgets") {
		if !is.IsPull {
			t.Errorf("issue #%d %q opened on a repository not configured yet", is.Number, is.Title)
		}
	}

	// Decline one; a second installation event and a sweep open nothing.
	_, declined := a.onboardingPRs("declined")
	if len(declined) != 1 {
		t.Fatalf("declined has %d onboarding PRs, want 1", len(declined))
	}
	a.gh.CloseIssue(owner, "declined", declined[0].Number, "maintainer", "")
	a.gh.Reset()
	if code := a.deliver("installation", "i-2", a.installationDelivery("new_permissions_accepted", instID, owner, "widgets", "declined", "empty"), true); code != http.StatusOK {
		t.Fatalf("second installation delivery answered %d", code)
	}
	waitFor(t, 30*time.Second, "a sweep", func() bool { return a.sweeps() >= 1 })
	a.settle()
	for _, r := range []string{"widgets", "declined"} {
		if _, all := a.onboardingPRs(r); len(all) != 1 {
			t.Errorf("%s has %d onboarding PRs after another installation event and a sweep, want 1", r, len(all))
		}
	}
	for _, w := range a.gh.Writes() {
		if strings.HasPrefix(w.Path, "/repos/acme/widgets/") || strings.HasPrefix(w.Path, "/repos/acme/declined/") {
			t.Errorf("a repeat run wrote %s %s", w.Method, w.Path)
		}
	}
	if n := a.gh.Count(http.MethodGet, "/repos/acme/declined/git/trees/**") + a.gh.Count(http.MethodGet, "/repos/acme/declined/contents/deps/**"); n != 0 {
		t.Errorf("a declined repository was searched again (%d requests)", n)
	}
	// Nor is one where discovery found nothing, while its head stays.
	if n := a.gh.Count(http.MethodGet, "/repos/acme/empty/git/trees/**") + a.gh.Count(http.MethodGet, "/repos/acme/empty/pulls"); n != 0 {
		t.Errorf("a repository without pins was searched again at the same head (%d requests)", n)
	}

	// "/pindrift onboard": ignored from someone without write access, a
	// new PR for a writer.
	a.gh.SetPermission(owner, "declined", "visitor", "read")
	a.gh.SetPermission(owner, "declined", "maintainer", "write")
	asking := a.gh.AddIssue(owner, "declined", ghfake.Issue{Title: "Try pindrift again?", Author: "visitor"})
	a.deliver("issue_comment", "c-1", a.onboardComment("declined", asking.Number, "visitor", 501), true)
	a.settle()
	if open, _ := a.onboardingPRs("declined"); len(open) != 0 {
		t.Fatalf("a reader's %s opened %d PRs", onboard.Command, len(open))
	}
	a.deliver("issue_comment", "c-2", a.onboardComment("declined", asking.Number, "maintainer", 502), true)
	a.settle()
	reopened, _ := a.onboardingPRs("declined")
	if len(reopened) != 1 {
		t.Fatalf("a writer's %s opened %d PRs, want 1", onboard.Command, len(reopened))
	}
	comments := a.gh.Comments(owner, "declined", asking.Number)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, fmt.Sprintf("#%d", reopened[0].Number)) {
		t.Errorf("answer on #%d: %+v; want one naming #%d", asking.Number, comments, reopened[0].Number)
	}

	// Merge widgets' PR; the kernel is re-uploaded and released: both
	// discovered files are verified and their drift reported, in one issue.
	a.gh.MergePullRequest(owner, "widgets", pr.Number, "maintainer")
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2, Uploader: "octocat"})
	release := a.payload("release.edited.payload.json", func(p map[string]any) {
		repo := p["repository"].(map[string]any)
		repo["name"], repo["full_name"] = "widgets", owner+"/widgets"
	})
	if code := a.deliver("release", "r-1", release, true); code != http.StatusOK {
		t.Fatalf("release delivery answered %d", code)
	}
	a.settle()
	var tracking []ghfake.Issue
	for _, is := range a.gh.Issues(owner, "widgets") {
		if is.State == "open" && !is.IsPull && strings.Contains(is.Body, sum(kernelV2)) {
			tracking = append(tracking, is)
		}
	}
	if len(tracking) != 1 || !strings.Contains(tracking[0].Body, "### In `bazel/images.bzl`") ||
		!strings.Contains(tracking[0].Body, "### In `deps/images.json`") || strings.Contains(tracking[0].Body, "vendor/") {
		t.Fatalf("widgets' tracking issues naming the new kernel: %+v; want one, with a section for each discovered file and nothing on vendor/", tracking)
	}
	if open, all := a.onboardingPRs("widgets"); len(open) != 0 || len(all) != 1 {
		t.Errorf("after the merge widgets has %d open of %d onboarding PRs, want 0 of 1", len(open), len(all))
	}
}

// TestOnboardingOffForTheOwner: onboarding: false in the owner's .github
// repository stops the onboarding PR for every repository of the owner
// without asking GitHub for its PRs; a writer's "/pindrift onboard" still
// gets one.
func TestOnboardingOffForTheOwner(t *testing.T) {
	a := newApp(t)
	a.gh.AddRepo(ghfake.Repo{Owner: owner, Name: "widgets", InstallationID: instID})
	a.gh.SetFile(owner, "widgets", "main", "deps/images.json", pinsFile(a.gh), "maintainer")
	a.gh.AddRepo(ghfake.Repo{Owner: owner, Name: ".github", InstallationID: instID})
	a.gh.SetFile(owner, ".github", "main", "pindrift.yml", "# no onboarding pull requests in acme\nonboarding: false\n", "maintainer")

	if code := a.deliver("installation", "i-1", a.installationDelivery("created", instID, owner, "widgets"), true); code != http.StatusOK {
		t.Fatalf("installation delivery answered %d", code)
	}
	a.settle()
	if _, all := a.onboardingPRs("widgets"); len(all) != 0 {
		t.Fatalf("%d onboarding PRs with onboarding off for the owner", len(all))
	}
	if n := a.gh.Count(http.MethodGet, "/repos/acme/widgets/pulls"); n != 0 {
		t.Errorf("%d pull request listings for a repository whose owner turned onboarding off", n)
	}

	a.gh.SetPermission(owner, "widgets", "maintainer", "admin")
	asking := a.gh.AddIssue(owner, "widgets", ghfake.Issue{Title: "Try pindrift here", Author: "maintainer"})
	a.deliver("issue_comment", "c-1", a.onboardComment("widgets", asking.Number, "maintainer", 601), true)
	a.settle()
	if open, _ := a.onboardingPRs("widgets"); len(open) != 1 {
		t.Errorf("a writer's %s opened %d PRs, want 1", onboard.Command, len(open))
	}
}

// TestOnboardingWhenRepositoriesAreAdded: a repository added to an
// existing installation (installation_repositories added) gets its
// onboarding PR too, and one removed from it gets nothing.
func TestOnboardingWhenRepositoriesAreAdded(t *testing.T) {
	a := newApp(t)
	for _, r := range []string{"gadgets", "gizmos"} {
		a.gh.AddRepo(ghfake.Repo{Owner: owner, Name: r, InstallationID: instID})
		a.gh.SetFile(owner, r, "main", "bazel/images.bzl", pinsBzl(a.gh), "maintainer")
	}
	delivery := func(action, key string, repos ...string) []byte {
		list := []any{}
		for _, r := range repos {
			list = append(list, map[string]any{"id": 7, "name": r, "full_name": owner + "/" + r, "private": false})
		}
		b, err := json.Marshal(map[string]any{
			"action": action, "repository_selection": "selected", key: list,
			"installation": map[string]any{"id": instID, "account": map[string]any{"login": owner, "type": "Organization"}},
			"sender":       map[string]any{"login": "octocat", "type": "User"},
		})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if code := a.deliver("installation_repositories", "ir-1", delivery("added", "repositories_added", "gadgets"), true); code != http.StatusOK {
		t.Fatalf("installation_repositories added answered %d", code)
	}
	if code := a.deliver("installation_repositories", "ir-2", delivery("removed", "repositories_removed", "gizmos"), true); code != http.StatusOK {
		t.Fatalf("installation_repositories removed answered %d", code)
	}
	a.settle()
	open, _ := a.onboardingPRs("gadgets")
	if len(open) != 1 || !strings.Contains(open[0].Body, "`bazel/images.bzl` | Starlark | 1 |") {
		t.Fatalf("gadgets' onboarding PRs %+v; want one listing bazel/images.bzl with its pin", open)
	}
	if _, all := a.onboardingPRs("gizmos"); len(all) != 0 {
		t.Errorf("a removed repository got %d onboarding PRs", len(all))
	}
}
