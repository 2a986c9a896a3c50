package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/repoconfig"
)

const discoverFixtures = "../../internal/discover/testdata"

// TestDiscoverText: bot discover prints each file with its pin count and
// findings, what it skipped, and a configuration that parses.
func TestDiscoverText(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runBot(t, "discover", filepath.Join(discoverFixtures, "bazel"))
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr: %s", code, stderr)
	}
	for _, want := range []string{
		"4 files with pins (11 files listed, 8 files read):\n",
		"  bazel/repositories.bzl  starlark  3 pins\n",
		"  bazel/toolchains.bzl    starlark  1 pin, 1 unresolved\n" +
			"    unresolved: bazel/toolchains.bzl:9:15: http_archive(name=\"widget_toolchain\"): url depends on a value the evaluator cannot know",
		"Could not be evaluated:\n  tools/index.json: binary content (a NUL byte at offset 11)\n",
		"  2 folders (vendored, generated or test fixtures): third_party/, vendor/\n",
		"  1 file: lock file of a package manager\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	_, cfg, ok := strings.Cut(stdout, "Configuration to commit as .github/pindrift.yml:\n\n")
	if !ok {
		t.Fatalf("no configuration printed:\n%s", stdout)
	}
	c, err := repoconfig.Parse(repoconfig.Path, []byte(cfg))
	if err != nil {
		t.Fatalf("the configuration printed does not parse: %v\n%s", err, cfg)
	}
	var paths []string
	for _, m := range c.Manifests {
		paths = append(paths, m.Path)
	}
	if diff := cmp.Diff([]string{"MODULE.bazel", "WORKSPACE", "bazel/repositories.bzl", "bazel/toolchains.bzl"}, paths); diff != "" {
		t.Errorf("configured manifests (-want +got):\n%s", diff)
	}
}

// TestDiscoverJSON checks the fields a script reads.
func TestDiscoverJSON(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runBot(t, "discover", "--json", filepath.Join(discoverFixtures, "python"))
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr: %s", code, stderr)
	}
	var out struct {
		Files []struct {
			Path    string
			Format  string
			Pins    int
			Symbols []string
		}
		Unpaired []struct{ Path string }
		Skipped  map[string]int
		Folders  []string
		Unread   []string
		Listed   int
		Reads    int
		MaxReads int `json:"max_reads"`
		Config   string
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	type file struct {
		Path, Format string
		Pins         int
		Symbols      []string
	}
	var files []file
	for _, f := range out.Files {
		files = append(files, file{f.Path, f.Format, f.Pins, f.Symbols})
	}
	want := []file{{"src/pkg/images/published.py", "python", 4, nil}, {"src/pkg/images/tools.py", "python", 1, []string{"all"}}}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(out.Unpaired) != 1 || out.Unpaired[0].Path != "tools/hashes.json" || !cmp.Equal(out.Folders, []string{"node_modules"}) ||
		out.Unread == nil || out.Listed != 10 || out.Reads != 7 || out.MaxReads != 200 {
		t.Errorf("unpaired %v, folders %v, unread %v, listed %d, reads %d of %d", out.Unpaired, out.Folders, out.Unread, out.Listed, out.Reads, out.MaxReads)
	}
	if _, err := repoconfig.Parse(repoconfig.Path, []byte(out.Config)); err != nil {
		t.Errorf("config does not parse: %v\n%s", err, out.Config)
	}
}

// TestDiscoverExitCodes: 1 when nothing pins, 3 for unusable input.
func TestDiscoverExitCodes(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "README.md"), []byte("# Nothing pinned here, only prose.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(empty, "README.md")
	tests := map[string]struct {
		args        []string
		code        int
		out, errOut string
	}{
		"none found":     {args: []string{"discover", empty}, code: exitNoneFound, out: "No file pairs digests with URLs (1 file listed, 0 files read).\n"},
		"none as JSON":   {args: []string{"discover", "--json", empty}, code: exitNoneFound, out: `"config": ""`},
		"missing dir":    {args: []string{"discover", filepath.Join(empty, "nope")}, code: exitBadInput, errOut: "no such file or directory"},
		"not a dir":      {args: []string{"discover", file}, code: exitBadInput, errOut: "is not a directory"},
		"zero reads":     {args: []string{"discover", "--max-reads", "0", empty}, code: exitBadInput, errOut: "--max-reads must be at least 1"},
		"two dirs":       {args: []string{"discover", empty, empty}, code: exitBadInput, errOut: "accepts at most 1 arg"},
		"budget of one":  {args: []string{"discover", "--max-reads", "1", filepath.Join(discoverFixtures, "bazel")}, code: exitOK, out: "Not read, over the budget of 1 read (raise it with --max-reads): 7 files\n  WORKSPACE\n"},
		"found":          {args: []string{"discover", filepath.Join(discoverFixtures, "python")}, code: exitOK, out: "2 files with pins"},
		"bad flag value": {args: []string{"discover", "--max-reads", "x", empty}, code: exitBadInput, errOut: "invalid argument"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runBot(t, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.out) || !strings.Contains(stderr, tc.errOut) {
				t.Errorf("exit %d, want %d\nstdout (want %q):\n%s\nstderr (want %q):\n%s", code, tc.code, tc.out, stdout, tc.errOut, stderr)
			}
		})
	}
}

// TestDiscoverHostileNames: a file name that would reverse the text after
// it is printed quoted, and escaped in the configuration.
func TestDiscoverHostileNames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := "lib\u202egpj.bzl"
	src := `http_file(name = "x", urls = ["https://example.com/x.bin"], sha256 = "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23")` + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runBot(t, "discover", dir)
	if code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	if strings.ContainsRune(stdout, '\u202e') {
		t.Errorf("the override reached the terminal:\n%q", stdout)
	}
	if !strings.Contains(stdout, `  "lib\u202egpj.bzl"  starlark  1 pin`) || !strings.Contains(stdout, `- path: "lib\u202Egpj.bzl"`) {
		t.Errorf("the name is not shown escaped:\n%s", stdout)
	}
}
