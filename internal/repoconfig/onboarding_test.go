package repoconfig

import (
	"context"
	"errors"
	"testing"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// TestLoadOnboardingOff: an owner's .github repository saying only
// onboarding: false leaves every repository without its own file not
// configured, and tells the App not to propose one either; a repository's
// own file still wins.
func TestLoadOnboardingOff(t *testing.T) {
	t.Parallel()
	type file struct{ repo, path, content string }
	tests := map[string]struct {
		files   []file
		wantErr error // nil: configured, with manifests
		wantOff bool
	}{
		"owner's default at the root": {
			files:   []file{{".github", "pindrift.yml", "onboarding: false\n"}},
			wantErr: ErrNotConfigured, wantOff: true,
		},
		"owner's default under .github/": {
			files:   []file{{".github", Path, "# no onboarding PRs here\nonboarding: false\n"}},
			wantErr: ErrNotConfigured, wantOff: true,
		},
		"the repository's own file": {
			files:   []file{{"widgets", Path, "onboarding: false\n"}},
			wantErr: ErrNotConfigured, wantOff: true,
		},
		"own configuration wins over the owner's off": {
			files: []file{{"widgets", Path, ownConfig}, {".github", "pindrift.yml", "onboarding: false\n"}},
		},
		"an owner's default with manifests is a configuration, whatever onboarding says": {
			files: []file{{".github", "pindrift.yml", ownerConfig + "onboarding: false\n"}},
		},
		"no owner default: not configured, onboarding on": {
			wantErr: ErrNotConfigured,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			gh := ghfake.New(t)
			gh.SetFile("acme", "widgets", "main", "README.md", "hi", "alice")
			for _, f := range tc.files {
				gh.SetFile("acme", f.repo, "main", f.path, f.content, "alice")
			}
			cfg, _, err := Load(context.Background(), gh.Client(), "acme", "widgets", "")
			if tc.wantErr == nil {
				if err != nil || len(cfg.Manifests) == 0 {
					t.Fatalf("Load = %+v, %v; want a configuration with manifests", cfg, err)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Load error = %v; want %v", err, tc.wantErr)
			}
			if got := errors.Is(err, ErrOnboardingOff); got != tc.wantOff {
				t.Errorf("errors.Is(%v, ErrOnboardingOff) = %v, want %v", err, got, tc.wantOff)
			}
		})
	}
}

func TestParseOnboarding(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		yaml    string
		wantErr bool
		wantOff bool
	}{
		"off alone":                 {yaml: "onboarding: false\n", wantOff: true},
		"on alone lists nothing":    {yaml: "onboarding: true\n", wantErr: true},
		"not a boolean":             {yaml: "onboarding: no-thanks\n", wantErr: true},
		"with manifests, on or off": {yaml: ownConfig + "onboarding: true\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Parse(Path, []byte(tc.yaml))
			if (err != nil) != tc.wantErr {
				t.Fatalf("Parse error = %v, want an error: %v", err, tc.wantErr)
			}
			if err == nil && cfg.OnboardingOff() != tc.wantOff {
				t.Errorf("OnboardingOff = %v, want %v", cfg.OnboardingOff(), tc.wantOff)
			}
		})
	}
}
