package discover_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/repoconfig"
)

// manifest is what a configuration says of one file.
type manifest struct {
	Path    string
	Format  pin.Format
	Symbols []string // nil: the defaults
}

// parseBack reads a written configuration as the App will.
func parseBack(t *testing.T, data []byte) []manifest {
	t.Helper()
	cfg, err := repoconfig.Parse(repoconfig.Path, data)
	if err != nil {
		t.Fatalf("the configuration written does not parse: %v\n%s", err, data)
	}
	var out []manifest
	for _, m := range cfg.Manifests {
		opts, err := m.Options()
		if err != nil {
			t.Fatal(err)
		}
		format := m.Format
		if format == "" {
			// Left out: the path tells it, as extraction will.
			if format, err = extract.Detect(m.Path); err != nil {
				t.Fatalf("%s: no format: and the path does not tell it: %v", m.Path, err)
			}
		}
		out = append(out, manifest{Path: m.Path, Format: format, Symbols: opts.Symbols})
	}
	return out
}

// TestConfigRoundTrip: the configuration written for a discovery lists
// its files, as repoconfig reads them back: symbols only when the
// defaults miss pins, format only when the name does not tell it, and
// paths YAML would misread quoted.
func TestConfigRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		res  func(t *testing.T) *discover.Result
		want []manifest
	}{
		"bazel fixture": {
			res: func(t *testing.T) *discover.Result { return findDir(t, "bazel") },
			want: []manifest{
				{Path: "MODULE.bazel", Format: pin.Starlark},
				{Path: "WORKSPACE", Format: pin.Starlark},
				{Path: "bazel/repositories.bzl", Format: pin.Starlark},
				{Path: "bazel/toolchains.bzl", Format: pin.Starlark},
			},
		},
		"python fixture": {
			res: func(t *testing.T) *discover.Result { return findDir(t, "python") },
			want: []manifest{
				{Path: "src/pkg/images/published.py", Format: pin.Python},
				{Path: "src/pkg/images/tools.py", Format: pin.Python, Symbols: []string{pin.AllSymbols}},
			},
		},
		"awkward paths": {
			res: func(*testing.T) *discover.Result {
				return &discover.Result{Files: []discover.File{
					{Path: "true.json", Format: pin.JSON},
					{Path: "yes", Format: pin.YAML},
					{Path: "dir with space/#x: 'y'.toml", Format: pin.TOML},
					{Path: "caf\u00e9/\"q\".yaml", Format: pin.YAML},
					{Path: "-lead.py", Format: pin.Python},
					{Path: "abc\u202egpj.bzl", Format: pin.Starlark},
				}}
			},
			want: []manifest{
				{Path: "true.json", Format: pin.JSON},
				{Path: "yes", Format: pin.YAML},
				{Path: "dir with space/#x: 'y'.toml", Format: pin.TOML},
				{Path: "caf\u00e9/\"q\".yaml", Format: pin.YAML},
				{Path: "-lead.py", Format: pin.Python},
				{Path: "abc\u202egpj.bzl", Format: pin.Starlark},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := tc.res(t).Config()
			if !strings.HasPrefix(string(data), "# pindrift configuration written by discovery") {
				t.Errorf("configuration does not open with its header comment:\n%s", data)
			}
			if diff := cmp.Diff(tc.want, parseBack(t, data)); diff != "" {
				t.Errorf("manifests read back (-want +got):\n%s\n%s", diff, data)
			}
		})
	}
}

// TestConfigShowsWhatItNames: a character that would make a path read
// as another (a right-to-left override) is escaped in the file.
func TestConfigShowsWhatItNames(t *testing.T) {
	t.Parallel()
	res := &discover.Result{Files: []discover.File{{Path: "abc\u202egpj.bzl", Format: pin.Starlark}}}
	data := string(res.Config())
	if strings.ContainsRune(data, '\u202e') || !strings.Contains(data, `- path: "abc\u202Egpj.bzl"`) {
		t.Errorf("the override is not escaped:\n%s", data)
	}
}

// TestConfigFormatKey: format: is written only where the path does not
// tell the format.
func TestConfigFormatKey(t *testing.T) {
	t.Parallel()
	res := &discover.Result{Files: []discover.File{{Path: "deps.bzl", Format: pin.Starlark}, {Path: "pins.lock.txt", Format: pin.JSON}}}
	data := string(res.Config())
	if got := strings.Count(data, "format:"); got != 1 || !strings.Contains(data, "  - path: pins.lock.txt\n    format: json\n") {
		t.Errorf("format: written %d times, want once, for pins.lock.txt:\n%s", got, data)
	}
}

// TestConfigNone: with nothing found there is no configuration to write
// (one must list a manifest).
func TestConfigNone(t *testing.T) {
	t.Parallel()
	if got := (&discover.Result{}).Config(); got != nil {
		t.Errorf("Config() = %q, want nil", got)
	}
}

func findDir(t *testing.T, name string) *discover.Result {
	t.Helper()
	res, err := discover.Find(context.Background(), discover.Dir(filepath.Join("testdata", name)), discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
