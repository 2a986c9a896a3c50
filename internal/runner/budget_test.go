package runner_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/ghrunner"
	"github.com/pindrift/pindrift/internal/verify"
)

// TestUntrustedPullRequest: a pull request by someone who cannot write to
// the repository downloads within the smaller budget, and not at all for
// an asset GitHub has a digest of; the same pull request by a maintainer
// downloads both.
func TestUntrustedPullRequest(t *testing.T) {
	big := bytes.Repeat([]byte("big "), 16<<10)    // 64 KiB, no digest
	digest := bytes.Repeat([]byte("dig "), 16<<10) // 64 KiB, with digest
	tests := map[string]struct {
		author             string
		wantBudget         bool
		bigGets, digestGet int
	}{
		"outsider":   {author: "outsider", wantBudget: true, bigGets: 1, digestGet: 0},
		"maintainer": {author: "maintainer", bigGets: 1, digestGet: 1},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			gh := ghfake.New(t)
			gh.AddRepo(ghfake.Repo{Owner: owner, Name: name, InstallationID: 7})
			gh.SetPermission(owner, name, "maintainer", "write")
			gh.AddRelease(owner, name, ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{
				{Name: "big.bin", Content: big, NoDigest: true}, {Name: "digest.bin", Content: digest}}})
			gh.SetFile(owner, name, "main", file, "MANIFEST = {}\n", "maintainer")
			r := runner.New(runner.Deps{
				Installation: ghrunner.Installations(func(context.Context, int64) (*github.Client, error) { return gh.Client(), nil },
					ghrunner.Options{Anonymous: gh.Client(), AppLogin: gh.AppLogin(), WebURL: gh.URL(),
						Settings: func(context.Context, *github.Client, string, string, string) (*runner.Settings, error) {
							return &runner.Settings{Manifests: []runner.Manifest{{Path: file}}, Mode: verify.ModeFull}, nil
						}}),
				WebURL:      gh.URL(),
				Verify:      verify.Options{AllowPrivateNetwork: true, Tries: 1, MaxTotalBytes: 1 << 20, BudgetName: "run budget"},
				UntrustedPR: runner.Budget{Bytes: 16 << 10, Name: "budget for outsiders"},
				Now:         func() time.Time { return time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC) },
			})
			dl := gh.URL() + "/acme/images/releases/download/v1/"
			src := "MANIFEST = {\n" +
				`    "big": {"url": "` + dl + `big.bin", "sha256": "` + sum(big) + `"},` + "\n" +
				`    "dig": {"url": "` + dl + `digest.bin", "sha256": "` + sum(digest) + `"},` + "\n}\n"
			gh.CreateBranch(owner, name, "pin", "main")
			head := gh.SetFile(owner, name, "pin", file, src, tc.author)
			pr := gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Pin", Head: "pin", Base: "main", Author: tc.author})
			c, err := r.CheckPR(context.Background(), runner.PRRequest{InstallationID: 7, Owner: owner, Repo: name, Number: pr.Number, HeadSHA: head})
			if err != nil {
				t.Fatal(err)
			}
			out := c.Summary + "\n" + c.Text
			if got := strings.Contains(out, "budget for outsiders"); got != tc.wantBudget {
				t.Errorf("check names the outsiders' budget: %v, want %v:\n%s", got, tc.wantBudget, out)
			}
			if tc.wantBudget && c.Conclusion == "success" {
				t.Errorf("check concluded %s with a pin left unverified", c.Conclusion)
			}
			if !tc.wantBudget && c.Conclusion != "success" {
				t.Errorf("check concluded %s, want success:\n%s", c.Conclusion, out)
			}
			if n := gh.Count("GET", "/acme/images/releases/download/v1/big.bin"); n != tc.bigGets {
				t.Errorf("big.bin downloaded %d times, want %d", n, tc.bigGets)
			}
			if n := gh.Count("GET", "/acme/images/releases/download/v1/digest.bin"); n != tc.digestGet {
				t.Errorf("digest.bin downloaded %d times, want %d", n, tc.digestGet)
			}
		})
	}
}
