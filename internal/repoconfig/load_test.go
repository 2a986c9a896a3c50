package repoconfig

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/ghfake"
)

const (
	ownConfig   = "manifests:\n  - path: src/pins.py\n"
	otherConfig = "manifests:\n  - path: other/pins.py\nfix_pr: {enabled: false}\n"
	ownerConfig = "manifests:\n  - path: shared/pins.py\n"
	badConfig   = "manifests:\n  - path: ../pins.py\n"
)

func TestLoadRepo(t *testing.T) {
	t.Parallel()
	type file struct{ repo, branch, path, content string }
	tests := map[string]struct {
		files    []file
		ref      string
		wantPath string // the manifest path of the configuration found
		wantSrc  Source
		// wantRequests are the API requests made, in order.
		wantRequests []string
	}{
		"own configuration on the default branch": {
			files:        []file{{"widgets", "main", Path, ownConfig}},
			wantPath:     "src/pins.py",
			wantSrc:      Source{Repo: "acme/widgets", Path: Path},
			wantRequests: []string{"GET /repos/acme/widgets/contents/.github/pindrift.yml"},
		},
		"own configuration at a branch": {
			files:        []file{{"widgets", "main", Path, ownConfig}, {"widgets", "feature", Path, otherConfig}},
			ref:          "feature",
			wantPath:     "other/pins.py",
			wantSrc:      Source{Repo: "acme/widgets", Ref: "feature", Path: Path},
			wantRequests: []string{"GET /repos/acme/widgets/contents/.github/pindrift.yml?ref=feature"},
		},
		"owner's default at the root of its .github repository": {
			files: []file{{"widgets", "main", "README.md", "hi"}, {".github", "main", "pindrift.yml", ownerConfig}},
			// A ref of the repository does not apply to the owner's repository.
			ref:      "feature",
			wantPath: "shared/pins.py",
			wantSrc:  Source{Repo: "acme/.github", Ref: "main", Path: "pindrift.yml", OwnerDefault: true},
			wantRequests: []string{
				"GET /repos/acme/widgets/contents/.github/pindrift.yml?ref=feature",
				"GET /repos/acme/.github",
				"GET /repos/acme/.github/contents/pindrift.yml?ref=main",
			},
		},
		"owner's default under .github/ in its .github repository": {
			files:    []file{{"widgets", "main", "README.md", "hi"}, {".github", "main", Path, ownerConfig}},
			wantPath: "shared/pins.py",
			wantSrc:  Source{Repo: "acme/.github", Ref: "main", Path: Path, OwnerDefault: true},
			wantRequests: []string{
				"GET /repos/acme/widgets/contents/.github/pindrift.yml",
				"GET /repos/acme/.github",
				"GET /repos/acme/.github/contents/pindrift.yml?ref=main",
				"GET /repos/acme/.github/contents/.github/pindrift.yml?ref=main",
			},
		},
		"own configuration wins over the owner's": {
			files:        []file{{"widgets", "main", Path, ownConfig}, {".github", "main", "pindrift.yml", ownerConfig}},
			wantPath:     "src/pins.py",
			wantSrc:      Source{Repo: "acme/widgets", Path: Path},
			wantRequests: []string{"GET /repos/acme/widgets/contents/.github/pindrift.yml"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			gh := ghfake.New(t)
			for _, f := range tc.files {
				gh.SetFile("acme", f.repo, f.branch, f.path, f.content, "alice")
			}
			cfg, src, err := Load(context.Background(), gh.Client(), "acme", "widgets", tc.ref)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := cfg.Manifests[0].Path; got != tc.wantPath {
				t.Errorf("manifest path = %q, want %q (the wrong file was read)", got, tc.wantPath)
			}
			if diff := cmp.Diff(tc.wantSrc, src); diff != "" {
				t.Errorf("source (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantRequests, requestLines(gh)); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadRepoNotConfigured(t *testing.T) {
	t.Parallel()
	tests := map[string]func(gh *ghfake.Server){
		"no .github repository": func(gh *ghfake.Server) {
			gh.SetFile("acme", "widgets", "main", "README.md", "hi", "alice")
		},
		".github repository without the file": func(gh *ghfake.Server) {
			gh.SetFile("acme", "widgets", "main", "README.md", "hi", "alice")
			gh.SetFile("acme", ".github", "main", "profile/README.md", "hello", "alice")
		},
		"the file on another branch only": func(gh *ghfake.Server) {
			gh.SetFile("acme", "widgets", "main", "README.md", "hi", "alice")
			gh.SetFile("acme", "widgets", "feature", Path, ownConfig, "alice")
		},
	}
	for name, seed := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			gh := ghfake.New(t)
			seed(gh)
			cfg, src, err := Load(context.Background(), gh.Client(), "acme", "widgets", "main")
			if !errors.Is(err, ErrNotConfigured) {
				t.Fatalf("Load = %+v, %v, %v; want ErrNotConfigured", cfg, src, err)
			}
			var ce *Error
			if errors.As(err, &ce) {
				t.Errorf("not configured is also an invalid configuration: %v", err)
			}
		})
	}
}

func TestLoadRepoInvalid(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		repo, path string
		wantSrc    Source
		wantErr    string
	}{
		"own file": {
			repo: "widgets", path: Path,
			wantSrc: Source{Repo: "acme/widgets", Ref: "main", Path: Path},
			wantErr: "acme/widgets@main: .github/pindrift.yml:2:11: manifests[0].path: must be a relative path inside the repository",
		},
		"owner's default": {
			repo: ".github", path: "pindrift.yml",
			wantSrc: Source{Repo: "acme/.github", Ref: "main", Path: "pindrift.yml", OwnerDefault: true},
			wantErr: "acme/.github@main: pindrift.yml:2:11: manifests[0].path: must be a relative path inside the repository",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			gh := ghfake.New(t)
			gh.SetFile("acme", "widgets", "main", "README.md", "hi", "alice")
			gh.SetFile("acme", tc.repo, "main", tc.path, badConfig, "alice")
			_, src, err := Load(context.Background(), gh.Client(), "acme", "widgets", "main")
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load error = %v; want an *Error", err)
			}
			if got := err.Error(); got != tc.wantErr {
				t.Errorf("error = %q\nwant    %q", got, tc.wantErr)
			}
			want := []Problem{{Line: 2, Column: 11, Key: "manifests[0].path", Message: "must be a relative path inside the repository"}}
			if diff := cmp.Diff(want, ce.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantSrc, src); diff != "" {
				t.Errorf("source (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadRepoGitHubFailure: a GitHub that cannot be read is neither "not
// configured" (the App would drop the repository) nor an invalid file (the
// App would tell the user something false); it is an error worth a retry.
func TestLoadRepoGitHubFailure(t *testing.T) {
	t.Parallel()
	gh := ghfake.New(t)
	gh.SetFile("acme", "widgets", "main", Path, ownConfig, "alice")
	gh.FailStatus(http.MethodGet, "/repos/acme/widgets/contents/**", 1, http.StatusBadGateway)
	_, _, err := Load(context.Background(), gh.Client(), "acme", "widgets", "main")
	var ce *Error
	switch {
	case err == nil:
		t.Fatal("Load succeeded despite GitHub failing")
	case errors.Is(err, ErrNotConfigured), errors.As(err, &ce):
		t.Fatalf("Load error = %v; want a GitHub failure", err)
	case !strings.Contains(err.Error(), "acme/widgets"):
		t.Errorf("error %q does not name the repository", err)
	}
}

func TestLoadRepoCanceled(t *testing.T) {
	t.Parallel()
	gh := ghfake.New(t)
	gh.SetFile("acme", "widgets", "main", Path, ownConfig, "alice")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Load(ctx, gh.Client(), "acme", "widgets", "main"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Load error = %v; want context.Canceled", err)
	}
}

// requestLines renders the fake's requests as "METHOD /path?query".
func requestLines(gh *ghfake.Server) []string {
	var out []string
	for _, r := range gh.Requests() {
		line := r.Method + " " + r.Path
		if q := r.Query.Encode(); q != "" {
			line += "?" + q
		}
		out = append(out, line)
	}
	return out
}
