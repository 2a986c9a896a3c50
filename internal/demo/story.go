package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// The steps of the story, in order. Each checks that the App did what it
// is meant to, so the demo doubles as an end-to-end smoke test.

func (wd *world) intro() {
	n, st := wd.n, wd.n.st
	n.printf("%s\n", st.bold("pindrift demo: the GitHub App end to end, on loopback, nothing real touched"))
	n.say("%-14s %s  %s", "GitHub (fake)", wd.gh.APIURL(), st.dim(fmt.Sprintf("%s/%s, the App installed (installation %d)", owner, repoName, installationID)))
	n.say("%-14s %s  %s", "the App", wd.app.url+"/api/github/hook", st.dim("bot serve's server, SQLite in "+wd.dir))
}

// published: the release goes out and the App finds every pin matching.
func (wd *world) published(ctx context.Context) error {
	n, st := wd.n, wd.n.st
	n.heading("The release is published and every pin matches")
	src, _ := wd.gh.FileAt(owner, repoName, defaultBranch, manifestPath)
	res, err := extract.File(ctx, manifestPath, []byte(src), pin.Options{})
	if err != nil {
		return fmt.Errorf("the demo's own manifest: %w", err)
	}
	rel, _ := wd.gh.Release(owner, repoName, releaseTag)
	n.say("%s pins %d assets of release %s (%d pins, read without running Python):",
		st.code(manifestPath), len(rel.Assets), releaseTag, len(res.Pins))
	for _, a := range rel.Assets {
		n.say("  %-30s sha256 %s  %s", a.Name, shortsha.Of(strings.TrimPrefix(a.Digest, "sha256:"), shortsha.Long)+"…", st.dim(fmt.Sprintf("%d KiB", a.Size>>10)))
	}
	ev, err := releaseEvent(wd.gh, "published", releaseBot)
	if err != nil {
		return err
	}
	mark := len(wd.gh.Requests())
	if err := wd.deliver(ctx, "release", "published", ev); err != nil {
		return err
	}
	if is, prs := wd.gh.Issues(owner, repoName), wd.gh.PullRequests(owner, repoName); len(is)+len(prs) != 0 {
		return fmt.Errorf("with every pin matching, the App opened %d issues and %d pull requests; want none", len(is), len(prs))
	}
	n.ok("The App downloaded %d assets and hashed them: every pin matches. No issue, no pull request.", wd.downloads(mark))
	return nil
}

// reuploaded: a forced re-run of the release workflow replaces one asset.
func (wd *world) reuploaded(ctx context.Context) error {
	n, st := wd.n, wd.n.st
	n.heading("A release asset is re-uploaded with different bytes")
	n.say("A forced re-run of the release workflow rebuilds %s and uploads it again (as %s):", st.code(drifting.name), releaseBot)
	wd.gh.UploadAsset(owner, repoName, releaseTag, ghfake.Asset{Name: drifting.name, Content: drifting.rebuilt, Uploader: releaseBot})
	n.say("  pinned  %s", st.red(sha(drifting.original)))
	n.say("  now     %s", st.green(sha(drifting.rebuilt)))
	ev, err := releaseEvent(wd.gh, "edited", releaseBot)
	if err != nil {
		return err
	}
	if err := wd.deliver(ctx, "release", "edited", ev); err != nil {
		return err
	}
	issues, prs := openIssues(wd.gh), openPRs(wd.gh)
	if len(issues) != 1 || len(prs) != 1 {
		return fmt.Errorf("after the re-upload the App left %d open issues and %d open pull requests; want one of each", len(issues), len(prs))
	}
	wd.issue, wd.pr = issues[0].Number, prs[0].Number
	n.ok("The App found the drift: it opened tracking issue #%d and fix pull request #%d.", wd.issue, wd.pr)
	return nil
}

// trackingIssue shows the issue a maintainer is notified of.
func (wd *world) trackingIssue(context.Context) error {
	wd.n.heading("The tracking issue")
	is, ok := wd.gh.Issue(owner, repoName, wd.issue)
	if !ok {
		return fmt.Errorf("issue #%d is gone", wd.issue)
	}
	if !strings.Contains(is.Body, sha(drifting.rebuilt)) || !strings.Contains(is.Body, sha(drifting.original)) {
		return fmt.Errorf("issue #%d does not name both the pinned and the live digest of %s", wd.issue, drifting.name)
	}
	wd.n.issue(is)
	for _, c := range wd.gh.Comments(owner, repoName, wd.issue) {
		wd.n.comment(c)
	}
	return wd.save(fmt.Sprintf("issue-%d.md", is.Number), is.Body)
}

// fixPR shows the pull request and its one-line change.
func (wd *world) fixPR(context.Context) error {
	n := wd.n
	n.heading("The fix pull request, for a human to review")
	pr, ok := wd.gh.PullRequest(owner, repoName, wd.pr)
	if !ok {
		return fmt.Errorf("pull request #%d is gone", wd.pr)
	}
	if pr.Head != fixpr.DefaultBranch {
		return fmt.Errorf("pull request #%d comes from %s, not the App's branch %s", pr.Number, pr.Head, fixpr.DefaultBranch)
	}
	n.pull(pr)
	before, after, err := wd.prFiles(pr)
	if err != nil {
		return err
	}
	n.printf("\n     %s\n", n.st.dim("Files changed (1 commit, signed by GitHub for the App):"))
	n.diff(manifestPath, before, after)
	if got, want := changedLines(unifiedDiff(manifestPath, before, after)), 2; got != want {
		return fmt.Errorf("the fix PR changes %d lines of %s; want exactly the drifted SHA line", got/2, manifestPath)
	}
	if after != strings.Replace(before, sha(drifting.original), sha(drifting.rebuilt), 1) {
		return fmt.Errorf("the fix PR does not rewrite %s's pinned SHA to the live one", drifting.name)
	}
	return wd.save(fmt.Sprintf("pr-%d.md", pr.Number), pr.Body)
}

// checkRun: GitHub tells the App about the pull request it opened, and the
// App checks it like any other.
func (wd *world) checkRun(ctx context.Context) error {
	n := wd.n
	n.heading("GitHub announces the pull request; the App checks it")
	pr, _ := wd.gh.PullRequest(owner, repoName, wd.pr)
	if err := wd.deliver(ctx, "pull_request", "opened", pullRequestEvent(wd.gh, pr)); err != nil {
		return err
	}
	runs := wd.gh.CheckRuns(owner, repoName, pr.HeadSHA)
	if len(runs) != 1 || runs[0].Name != runner.CheckName {
		return fmt.Errorf("pull request #%d has %d check runs; want one named %s", pr.Number, len(runs), runner.CheckName)
	}
	n.check(runs[0])
	if runs[0].Conclusion != "success" {
		return fmt.Errorf("the check on the fix PR concluded %q; want success", runs[0].Conclusion)
	}
	return nil
}

// restored: the original bytes go back up, and both close by themselves.
func (wd *world) restored(ctx context.Context) error {
	n, st := wd.n, wd.n.st
	n.heading("The original bytes are uploaded again: the issue and the pull request close")
	issueComments := len(wd.gh.Comments(owner, repoName, wd.issue))
	prComments := len(wd.gh.Comments(owner, repoName, wd.pr))
	wd.gh.UploadAsset(owner, repoName, releaseTag, ghfake.Asset{Name: drifting.name, Content: drifting.original, Uploader: "maintainer"})
	n.say("A maintainer uploads the original %s again: sha256 %s", st.code(drifting.name), st.green(sha(drifting.original)))
	ev, err := releaseEvent(wd.gh, "edited", "maintainer")
	if err != nil {
		return err
	}
	if err := wd.deliver(ctx, "release", "edited", ev); err != nil {
		return err
	}

	is, _ := wd.gh.Issue(owner, repoName, wd.issue)
	pr, _ := wd.gh.PullRequest(owner, repoName, wd.pr)
	n.printf("\n   %s %s  %s\n", st.bold(fmt.Sprintf("#%d", is.Number)), st.state(is.State), st.bold(inline(is.Title, st)))
	n.printf("     %s\n", st.dim(fmt.Sprintf("closed as %s by %s", is.StateReason, is.ClosedBy)))
	for _, c := range wd.gh.Comments(owner, repoName, wd.issue)[issueComments:] {
		n.comment(c)
	}
	n.printf("\n   %s %s  %s\n", st.bold(fmt.Sprintf("#%d", pr.Number)), st.state(pr.State), st.bold(inline(pr.Title, st)))
	_, branchLeft := wd.gh.Ref(owner, repoName, "refs/heads/"+pr.Head)
	fate := "deleted"
	if branchLeft {
		fate = "kept"
	}
	n.printf("     %s\n", st.dim(fmt.Sprintf("closed without merging; branch %s %s", pr.Head, fate)))
	for _, c := range wd.gh.Comments(owner, repoName, wd.pr)[prComments:] {
		n.comment(c)
	}
	switch {
	case is.State != "closed" || is.StateReason != "completed":
		return fmt.Errorf("with the original bytes back, issue #%d is %s (%s); want closed as completed", is.Number, is.State, is.StateReason)
	case pr.State != "closed":
		return fmt.Errorf("with the original bytes back, pull request #%d is still open", pr.Number)
	case branchLeft:
		return fmt.Errorf("the App closed pull request #%d but left its branch %s", pr.Number, pr.Head)
	}
	return nil
}

func (wd *world) outro() {
	n, st := wd.n, wd.n.st
	reqs := wd.gh.Requests()
	writes := len(wd.gh.Writes())
	n.printf("\n%s in %.1f s: the App answered 4 webhooks with %d requests to GitHub (%d of them writes), none the fake did not know.\n",
		st.bold("Done"), time.Since(wd.started).Seconds(), len(reqs), writes)
	if wd.opts.Keep {
		n.printf("Kept %s: pindrift.yml (the App's configuration), pindrift.db (its job queue), issue-%d.md and pr-%d.md (their Markdown).\n",
			wd.dir, wd.issue, wd.pr)
	}
}

// deliver sends a webhook, waits for the App's jobs and says so.
func (wd *world) deliver(ctx context.Context, event, action string, payload any) error {
	began := time.Now()
	if err := wd.app.deliver(ctx, event, payload); err != nil {
		return err
	}
	if err := wd.app.settled(ctx, wd.opts.Timeout); err != nil {
		return fmt.Errorf("after the %s %s webhook: %w", event, action, err)
	}
	wd.n.sent(event, action, time.Since(began).Round(time.Millisecond).String())
	return nil
}

// downloads counts the asset downloads since request number mark.
func (wd *world) downloads(mark int) int {
	count := 0
	for _, r := range wd.gh.Requests()[mark:] {
		if !r.API && strings.Contains(r.Path, "/releases/download/") {
			count++
		}
	}
	return count
}

// prFiles is the manifest before (the PR commit's parent) and after.
func (wd *world) prFiles(pr ghfake.PullRequest) (string, string, error) {
	head, ok := wd.gh.Commit(owner, repoName, pr.HeadSHA)
	if !ok || len(head.Parents) != 1 {
		return "", "", fmt.Errorf("pull request #%d's head %s is not one commit on a parent", pr.Number, shortsha.Of(pr.HeadSHA, shortsha.Long))
	}
	before, ok1 := wd.gh.FileAt(owner, repoName, head.Parents[0], manifestPath)
	after, ok2 := wd.gh.FileAt(owner, repoName, head.SHA, manifestPath)
	if !ok1 || !ok2 {
		return "", "", fmt.Errorf("pull request #%d: %s is missing before or after its commit", pr.Number, manifestPath)
	}
	return before, after, nil
}

// changedLines counts the removed and added lines of a unified diff.
func changedLines(diff string) int {
	count := 0
	for _, l := range strings.Split(diff, "\n") {
		if (strings.HasPrefix(l, "+") && !strings.HasPrefix(l, "+++")) || (strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "---")) {
			count++
		}
	}
	return count
}

// save writes a file into the demo's folder, for --keep.
func (wd *world) save(name, content string) error {
	return os.WriteFile(filepath.Join(wd.dir, name), []byte(content), 0o600)
}

func openIssues(gh *ghfake.Server) []ghfake.Issue {
	var out []ghfake.Issue
	for _, is := range gh.Issues(owner, repoName) {
		if is.State == "open" && !is.IsPull {
			out = append(out, is)
		}
	}
	return out
}

func openPRs(gh *ghfake.Server) []ghfake.PullRequest {
	var out []ghfake.PullRequest
	for _, pr := range gh.PullRequests(owner, repoName) {
		if pr.State == "open" {
			out = append(out, pr)
		}
	}
	return out
}
