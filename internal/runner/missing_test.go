package runner_test

import (
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/verify"
)

// TestMissingAssetsOpenTheIssue: an asset deleted from its release and a
// whole release deleted are reported in the tracking issue as missing,
// with what to do, and no fix PR; once both are back the issue closes.
func TestMissingAssetsOpenTheIssue(t *testing.T) {
	const tag2 = "initrd-2026.06.01.0"
	initrd := []byte(strings.Repeat("initrd ", 3000))
	for _, mode := range []verify.Mode{verify.ModeFull, verify.ModeMetadata} {
		t.Run(string(mode), func(t *testing.T) {
			e := newEnv(t, mode)
			e.gh.AddRelease(owner, name, ghfake.Release{Tag: tag2, Assets: []ghfake.Asset{{Name: "initrd.img", Content: initrd}}})
			e.gh.SetFile(owner, name, "main", file, e.src+`
EXTRA = {
    "initrd": {"url": f"{BASE}/`+tag2+`/initrd.img", "sha256": "`+sum(initrd)+`"},
}
MANIFEST["codex"]["initrd"] = EXTRA["initrd"]
`, "maintainer")
			if out := e.run(); out.Summary.OK != 3 || out.Remedy.Issue != 0 {
				t.Fatalf("before the deletions: %+v", out)
			}

			e.gh.DeleteAsset(owner, name, tag, "rootfs.zst")
			e.gh.DeleteRelease(owner, name, tag2)
			out := e.run()
			if out.Summary.Missing != 2 || out.Remedy.Issue == 0 || out.Remedy.PR != 0 {
				t.Fatalf("after the deletions: summary %+v, issue #%d, PR #%d; want 2 missing, an issue, no PR",
					out.Summary, out.Remedy.Issue, out.Remedy.PR)
			}
			is, _ := e.gh.Issue(owner, name, out.Remedy.Issue)
			missing := strings.SplitN(is.Body, "### Missing: the pinned file is gone", 2)
			if len(missing) != 2 {
				t.Fatalf("the issue has no Missing section:\n%s", is.Body)
			}
			for _, want := range []string{"no longer exist", "upload the file again", "or change the pin",
				"/" + tag + "/rootfs.zst", "/" + tag2 + "/initrd.img"} {
				if !strings.Contains(is.Body, want) {
					t.Errorf("issue body lacks %q:\n%s", want, is.Body)
				}
			}
			if strings.Contains(is.Body, "### Could not be verified") {
				t.Errorf("missing assets are listed as not verified:\n%s", is.Body)
			}

			e.gh.Reset()
			e.run()
			for _, w := range e.gh.Writes() {
				t.Errorf("a repeat run wrote %s %s", w.Method, w.Path)
			}

			e.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "rootfs.zst", Content: rootfs})
			e.gh.AddRelease(owner, name, ghfake.Release{Tag: tag2, Assets: []ghfake.Asset{{Name: "initrd.img", Content: initrd}}})
			out = e.run()
			is, _ = e.gh.Issue(owner, name, is.Number)
			if out.Summary.OK != 3 || is.State != "closed" || len(e.gh.PullRequests(owner, name)) != 0 {
				t.Errorf("after restoring: summary %+v, issue %s, %d PRs", out.Summary, is.State, len(e.gh.PullRequests(owner, name)))
			}
		})
	}
}
