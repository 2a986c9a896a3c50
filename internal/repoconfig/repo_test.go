package repoconfig

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

const repoFile = ".github/pindrift.yml"

func TestParseRepoValid(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		yaml string
		want *Config
	}{
		"full": {
			yaml: `
manifests:
  - path: src/smolvm/images/published.py
    symbols: [BASE_KERNELS, MANIFEST]
    env: {SMOLVM_CHANNEL: stable}
    platforms: [linux, darwin/arm64]
  - path: tools/pins.py
    symbols: [all]
verify: {mode: metadata}
tracking_issue: {labels: [pin-drift, security], assignees: [alice, bob-2]}
fix_pr: {enabled: false, branch: bots/resync-pins, draft: true, reviewers: [carol]}
`,
			want: &Config{
				Manifests: []Manifest{
					{Path: "src/smolvm/images/published.py", Symbols: []string{"BASE_KERNELS", "MANIFEST"},
						Env: map[string]string{"SMOLVM_CHANNEL": "stable"}, Platforms: []string{"linux", "darwin/arm64"}},
					{Path: "tools/pins.py", Symbols: []string{"all"}, Platforms: []string{"linux"}},
				},
				Verify:        RepoVerify{Mode: verify.ModeMetadata},
				TrackingIssue: TrackingIssue{Labels: []string{"pin-drift", "security"}, Assignees: []string{"alice", "bob-2"}},
				FixPR:         FixPR{Enabled: false, Branch: "bots/resync-pins", Draft: true, Reviewers: []string{"carol"}},
			},
		},
		"minimal: defaults everywhere": {
			yaml: "manifests:\n  - path: pins.py\n",
			want: &Config{
				Manifests:     []Manifest{{Path: "pins.py", Symbols: pin.DefaultSymbols, Platforms: []string{"linux"}}},
				Verify:        RepoVerify{Mode: verify.ModeAuto},
				TrackingIssue: TrackingIssue{Labels: []string{issues.DefaultLabel}},
				FixPR:         FixPR{Enabled: true, Branch: fixpr.DefaultBranch},
			},
		},
		"fix_pr block without enabled keeps the PR on": {
			yaml: "manifests: [{path: pins.py}]\nfix_pr: {draft: true}\n",
			want: &Config{
				Manifests:     []Manifest{{Path: "pins.py", Symbols: pin.DefaultSymbols, Platforms: []string{"linux"}}},
				Verify:        RepoVerify{Mode: verify.ModeAuto},
				TrackingIssue: TrackingIssue{Labels: []string{issues.DefaultLabel}},
				FixPR:         FixPR{Enabled: true, Branch: fixpr.DefaultBranch, Draft: true},
			},
		},
		"null blocks and keys mean the defaults": {
			yaml: "manifests:\n  - path: pins.py\n    symbols:\n    platforms: ~\nverify:\ntracking_issue: {labels: []}\nfix_pr:\n  enabled: null\n",
			want: &Config{
				Manifests:     []Manifest{{Path: "pins.py", Symbols: pin.DefaultSymbols, Platforms: []string{"linux"}}},
				Verify:        RepoVerify{Mode: verify.ModeAuto},
				TrackingIssue: TrackingIssue{Labels: []string{issues.DefaultLabel}},
				FixPR:         FixPR{Enabled: true, Branch: fixpr.DefaultBranch},
			},
		},
		"anchors and aliases": {
			yaml: "manifests:\n  - path: a.py\n    env: &env {CHANNEL: beta}\n  - path: b.py\n    env: *env\n",
			want: &Config{
				Manifests: []Manifest{
					{Path: "a.py", Symbols: pin.DefaultSymbols, Env: map[string]string{"CHANNEL": "beta"}, Platforms: []string{"linux"}},
					{Path: "b.py", Symbols: pin.DefaultSymbols, Env: map[string]string{"CHANNEL": "beta"}, Platforms: []string{"linux"}},
				},
				Verify:        RepoVerify{Mode: verify.ModeAuto},
				TrackingIssue: TrackingIssue{Labels: []string{issues.DefaultLabel}},
				FixPR:         FixPR{Enabled: true, Branch: fixpr.DefaultBranch},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(repoFile, []byte(tc.yaml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(Manifest{}), cmpopts.IgnoreFields(Manifest{}, "Line", "Column")); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseRepoDefaultsAreCopies guards the package-level defaults: a
// caller editing its configuration must not change the next one's.
func TestParseRepoDefaultsAreCopies(t *testing.T) {
	t.Parallel()
	c, err := Parse(repoFile, []byte("manifests: [{path: a.py}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	c.Manifests[0].Symbols[0] = "CHANGED"
	if pin.DefaultSymbols[0] == "CHANGED" {
		t.Fatal("editing a parsed configuration changed pin.DefaultSymbols")
	}
}

func TestParseRepoInvalid(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		yaml string
		want []Problem
	}{
		"unknown keys, all of them, with the keys allowed": {
			yaml: "manifests:\n  - path: a.py\n    symbol: [X]\nfixpr: {enabled: false}\nverify: {mode: full, cache: true}\n",
			want: []Problem{
				{Line: 3, Column: 5, Key: "manifests[0].symbol", Message: "unknown key (known keys in manifests[0]: path, symbols, env, platforms, format, url_fields, digest_fields)"},
				{Line: 4, Column: 1, Key: "fixpr", Message: "unknown key (known keys here: manifests, verify, tracking_issue, fix_pr, onboarding)"},
				{Line: 5, Column: 22, Key: "verify.cache", Message: "unknown key (known keys in verify: mode)"},
			},
		},
		"no manifests key": {
			yaml: "verify: {mode: auto}\n",
			want: []Problem{{Line: 1, Column: 1, Key: "manifests", Message: "must list at least one manifest, e.g. - path: src/pkg/pins.py"}},
		},
		"empty file": {
			yaml: "",
			want: []Problem{{Key: "manifests", Message: "must list at least one manifest, e.g. - path: src/pkg/pins.py"}},
		},
		"empty manifest list": {
			yaml: "manifests: []\n",
			want: []Problem{{Line: 1, Column: 12, Key: "manifests", Message: "must list at least one manifest, e.g. - path: src/pkg/pins.py"}},
		},
		"manifest without path": {
			yaml: "manifests:\n  - symbols: [A]\n",
			want: []Problem{{Line: 2, Column: 5, Key: "manifests[0].path", Message: "is required: the manifest's path from the repository root"}},
		},
		"paths outside the repository, unclean, not Python, duplicate": {
			yaml: `manifests:
  - path: ../other/pins.py
  - path: /etc/pins.py
  - path: ./src//pins.py
  - path: src/pins.txt
  - path: src\pins.py
  - path: src/a.py
  - path: src/a.py
`,
			want: []Problem{
				{Line: 2, Column: 11, Key: "manifests[0].path", Message: "must be a relative path inside the repository"},
				{Line: 3, Column: 11, Key: "manifests[1].path", Message: "must be a relative path inside the repository"},
				{Line: 4, Column: 11, Key: "manifests[2].path", Message: `must be written as "src/pins.py"`},
				{Line: 5, Column: 11, Key: "manifests[3].path", Message: "does not say its format (.py, .bzl, .json, .yaml, .toml, BUILD, ...): name it with format: python, starlark, json, yaml or toml"},
				{Line: 6, Column: 11, Key: "manifests[4].path", Message: "must use / between directories"},
				{Line: 8, Column: 11, Key: "manifests[6].path", Message: "src/a.py is already listed as manifests[5]"},
			},
		},
		"symbols": {
			yaml: `manifests:
  - path: a.py
    symbols: [GOOD, 2BAD, class, GOOD]
  - path: b.py
    symbols: [all, MANIFEST]
  - path: c.py
    symbols: []
`,
			want: []Problem{
				{Line: 3, Column: 21, Key: "manifests[0].symbols[1]", Message: `"2BAD" is not a Python identifier`},
				{Line: 3, Column: 27, Key: "manifests[0].symbols[2]", Message: `"class" is a Python keyword, not a name`},
				{Line: 3, Column: 34, Key: "manifests[0].symbols[3]", Message: `"GOOD" is already listed as symbols[0]`},
				{Line: 5, Column: 14, Key: "manifests[1].symbols", Message: `"all" means every module-level name, so it must be the only symbol`},
				{Line: 7, Column: 14, Key: "manifests[2].symbols", Message: "must list at least one symbol, or be left out for BASE_KERNELS, MANIFEST"},
			},
		},
		"env names and values": {
			yaml: "manifests:\n  - path: a.py\n    env:\n      GOOD_1: x\n      1BAD: y\n      'has space': z\n      NESTED: {a: b}\n",
			want: []Problem{{Line: 7, Column: 15, Key: "manifests[0].env.NESTED", Message: "must be a string"}},
		},
		"env names": {
			yaml: "manifests:\n  - path: a.py\n    env:\n      GOOD_1: x\n      1BAD: y\n      'has space': z\n",
			want: []Problem{
				{Line: 5, Column: 7, Key: `manifests[0].env["1BAD"]`, Message: "is not an environment variable name (letters, digits and _, not starting with a digit)"},
				{Line: 6, Column: 7, Key: `manifests[0].env["has space"]`, Message: "is not an environment variable name (letters, digits and _, not starting with a digit)"},
			},
		},
		"platforms": {
			yaml: "manifests:\n  - path: a.py\n    platforms: [linux, beos, Linux/x86_64]\n  - path: b.py\n    platforms: []\n",
			want: []Problem{
				{Line: 3, Column: 24, Key: "manifests[0].platforms[1]", Message: `unknown platform "beos" (want linux, darwin or windows, optionally /MACHINE)`},
				{Line: 3, Column: 30, Key: "manifests[0].platforms[2]", Message: "is the same platform as platforms[0]"},
				{Line: 5, Column: 16, Key: "manifests[1].platforms", Message: "must list at least one platform, or be left out for linux"},
			},
		},
		"verify mode": {
			yaml: "manifests: [{path: a.py}]\nverify:\n  mode: fast\n",
			want: []Problem{{Line: 3, Column: 9, Key: "verify.mode", Message: `must be full, metadata or auto, not "fast"`}},
		},
		"tracking issue labels and assignees": {
			yaml: "manifests: [{path: a.py}]\ntracking_issue:\n  labels: [ok, '', ' padded', OK, " +
				strings.Repeat("x", 51) + "]\n  assignees: ['@alice', -bob, 'carol_x', dave, Dave]\n",
			want: []Problem{
				{Line: 3, Column: 16, Key: "tracking_issue.labels[1]", Message: "must not be empty"},
				{Line: 3, Column: 20, Key: "tracking_issue.labels[2]", Message: `" padded" has spaces around it`},
				{Line: 3, Column: 31, Key: "tracking_issue.labels[3]", Message: `"OK" is already listed as labels[0]`},
				{Line: 3, Column: 35, Key: "tracking_issue.labels[4]", Message: "is longer than GitHub's 50 characters"},
				{Line: 4, Column: 15, Key: "tracking_issue.assignees[0]", Message: `"@alice": give the login without @, e.g. "alice"`},
				{Line: 4, Column: 25, Key: "tracking_issue.assignees[1]", Message: `"-bob" is not a GitHub user login`},
				{Line: 4, Column: 31, Key: "tracking_issue.assignees[2]", Message: `"carol_x" is not a GitHub user login`},
				{Line: 4, Column: 48, Key: "tracking_issue.assignees[4]", Message: `"Dave" is already listed as assignees[3]`},
			},
		},
		"too many assignees": {
			yaml: "manifests: [{path: a.py}]\ntracking_issue: {assignees: [a, b, c, d, e, f, g, h, i, j, k]}\n",
			want: []Problem{{Line: 2, Column: 29, Key: "tracking_issue.assignees", Message: "lists 11 people; GitHub allows at most 10 assignees"}},
		},
		"fix PR branch and reviewers": {
			yaml: "manifests: [{path: a.py}]\nfix_pr:\n  branch: pindrift/re sync\n  reviewers: [team/org]\n",
			want: []Problem{
				{Line: 3, Column: 11, Key: "fix_pr.branch", Message: `"pindrift/re sync" is not a valid git branch name: it contains a space or control character`},
				{Line: 4, Column: 15, Key: "fix_pr.reviewers[0]", Message: `"team/org" is not a GitHub user login`},
			},
		},
		"wrong kinds of values": {
			yaml: "manifests:\n  path: a.py\nverify: full\nfix_pr: {enabled: yes, draft: 1, reviewers: alice}\n",
			want: []Problem{
				{Line: 2, Column: 3, Key: "manifests", Message: "must be a list"},
				{Line: 3, Column: 9, Key: "verify", Message: "must be a mapping of keys to values"},
				{Line: 4, Column: 19, Key: "fix_pr.enabled", Message: "must be true or false"},
				{Line: 4, Column: 31, Key: "fix_pr.draft", Message: "must be true or false"},
				{Line: 4, Column: 45, Key: "fix_pr.reviewers", Message: "must be a list"},
			},
		},
		"duplicate keys": {
			yaml: "manifests: [{path: a.py}]\nfix_pr:\n  draft: true\n  draft: false\n",
			want: []Problem{{Line: 4, Column: 3, Key: "fix_pr.draft", Message: "duplicate key (first at line 3)"}},
		},
		"syntax error": {
			yaml: "manifests:\n  - path: \"a.py\n",
			want: []Problem{{Line: 2, Column: 11, Message: "could not find end character of double-quoted text"}},
		},
		"two documents": {
			yaml: "manifests: [{path: a.py}]\n---\nmanifests: [{path: b.py}]\n",
			want: []Problem{{Line: 3, Column: 1, Message: "the file must hold one YAML document; a second one starts here"}},
		},
		"not a mapping": {
			yaml: "- path: a.py\n",
			want: []Problem{{Line: 1, Column: 1, Message: "must be a mapping of keys to values"}},
		},
		"merge keys": {
			yaml: "base: &b {path: a.py}\nmanifests: [{<<: *b}]\n",
			want: []Problem{
				{Line: 1, Column: 1, Key: "base", Message: "unknown key (known keys here: manifests, verify, tracking_issue, fix_pr, onboarding)"},
				{Line: 2, Column: 14, Key: "manifests[0]", Message: "merge keys (<<) are not supported; write the settings out"},
			},
		},
		// format:, url_fields:, digest_fields: and the format a path names.
		"unknown format": {
			yaml: "manifests:\n  - path: pins.json\n    format: xml\n",
			want: []Problem{{Line: 3, Column: 13, Key: "manifests[0].format",
				Message: `unknown format "xml" (want one of python, starlark, json, yaml, toml)`}},
		},
		"format the name does not say": {
			yaml: "manifests:\n  - path: pins.txt\n",
			want: []Problem{{Line: 2, Column: 11, Key: "manifests[0].path",
				Message: "does not say its format (.py, .bzl, .json, .yaml, .toml, BUILD, ...): name it with format: python, starlark, json, yaml or toml"}},
		},
		"a format pindrift does not read": {
			yaml: "manifests:\n  - path: Gemfile\n  - path: formula.rb\n",
			want: []Problem{
				{Line: 2, Column: 11, Key: "manifests[0].path", Message: "is Ruby, a format pindrift does not read yet"},
				{Line: 3, Column: 11, Key: "manifests[1].path", Message: "is Ruby, a format pindrift does not read yet"},
			},
		},
		"field patterns": {
			yaml: "manifests:\n  - path: pins.json\n    url_fields: [\"*\", a b, link]\n    digest_fields: [sum, SUM, \"x*y\"]\n",
			want: []Problem{
				{Line: 3, Column: 18, Key: "manifests[0].url_fields[0]", Message: `field pattern "*" matches every key; want a name, *suffix or prefix*`},
				{Line: 3, Column: 23, Key: "manifests[0].url_fields[1]", Message: `field pattern "a b" contains a space`},
				{Line: 4, Column: 26, Key: "manifests[0].digest_fields[1]", Message: `"SUM" is already listed as digest_fields[0]`},
				{Line: 4, Column: 31, Key: "manifests[0].digest_fields[2]", Message: `field pattern "x*y": '*' may only start or end it (*suffix or prefix*)`},
			},
		},
		"fields of the wrong type": {
			yaml: "manifests:\n  - path: pins.json\n    digest_fields: sum\n",
			want: []Problem{{Line: 3, Column: 20, Key: "manifests[0].digest_fields", Message: "must be a list"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Parse(repoFile, []byte(tc.yaml))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse = %+v, %v; want an *Error", cfg, err)
			}
			if diff := cmp.Diff(tc.want, ce.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			// Every message names the file, and the line and key when known.
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("error has %d lines, want %d:\n%s", len(lines), len(tc.want), err)
			}
			for i, p := range tc.want {
				prefix := repoFile + ": "
				if p.Line > 0 {
					prefix = repoFile + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column) + ": "
				}
				if p.Key != "" {
					prefix += p.Key + ": "
				}
				if !strings.HasPrefix(lines[i], prefix) {
					t.Errorf("error line %q does not start with %q", lines[i], prefix)
				}
			}
		})
	}
}

func TestParseRepoTooLarge(t *testing.T) {
	t.Parallel()
	data := []byte("manifests: [{path: a.py}]\n" + strings.Repeat("#\n", MaxBytes/2))
	_, err := Parse(repoFile, data)
	if err == nil || !strings.Contains(err.Error(), "the limit is 65536") {
		t.Fatalf("err = %v, want the size limit", err)
	}
}

func TestRepoConversions(t *testing.T) {
	t.Parallel()
	c, err := Parse(repoFile, []byte(`
manifests:
  - path: a.py
    symbols: [MANIFEST]
    env: {CHANNEL: beta}
    platforms: [linux, darwin/arm64]
tracking_issue: {labels: [drift], assignees: [alice]}
fix_pr: {branch: bots/pins, draft: true, reviewers: [bob]}
`))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := c.Manifests[0].Options()
	if err != nil {
		t.Fatal(err)
	}
	wantOpts := pin.Options{
		Symbols: []string{"MANIFEST"},
		Env:     map[string]string{"CHANNEL": "beta"},
		Platforms: []pin.Platform{
			{Name: "linux", System: "Linux", Machine: "x86_64", SysPlatform: "linux"},
			{Name: "darwin/arm64", System: "Darwin", Machine: "arm64", SysPlatform: "darwin"},
		},
	}
	if diff := cmp.Diff(wantOpts, opts); diff != "" {
		t.Errorf("manifest options (-want +got):\n%s", diff)
	}
	// Symbols left out are the extractor's defaults, which a manifest may
	// lack without being reported; symbols written out must all exist.
	dflt, err := Parse(Path, []byte("manifests:\n  - path: a.py\n  - path: b.py\n    symbols: [BASE_KERNELS, MANIFEST]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := dflt.Manifests[0].Options(); o.Symbols != nil {
		t.Errorf("default symbols passed as %v, want nil", o.Symbols)
	}
	if o, _ := dflt.Manifests[1].Options(); len(o.Symbols) != 2 {
		t.Errorf("explicit symbols passed as %v", o.Symbols)
	}
	opts.Env["CHANNEL"] = "changed"
	if c.Manifests[0].Env["CHANNEL"] != "beta" {
		t.Error("Options shares its Env map with the configuration")
	}
	if diff := cmp.Diff(issues.Config{Labels: []string{"drift"}, Assignees: []string{"alice"}}, c.IssuesConfig()); diff != "" {
		t.Errorf("issues config (-want +got):\n%s", diff)
	}
	wantPR := fixpr.Config{Enabled: true, Branch: "bots/pins", Draft: true, Reviewers: []string{"bob"}}
	if diff := cmp.Diff(wantPR, c.FixPRConfig()); diff != "" {
		t.Errorf("fixpr config (-want +got):\n%s", diff)
	}
	if c.Verify.Mode != verify.ModeAuto {
		t.Errorf("verify mode = %q, want %q", c.Verify.Mode, verify.ModeAuto)
	}

	if _, err := (Manifest{Path: "x.py", Platforms: []string{"plan9"}}).Options(); err == nil {
		t.Error("Options accepted an unknown platform")
	}
}
