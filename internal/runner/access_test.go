package runner_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/ghrunner"
	"github.com/pindrift/pindrift/internal/verify"
)

var (
	secretBin = []byte(strings.Repeat("private bytes ", 3000))
	openBin   = []byte(strings.Repeat("public bytes ", 3000))
	ownBin    = []byte(strings.Repeat("own bytes ", 3000))
)

// visEnv is a fake GitHub that hides non-public repositories from
// requests without their installation's token, as GitHub does. Installation
// 7 covers acme/images (the verified repository, public or not) and the
// private acme/secret; acme/open is public; acme2/other is private in
// another installation.
type visEnv struct {
	t  *testing.T
	gh *ghfake.Server
	r  *runner.Runner
}

func newVisEnv(t *testing.T, mode verify.Mode, home string) *visEnv {
	t.Helper()
	gh := ghfake.New(t)
	gh.EnforceVisibility()
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: name, InstallationID: 7, Visibility: home})
	gh.AddRepo(ghfake.Repo{Owner: "acme", Name: "secret", InstallationID: 7, Private: true})
	gh.AddRepo(ghfake.Repo{Owner: "acme", Name: "open", InstallationID: 7})
	gh.AddRepo(ghfake.Repo{Owner: "acme2", Name: "other", InstallationID: 8, Private: true})
	gh.AddRelease(owner, name, ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{{Name: "own.bin", Content: ownBin}}})
	gh.AddRelease("acme", "secret", ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{{Name: "secret.bin", Content: secretBin}}})
	gh.AddRelease("acme", "open", ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{{Name: "open.bin", Content: openBin}}})
	gh.AddRelease("acme2", "other", ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{{Name: "secret.bin", Content: secretBin}}})
	tok := gh.NewToken(7)
	e := &visEnv{t: t, gh: gh}
	e.r = runner.New(runner.Deps{
		Installation: ghrunner.Installations(func(context.Context, int64) (*github.Client, error) { return gh.ClientWithToken(tok), nil },
			ghrunner.Options{Anonymous: gh.Client(), AppLogin: gh.AppLogin(), WebURL: gh.URL(),
				Settings: func(context.Context, *github.Client, string, string, string) (*runner.Settings, error) {
					return &runner.Settings{Manifests: []runner.Manifest{{Path: file}}, Mode: mode}, nil
				}}),
		WebURL: gh.URL(),
		Verify: verify.Options{AllowPrivateNetwork: true, Tries: 1},
		Cache:  &memCache{m: map[string]verify.CacheEntry{}},
		Now:    func() time.Time { return time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC) },
	})
	return e
}

// pinned is one (url, sha256) of a manifest.
type pinned struct{ url, sha string }

// verify commits a manifest pinning pins and verifies it with a check run.
func (e *visEnv) verify(pins ...pinned) runner.Outcome {
	e.t.Helper()
	var b strings.Builder
	b.WriteString("MANIFEST = {\n")
	for i, p := range pins {
		fmt.Fprintf(&b, "    \"p%d\": {\"url\": %q, \"sha256\": %q},\n", i, p.url, p.sha)
	}
	b.WriteString("}\n")
	sha := e.gh.SetFile(owner, name, "main", file, b.String(), "maintainer")
	out, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
		Trigger: "push", PushSHA: sha})
	if err != nil {
		e.t.Fatalf("VerifyRepo: %v", err)
	}
	if len(out.Report.Outcomes) != len(pins) {
		e.t.Fatalf("%d outcomes for %d pins: %+v", len(out.Report.Outcomes), len(pins), out.Report.Outcomes)
	}
	return out
}

// published is everything the run wrote where the repository's readers
// see it: check runs, issues and their comments.
func (e *visEnv) published(commit string) string {
	var b strings.Builder
	for _, cr := range e.gh.CheckRuns(owner, name, commit) {
		fmt.Fprintf(&b, "%s\n%s\n%s\n", cr.Output.Title, cr.Output.Summary, cr.Output.Text)
		for _, a := range cr.Output.Annotations {
			fmt.Fprintf(&b, "%s %s\n", a.Title, a.Message)
		}
	}
	for _, is := range e.gh.Issues(owner, name) {
		fmt.Fprintf(&b, "%s\n%s\n", is.Title, is.Body)
		for _, c := range e.gh.Comments(owner, name, is.Number) {
			b.WriteString(c.Body + "\n")
		}
	}
	return b.String()
}

type memCache struct {
	mu sync.Mutex
	m  map[string]verify.CacheEntry
}

func (c *memCache) Get(_ context.Context, url string) (verify.CacheEntry, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[url]
	return e, ok, nil
}

func (c *memCache) Put(_ context.Context, url string, e verify.CacheEntry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[url] = e
	return nil
}

var modes = []verify.Mode{verify.ModeFull, verify.ModeMetadata, verify.ModeAuto}

// TestPublicRepositoryLearnsNothingPrivate: a public repository pinning
// assets of private repositories, of its own installation or not, gets the
// same "unreachable" answer whether the asset, its release or its
// repository exists, and no digest of the private bytes anywhere.
func TestPublicRepositoryLearnsNothingPrivate(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			e := newVisEnv(t, mode, "public")
			wrong := strings.Repeat("0", 64)
			probes := map[string]string{
				"acme/secret/releases/download/v1/secret.bin":  "the private asset",
				"acme/secret/releases/download/v1/missing.bin": "no such asset",
				"acme/secret/releases/download/v9/secret.bin":  "no such release",
				"acme/nothing/releases/download/v1/secret.bin": "no such repository",
				"acme2/other/releases/download/v1/secret.bin":  "private, another installation",
			}
			var pins []pinned
			for path := range probes {
				pins = append(pins, pinned{e.gh.URL() + "/" + path, wrong})
			}
			out := e.verify(pins...)
			answers := map[string][]string{}
			for _, o := range out.Report.Outcomes {
				path := strings.TrimPrefix(o.URL, e.gh.URL()+"/")
				if o.Status != verify.StatusUnreachable || o.Got != "" {
					t.Errorf("%s (%s): %s, got %q (%s); want unreachable and no digest", path, probes[path], o.Status, o.Got, o.Err)
				}
				// The URL's own parts are the caller's; the rest must
				// not depend on what exists.
				repo := strings.Join(strings.Split(path, "/")[:2], "/")
				msg := strings.ReplaceAll(strings.ReplaceAll(o.Err, o.URL, "URL"), repo, "REPO")
				answers[fmt.Sprintf("%s %d %s", o.Status, o.HTTPStatus, msg)] = append(answers[fmt.Sprintf("%s %d %s", o.Status, o.HTTPStatus, msg)], probes[path])
			}
			if len(answers) != 1 {
				t.Errorf("the answers tell the probes apart:\n%s", fmt.Sprint(answers))
			}
			if pub := e.published(out.Commit); strings.Contains(pub, sum(secretBin)) {
				t.Errorf("the private asset's digest was published:\n%s", pub)
			} else if pub == "" {
				t.Error("nothing was published: no check run?")
			}
		})
	}
}

// TestPrivateRepositoryReadsWhatItMay: a private repository verifies its
// own private assets, public ones, and those of another private
// repository of its installation, in every mode.
func TestPrivateRepositoryReadsWhatItMay(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			e := newVisEnv(t, mode, "private")
			out := e.verify(
				pinned{e.gh.URL() + "/acme/images/releases/download/v1/own.bin", sum(ownBin)},
				pinned{e.gh.URL() + "/acme/open/releases/download/v1/open.bin", sum(openBin)},
				pinned{e.gh.URL() + "/acme/secret/releases/download/v1/secret.bin", sum(secretBin)},
			)
			for _, o := range out.Report.Outcomes {
				if o.Status != verify.StatusOK {
					t.Errorf("%s: %s (%s), want ok", o.URL, o.Status, o.Err)
				}
			}
			for _, r := range e.gh.Requests() {
				if !r.API && r.Token != "" {
					t.Errorf("a download carried a token: %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

// TestInternalRepository: an internal repository reads internal and
// public releases with the token, private ones without.
func TestInternalRepository(t *testing.T) {
	e := newVisEnv(t, verify.ModeMetadata, "internal")
	e.gh.AddRepo(ghfake.Repo{Owner: "acme", Name: "inner", InstallationID: 7, Visibility: "internal"})
	e.gh.AddRelease("acme", "inner", ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{{Name: "inner.bin", Content: openBin}}})
	out := e.verify(
		pinned{e.gh.URL() + "/acme/inner/releases/download/v1/inner.bin", sum(openBin)},
		pinned{e.gh.URL() + "/acme/secret/releases/download/v1/secret.bin", sum(secretBin)},
	)
	if got := []verify.Status{out.Report.Outcomes[0].Status, out.Report.Outcomes[1].Status}; got[0] != verify.StatusOK || got[1] != verify.StatusUnreachable {
		t.Errorf("internal → internal, internal → private: %v, want ok, unreachable", got)
	}
}

// TestPublicRepositoryIgnoresDrafts: only those who can push see a draft
// release, so a public repository's check run treats a draft's asset as
// absent, and does not show its digest.
func TestPublicRepositoryIgnoresDrafts(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			e := newVisEnv(t, mode, "public")
			e.gh.AddRelease(owner, name, ghfake.Release{Tag: "v2", Draft: true, Assets: []ghfake.Asset{{Name: "draft.bin", Content: secretBin}}})
			out := e.verify(
				pinned{e.gh.URL() + "/acme/images/releases/download/v2/draft.bin", strings.Repeat("0", 64)},
				pinned{e.gh.URL() + "/acme/images/releases/download/v3/draft.bin", strings.Repeat("0", 64)},
			)
			draft, none := out.Report.Outcomes[0], out.Report.Outcomes[1]
			if draft.Status != verify.StatusMissing || draft.Got != "" {
				t.Errorf("draft asset: %s, got %q (%s); want missing", draft.Status, draft.Got, draft.Err)
			}
			if strings.ReplaceAll(draft.Err, "v2", "TAG") != strings.ReplaceAll(none.Err, "v3", "TAG") {
				t.Errorf("a draft and a missing release read differently:\n%s\n%s", draft.Err, none.Err)
			}
			if pub := e.published(out.Commit); strings.Contains(pub, sum(secretBin)) {
				t.Errorf("the draft asset's digest was published:\n%s", pub)
			}
		})
	}
}

// TestSignedURLStaysOutOfReports: a private asset's bytes come from a
// signed URL, a credential while it lasts; a failure there names the
// pinned URL.
func TestSignedURLStaysOutOfReports(t *testing.T) {
	e := newVisEnv(t, verify.ModeAuto, "private")
	e.gh.FailStatus("GET", "/acme/images/releases/download/v1/own.bin", 1, 500)
	pinnedURL := e.gh.URL() + "/acme/images/releases/download/v1/own.bin"
	o := e.verify(pinned{pinnedURL, sum(ownBin)}).Report.Outcomes[0]
	if o.Status != verify.StatusUnreachable || !strings.Contains(o.Err, pinnedURL) {
		t.Errorf("%s (%s), want unreachable naming the pinned URL", o.Status, o.Err)
	}
	if strings.Contains(o.Err, "signature") || strings.Contains(o.FinalURL, "signature") {
		t.Errorf("the signed URL is in the report: %q, final URL %q", o.Err, o.FinalURL)
	}
}
