package runner_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/runnertest"
	"github.com/pindrift/pindrift/internal/verify"
)

// These tests configure several manifests, in two formats, on the
// in-memory fake; the end-to-end version is in internal/server.

const (
	jsonFile = "pins/b.json"
	tomlFile = "pins/c.toml"
)

// multiEnv is fakeEnv with a counter of the asset's downloads.
type multiEnv struct {
	*fakeEnv
	downloads *atomic.Int32
}

func newMultiEnv(t *testing.T) *multiEnv {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/fw.bin" {
			http.NotFound(w, r)
			return
		}
		n.Add(1)
		w.Write(fakeAsset)
	}))
	t.Cleanup(srv.Close)
	e := &fakeEnv{url: srv.URL + "/fw.bin"}
	e.gh = runnertest.New(owner, name, fakeHead, nil)
	e.r = runner.New(runner.Deps{
		Installation: e.gh.Installation,
		Verify:       verify.Options{AllowPrivateNetwork: true, Tries: 1, MaxTotalBytes: 1 << 20, BudgetName: "run budget"},
		UntrustedPR:  runner.Budget{Bytes: 16 << 10, Name: "budget for outsiders"},
		Now:          func() time.Time { return time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC) },
	})
	return &multiEnv{fakeEnv: e, downloads: &n}
}

// jsonManifest pins the asset as sha, on line 3.
func (e *multiEnv) jsonManifest(sha string) string {
	return "{\n  \"fw\": {\"url\": \"" + e.url + "\",\n         \"sha256\": \"" + sha + "\"}\n}\n"
}

// settings lists the three manifests as .github/pindrift.yml would, on
// lines 2, 3 and 4.
func settings(ownerDefault bool) *runner.Settings {
	return &runner.Settings{Mode: verify.ModeFull, OwnerDefault: ownerDefault, Manifests: []runner.Manifest{
		{Path: file, Line: 2, Column: 11},
		{Path: jsonFile, Line: 3, Column: 11},
		{Path: tomlFile, Line: 4, Column: 11, Options: pin.Options{Format: pin.TOML}},
	}}
}

func TestSeveralManifestsOnAPush(t *testing.T) {
	t.Parallel()
	good, bad := sum(fakeAsset), strings.Repeat("0", 64)
	tests := map[string]struct {
		files        func(e *multiEnv) map[string]string
		ownerDefault bool
		want         checkSeen
		// wantSummary is in the check's summary.
		wantSummary string
	}{
		"all match, the asset downloaded once for three files": {
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), jsonFile: e.jsonManifest(good), tomlFile: tomlManifest(e.url, good)}
			},
			want:        checkSeen{Conclusion: "success", Title: "All 1 pinned asset match their SHA-256"},
			wantSummary: "`src/images/published.py`, `pins/b.json`, `pins/c.toml`: 1 ok, 0 drift",
		},
		"drift in two files": {
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(bad), jsonFile: e.jsonManifest(bad), tomlFile: tomlManifest(e.url, good)}
			},
			want: checkSeen{Conclusion: "failure", Title: "1 pinned asset no longer matches the live bytes",
				Annotations: []string{file + ":3", jsonFile + ":3"}},
		},
		"one manifest absent, another drifted": {
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(bad), tomlFile: tomlManifest(e.url, good)}
			},
			want: checkSeen{Conclusion: "failure", Title: "1 pinned asset no longer matches the live bytes; 1 manifest could not be read",
				Annotations: []string{repoconfig.Path + ":3", file + ":3"}},
			wantSummary: "1 of 3 manifests could not be read; the others were verified.",
		},
		"one manifest absent, the others fine": {
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), tomlFile: tomlManifest(e.url, good)}
			},
			want:        checkSeen{Conclusion: "failure", Title: "1 of 3 manifests could not be read", Annotations: []string{repoconfig.Path + ":3"}},
			wantSummary: "1 ok",
		},
		"absent from the owner's default configuration": {
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), tomlFile: tomlManifest(e.url, good)}
			},
			ownerDefault: true,
			want:         checkSeen{Conclusion: "failure", Title: "1 of 3 manifests could not be read"},
		},
		"one manifest does not parse": {
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), jsonFile: "{\n  \"fw\": [1,\n}\n", tomlFile: tomlManifest(e.url, good)}
			},
			want: checkSeen{Conclusion: "failure", Title: "1 of 3 manifests could not be read", Annotations: []string{jsonFile + ":3"}},
		},
		"none can be read": {
			files: func(e *multiEnv) map[string]string { return map[string]string{} },
			want: checkSeen{Conclusion: "failure", Title: "3 of 3 manifests could not be read",
				Annotations: []string{repoconfig.Path + ":2", repoconfig.Path + ":3", repoconfig.Path + ":4"}},
			wantSummary: "3 of 3 manifests could not be read:\n\n```\nmanifests[0].path: src/images/published.py does not exist at 1111111\n",
		},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			e := newMultiEnv(t)
			e.gh.SetCommit(fakeHead, tc.files(e))
			e.gh.SetSettings(settings(tc.ownerDefault), nil)
			_, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
				Trigger: "push", PushSHA: fakeHead, Paths: []string{repoconfig.Path}})
			if err != nil {
				t.Fatalf("VerifyRepo: %v", err)
			}
			runs := e.gh.CheckRuns(fakeHead)
			if diff := cmp.Diff([]checkSeen{tc.want}, seen(runs)); diff != "" {
				t.Fatalf("check runs on the pushed commit (-want +got):\n%s", diff)
			}
			if !strings.Contains(runs[0].Output.Summary, tc.wantSummary) {
				t.Errorf("summary lacks %q:\n%s", tc.wantSummary, runs[0].Output.Summary)
			}
			if n := e.downloads.Load(); n > 1 {
				t.Errorf("the asset was downloaded %d times, want once however many files pin it", n)
			}
		})
	}
}

// TestAbsentManifestIsNamed: the check run and the error the tracking
// issue shows say which entry of the configuration names a file that is
// not there, and at which commit.
func TestAbsentManifestIsNamed(t *testing.T) {
	t.Parallel()
	e := newMultiEnv(t)
	e.gh.SetCommit(fakeHead, map[string]string{file: e.manifest(sum(fakeAsset)), tomlFile: tomlManifest(e.url, sum(fakeAsset))})
	e.gh.SetSettings(settings(false), nil)
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
		Trigger: "push", PushSHA: fakeHead, Paths: []string{repoconfig.Path}}); err != nil {
		t.Fatal(err)
	}
	runs := e.gh.CheckRuns(fakeHead)
	if len(runs) != 1 {
		t.Fatalf("%d check runs", len(runs))
	}
	const want = "manifests[1].path: pins/b.json does not exist at 1111111"
	if a := runs[0].Output.Annotations; len(a) != 1 || a[0].Message != want {
		t.Errorf("annotations %+v, want one saying %q", a, want)
	}
	if !strings.Contains(runs[0].Output.Text, want) {
		t.Errorf("text lacks %q:\n%s", want, runs[0].Output.Text)
	}
}

// TestManifestsOverTheTotalLimit: manifests are read up to
// MaxTotalManifestBytes together; the one that would go over is reported
// as unreadable, saying why, and the ones before it are verified.
func TestManifestsOverTheTotalLimit(t *testing.T) {
	t.Parallel()
	e := newMultiEnv(t)
	// Each file is just under the per-file limit; nine are over the total.
	filler := strings.Repeat("x", pin.DefaultMaxFileBytes-200)
	s := &runner.Settings{Mode: verify.ModeFull}
	files := map[string]string{}
	n := repoconfig.MaxTotalManifestBytes/len(filler) + 1
	for i := range n {
		p := "pins/" + string(rune('a'+i)) + ".json"
		files[p] = "{\"fw\": {\"url\": \"" + e.url + "\", \"sha256\": \"" + sum(fakeAsset) + "\"}, \"pad\": \"" + filler + "\"}\n"
		s.Manifests = append(s.Manifests, runner.Manifest{Path: p, Line: i + 2, Column: 11})
	}
	e.gh.SetCommit(fakeHead, files)
	e.gh.SetSettings(s, nil)
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
		Trigger: "push", PushSHA: fakeHead, Paths: []string{repoconfig.Path}}); err != nil {
		t.Fatal(err)
	}
	runs := e.gh.CheckRuns(fakeHead)
	if len(runs) != 1 {
		t.Fatalf("%d check runs", len(runs))
	}
	want := checkSeen{Conclusion: "failure", Title: "1 of 9 manifests could not be read", Annotations: []string{repoconfig.Path + ":10"}}
	if diff := cmp.Diff([]checkSeen{want}, seen(runs)); diff != "" {
		t.Errorf("check run (-want +got):\n%s", diff)
	}
	if a := runs[0].Output.Annotations; len(a) == 1 && !strings.Contains(a[0].Message, "16777216 bytes together") {
		t.Errorf("the annotation does not name the total limit: %q", a[0].Message)
	}
}

// TestPullRequestChecksTheManifestsItChanges: a pull request's check
// verifies the configured manifests it changes and no other; one it
// deletes fails the check, annotated at its entry in the configuration.
func TestPullRequestChecksTheManifestsItChanges(t *testing.T) {
	t.Parallel()
	good, bad := sum(fakeAsset), strings.Repeat("0", 64)
	tests := map[string]struct {
		changed []runner.ChangedFile
		files   func(e *multiEnv) map[string]string
		want    []checkSeen
	}{
		"changes one manifest; another's drift is not its business": {
			changed: []runner.ChangedFile{{Name: jsonFile}},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(bad), jsonFile: e.jsonManifest(good), tomlFile: tomlManifest(e.url, good)}
			},
			want: []checkSeen{{Conclusion: "success", Title: "All 1 pinned asset match their SHA-256", ExternalID: "pr:5"}},
		},
		"changes two manifests, drift in one": {
			changed: []runner.ChangedFile{{Name: jsonFile}, {Name: tomlFile}, {Name: "README.md"}},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), jsonFile: e.jsonManifest(good), tomlFile: tomlManifest(e.url, bad)}
			},
			want: []checkSeen{{Conclusion: "failure", Title: "1 pinned asset no longer matches the live bytes", ExternalID: "pr:5",
				Annotations: []string{tomlFile + ":3"}}},
		},
		"deletes a manifest": {
			changed: []runner.ChangedFile{{Name: jsonFile}},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), tomlFile: tomlManifest(e.url, good)}
			},
			want: []checkSeen{{Conclusion: "failure", Title: "pindrift could not read its input", ExternalID: "pr:5",
				Annotations: []string{repoconfig.Path + ":3"}}},
		},
		"changes no manifest": {
			changed: []runner.ChangedFile{{Name: "README.md"}},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(bad), jsonFile: e.jsonManifest(bad), tomlFile: tomlManifest(e.url, bad)}
			},
		},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			e := newMultiEnv(t)
			e.gh.SetCommit(fakePRHead, tc.files(e))
			e.gh.SetSettings(settings(false), nil)
			e.gh.AddPullRequest(5, "maint", fakeHead, fakePRHead, tc.changed)
			e.gh.SetPermission("maint", "write")
			if _, err := e.r.CheckPR(context.Background(), runner.PRRequest{InstallationID: 7, Owner: owner, Repo: name, Number: 5,
				HeadSHA: fakePRHead}); err != nil {
				t.Fatalf("CheckPR: %v", err)
			}
			if diff := cmp.Diff(tc.want, seen(e.gh.CheckRuns(fakePRHead))); diff != "" {
				t.Errorf("check runs on the PR head (-want +got):\n%s", diff)
			}
		})
	}
}

// tomlManifest pins url as sha, on line 3.
func tomlManifest(url, sha string) string {
	return "[fw]\nurl = \"" + url + "\"\nsha256 = \"" + sha + "\"\n"
}

// TestPullRequestChangingTheConfiguration: a pull request that changes
// .github/pindrift.yml has its own configuration checked. A problem in it
// fails the check where it is; a manifest it adds is verified, and one it
// adds that does not exist fails at its entry; a pull request that
// configures the repository, or repairs its configuration, is checked
// with it. It cannot stop the check of a manifest the default branch's
// configuration lists, but may remove a manifest with its entry.
func TestPullRequestChangingTheConfiguration(t *testing.T) {
	t.Parallel()
	good, bad := sum(fakeAsset), strings.Repeat("0", 64)
	base := &runner.Settings{Mode: verify.ModeFull, Manifests: []runner.Manifest{{Path: file, Line: 2}, {Path: jsonFile, Line: 3}}}
	// addsTOML lists a TOML manifest too, on line 4.
	addsTOML := &runner.Settings{Mode: verify.ModeFull, Manifests: []runner.Manifest{{Path: file, Line: 2}, {Path: jsonFile, Line: 3},
		{Path: tomlFile, Line: 4, Options: pin.Options{Format: pin.TOML}}}}
	// dropsJSON no longer lists the JSON manifest.
	dropsJSON := &runner.Settings{Mode: verify.ModeFull, Manifests: []runner.Manifest{{Path: file, Line: 2}}}
	config := runner.ChangedFile{Name: repoconfig.Path}
	tests := map[string]struct {
		base, head       *runner.Settings
		baseErr, headErr error
		changed          []runner.ChangedFile
		files            func(e *multiEnv) map[string]string
		want             []checkSeen
	}{
		"breaks the configuration": {base: base, headErr: invalidConfig, changed: []runner.ChangedFile{config},
			want: []checkSeen{{Conclusion: "failure", Title: "pindrift's configuration is invalid", ExternalID: "pr:5",
				Annotations: []string{repoconfig.Path + ":3"}}}},
		"adds a manifest with drift": {base: base, head: addsTOML, changed: []runner.ChangedFile{config, {Name: tomlFile}},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(bad), jsonFile: e.jsonManifest(good), tomlFile: tomlManifest(e.url, bad)}
			},
			want: []checkSeen{{Conclusion: "failure", Title: "1 pinned asset no longer matches the live bytes", ExternalID: "pr:5",
				Annotations: []string{tomlFile + ":3"}}}},
		"adds a manifest that does not exist": {base: base, head: addsTOML, changed: []runner.ChangedFile{config},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), jsonFile: e.jsonManifest(good)}
			},
			want: []checkSeen{{Conclusion: "failure", Title: "pindrift could not read its input", ExternalID: "pr:5",
				Annotations: []string{repoconfig.Path + ":4"}}}},
		"configures the repository": {baseErr: repoconfig.ErrNotConfigured, head: base, changed: []runner.ChangedFile{config, {Name: file}},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), jsonFile: e.jsonManifest(good)}
			},
			want: []checkSeen{{Conclusion: "success", Title: "All 1 pinned asset match their SHA-256", ExternalID: "pr:5"}}},
		"repairs the configuration": {baseErr: invalidConfig, head: base, changed: []runner.ChangedFile{config},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), jsonFile: e.jsonManifest(bad)}
			},
			want: []checkSeen{{Conclusion: "failure", Title: "1 pinned asset no longer matches the live bytes", ExternalID: "pr:5",
				Annotations: []string{jsonFile + ":3"}}}},
		"drops a manifest's entry but changes the file": {base: base, head: dropsJSON, changed: []runner.ChangedFile{config, {Name: jsonFile}},
			files: func(e *multiEnv) map[string]string {
				return map[string]string{file: e.manifest(good), jsonFile: e.jsonManifest(bad)}
			},
			want: []checkSeen{{Conclusion: "failure", Title: "1 pinned asset no longer matches the live bytes", ExternalID: "pr:5",
				Annotations: []string{jsonFile + ":3"}}}},
		"removes a manifest with its entry": {base: base, head: dropsJSON, changed: []runner.ChangedFile{config, {Name: jsonFile}},
			files: func(e *multiEnv) map[string]string { return map[string]string{file: e.manifest(good)} }},
		"deletes a manifest still listed": {base: base, head: base, changed: []runner.ChangedFile{config, {Name: jsonFile}},
			files: func(e *multiEnv) map[string]string { return map[string]string{file: e.manifest(good)} },
			want: []checkSeen{{Conclusion: "failure", Title: "pindrift could not read its input", ExternalID: "pr:5",
				Annotations: []string{repoconfig.Path + ":3"}}}},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			e := newMultiEnv(t)
			if tc.files != nil {
				e.gh.SetCommit(fakePRHead, tc.files(e))
			}
			e.gh.SetSettingsAt(fakeHead, tc.base, tc.baseErr)
			e.gh.SetSettingsAt(fakePRHead, tc.head, tc.headErr)
			e.gh.AddPullRequest(5, "maint", fakeHead, fakePRHead, tc.changed)
			e.gh.SetPermission("maint", "write")
			if _, err := e.r.CheckPR(context.Background(), runner.PRRequest{InstallationID: 7, Owner: owner, Repo: name, Number: 5,
				HeadSHA: fakePRHead}); err != nil {
				t.Fatalf("CheckPR: %v", err)
			}
			if diff := cmp.Diff(tc.want, seen(e.gh.CheckRuns(fakePRHead))); diff != "" {
				t.Errorf("check runs on the PR head (-want +got):\n%s", diff)
			}
		})
	}
}
