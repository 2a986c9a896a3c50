package discover_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/repoconfig"
)

// found is what a user reads of a discovery, in a form cmp can diff.
type found struct {
	Files    []string // "path: N pins, M unresolved [symbols]"
	Unpaired []string
	Failed   []string // "path: reason"
	Skipped  map[string]int
	Folders  []string
	Listed   int
	Reads    int
}

func summarize(res *discover.Result) found {
	f := found{Skipped: res.Skipped, Folders: res.Folders, Listed: res.Listed, Reads: res.Reads}
	describe := func(x discover.File) string {
		s := fmt.Sprintf("%s: %d pins, %d unresolved, %d invalid", x.Path, x.Pins, len(x.Unresolved), len(x.Invalid))
		if x.Symbols != nil {
			s += fmt.Sprintf(" %v", x.Symbols)
		}
		return s
	}
	for _, x := range res.Files {
		f.Files = append(f.Files, describe(x))
	}
	for _, x := range res.Unpaired {
		f.Unpaired = append(f.Unpaired, describe(x))
	}
	for _, x := range res.Failed {
		f.Failed = append(f.Failed, x.Path+": "+x.Reason)
	}
	return f
}

// countingSource wraps a Source and records every read.
type countingSource struct {
	discover.Source
	mu    sync.Mutex
	reads []string
}

func (c *countingSource) Read(ctx context.Context, p string, maxBytes int64) ([]byte, error) {
	c.mu.Lock()
	c.reads = append(c.reads, p)
	c.mu.Unlock()
	return c.Source.Read(ctx, p, maxBytes)
}

// TestFindFixtures: discovery on a checkout of a Bazel repository and of
// a Python one finds the files that pin, with their counts, and skips
// vendored folders, lock files, binary files and files too small to pin.
func TestFindFixtures(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		want      found
		neverRead []string
	}{
		"bazel": {
			want: found{
				Files: []string{
					"MODULE.bazel: 1 pins, 0 unresolved, 0 invalid",
					"WORKSPACE: 1 pins, 0 unresolved, 0 invalid",
					// Two mirrors of zlib, and platforms in SRI form.
					"bazel/repositories.bzl: 3 pins, 0 unresolved, 0 invalid",
					// The toolchain's URL depends on a loaded version.
					"bazel/toolchains.bzl: 1 pins, 1 unresolved, 0 invalid",
				},
				Failed: []string{"tools/index.json: binary content (a NUL byte at offset 11)"},
				Skipped: map[string]int{
					discover.ReasonLockFile: 1, // MODULE.bazel.lock
					discover.ReasonFormat:   2, // widget.cc, logo.png
				},
				Folders: []string{"third_party", "vendor"},
				// Dir does not descend into skipped folders.
				Listed: 11,
				// Every Starlark file and the JSON one; the BUILD files
				// are read (last) and hold nothing.
				Reads: 8,
			},
			neverRead: []string{"MODULE.bazel.lock", "tools/logo.png", "src/main/widget.cc"},
		},
		"python": {
			want: found{
				Files: []string{
					// BASE_KERNELS and MANIFEST: the defaults find them.
					"src/pkg/images/published.py: 4 pins, 0 unresolved, 0 invalid",
					// TOOLS is not a default symbol.
					"src/pkg/images/tools.py: 1 pins, 0 unresolved, 0 invalid [all]",
				},
				Unpaired: []string{"tools/hashes.json: 0 pins, 1 unresolved, 0 invalid"},
				Failed:   nil,
				Skipped: map[string]int{
					discover.ReasonLockFile: 1, // poetry.lock
					discover.ReasonTooSmall: 2, // empty __init__.py files
				},
				Folders: []string{"node_modules"},
				Listed:  10,
				// setup.py, pyproject.toml, build.py, the test and the
				// two modules and hashes.json.
				Reads: 7,
			},
			neverRead: []string{"poetry.lock", "src/pkg/__init__.py", "node_modules/left-pad/package.json"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := &countingSource{Source: discover.Dir(filepath.Join("testdata", name))}
			res, err := discover.Find(context.Background(), src, discover.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summarize(res)); diff != "" {
				t.Errorf("discovery (-want +got):\n%s", diff)
			}
			if len(src.reads) != res.Reads {
				t.Errorf("Result.Reads = %d, but %d reads happened", res.Reads, len(src.reads))
			}
			seen := map[string]bool{}
			for _, p := range src.reads {
				if seen[p] {
					t.Errorf("%s read twice", p)
				}
				seen[p] = true
			}
			for _, p := range tc.neverRead {
				if seen[p] {
					t.Errorf("%s was read; it should be skipped from the listing alone", p)
				}
			}
		})
	}
}

// memSource is a listing given entry by entry, with files to read.
type memSource struct {
	entries   []discover.Entry
	files     map[string]string
	truncated bool
	failRead  map[string]error
	reads     []string
}

func (m *memSource) Tree(context.Context) ([]discover.Entry, bool, error) {
	return m.entries, m.truncated, nil
}

func (m *memSource) Read(_ context.Context, p string, maxBytes int64) ([]byte, error) {
	m.reads = append(m.reads, p)
	if err := m.failRead[p]; err != nil {
		return nil, err
	}
	s, ok := m.files[p]
	if !ok {
		return nil, fmt.Errorf("%s: no such file", p)
	}
	if int64(len(s)) > maxBytes {
		return nil, fmt.Errorf("%s: over the limit", p)
	}
	return []byte(s), nil
}

// newMem lists files as regular files of their size.
func newMem(files map[string]string) *memSource {
	m := &memSource{files: files, failRead: map[string]error{}}
	for _, p := range slices.Sorted(mapsKeys(files)) {
		m.entries = append(m.entries, discover.Entry{Path: p, Size: int64(len(files[p])), Mode: "100644"})
	}
	return m
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

const hexA = "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23"

func pinned(name string) string {
	return fmt.Sprintf("http_file(name = %q, urls = [\"https://example.com/%s.bin\"], sha256 = %q)\n", name, name, hexA)
}

// TestFindBudget: with a budget of reads, the files whose names pins live
// in are read first, and every candidate left is listed in Unread, in the
// order it would have been read.
func TestFindBudget(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"a/b/c/deep.bzl":              pinned("deep"),
		"z.bzl":                       pinned("z"),
		"WORKSPACE":                   pinned("ws"),
		"src/pkg/images/published.py": "MANIFEST = {\"k\": {\"url\": \"https://example.com/k\", \"sha256\": \"" + hexA + "\"}}\n",
		"config/settings.json":        `{"name": "app", "replicas": 3, "owner": "infra team, see the wiki"}`,
		"deps/versions.yaml":          "url: https://example.com/v.tgz\nsha256: " + hexA + "\n",
		"tests/fixture.json":          `{"url": "https://example.com/t", "sha256": "` + hexA + `"}`,
		"BUILD.bazel":                 "load(\"@rules_go//go:def.bzl\", \"go_library\")\ngo_library(name = \"x\")\n",
	}
	tests := map[string]struct {
		maxReads   int
		wantRead   []string
		wantUnread []string
	}{
		"two": {
			maxReads:   2,
			wantRead:   []string{"WORKSPACE", "src/pkg/images/published.py"},
			wantUnread: []string{"z.bzl", "a/b/c/deep.bzl", "deps/versions.yaml", "config/settings.json", "BUILD.bazel", "tests/fixture.json"},
		},
		"five": {
			maxReads:   5,
			wantRead:   []string{"WORKSPACE", "src/pkg/images/published.py", "z.bzl", "a/b/c/deep.bzl", "deps/versions.yaml"},
			wantUnread: []string{"config/settings.json", "BUILD.bazel", "tests/fixture.json"},
		},
		"all": {
			maxReads: 100,
			wantRead: []string{"WORKSPACE", "src/pkg/images/published.py", "z.bzl", "a/b/c/deep.bzl", "deps/versions.yaml",
				"config/settings.json", "BUILD.bazel", "tests/fixture.json"},
			wantUnread: []string{},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := newMem(files)
			res, err := discover.Find(context.Background(), src, discover.Options{MaxReads: tc.maxReads})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantRead, src.reads); diff != "" {
				t.Errorf("files read, in order (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantUnread, res.Unread); diff != "" {
				t.Errorf("Unread (-want +got):\n%s", diff)
			}
			if res.Reads != len(tc.wantRead) {
				t.Errorf("Reads = %d, want %d", res.Reads, len(tc.wantRead))
			}
		})
	}
}

// TestFindSkips: what the listing alone rules out is counted by reason
// and never read; a readable file over the size limit is named.
func TestFindSkips(t *testing.T) {
	t.Parallel()
	src := newMem(map[string]string{"deps.bzl": pinned("d")})
	src.entries = append(src.entries,
		discover.Entry{Path: "link.bzl", Mode: discover.ModeSymlink, Size: 12},
		discover.Entry{Path: "external/sub", Mode: discover.ModeSubmodule},
		discover.Entry{Path: "huge.bzl", Mode: "100644", Size: 3 << 20},
		discover.Entry{Path: "bad\nname.bzl", Mode: "100644", Size: 100},
		discover.Entry{Path: "web/package-lock.json", Mode: "100644", Size: 5000},
		discover.Entry{Path: "go.sum", Mode: "100644", Size: 5000},
		discover.Entry{Path: "main.go", Mode: "100755", Size: 5000},
		discover.Entry{Path: "pkg/__init__.py", Mode: "100644", Size: 0},
		discover.Entry{Path: "web/node_modules", Mode: discover.ModeFolder},
		discover.Entry{Path: "web/node_modules/x/deps.bzl", Mode: "100644", Size: 500},
		discover.Entry{Path: "bazel-out", Mode: discover.ModeFolder},
		discover.Entry{Path: "py/.venv/lib/site-packages/x/published.py", Mode: "100644", Size: 500},
	)
	res, err := discover.Find(context.Background(), src, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := found{
		Files:  []string{"deps.bzl: 1 pins, 0 unresolved, 0 invalid"},
		Failed: []string{"huge.bzl: 3145728 bytes, over the 2097152-byte limit"},
		Skipped: map[string]int{
			discover.ReasonSymlink:   1,
			discover.ReasonSubmodule: 1,
			discover.ReasonBadPath:   1,
			discover.ReasonLockFile:  2,
			discover.ReasonFormat:    1,
			discover.ReasonTooSmall:  1,
			discover.ReasonFolder:    2,
		},
		Folders: []string{"bazel-out", "py/.venv", "web/node_modules"},
		Listed:  11,
		Reads:   1,
	}
	if diff := cmp.Diff(want, summarize(res)); diff != "" {
		t.Errorf("discovery (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"deps.bzl"}, src.reads); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

// TestFindTruncated: a listing GitHub cut short is reported.
func TestFindTruncated(t *testing.T) {
	t.Parallel()
	src := newMem(map[string]string{"deps.bzl": pinned("d")})
	src.truncated = true
	res, err := discover.Find(context.Background(), src, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || len(res.Files) != 1 {
		t.Errorf("Truncated = %v with %d files, want true with the listed file found", res.Truncated, len(res.Files))
	}
}

// TestFindReadFailures: a file that cannot be read is named with the
// error and the others still read; reads that keep failing end the
// discovery with the error instead of spending the budget on it.
func TestFindReadFailures(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for i := range 8 {
		files[fmt.Sprintf("d%d.bzl", i)] = pinned(fmt.Sprintf("d%d", i))
	}
	t.Run("one", func(t *testing.T) {
		t.Parallel()
		src := newMem(files)
		src.failRead["d3.bzl"] = errors.New("502 Bad Gateway")
		res, err := discover.Find(context.Background(), src, discover.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Files) != 7 || len(res.Failed) != 1 || res.Failed[0].Reason != "cannot be read: 502 Bad Gateway" {
			t.Errorf("files %d, failed %+v; want 7 found and d3.bzl failed with its error", len(res.Files), res.Failed)
		}
	})
	t.Run("every", func(t *testing.T) {
		t.Parallel()
		src := newMem(files)
		for p := range files {
			src.failRead[p] = errors.New("401 Bad credentials")
		}
		_, err := discover.Find(context.Background(), src, discover.Options{})
		if err == nil || !strings.Contains(err.Error(), "5 reads in a row failed") || !strings.Contains(err.Error(), "401 Bad credentials") {
			t.Errorf("error %v, want the run stopped after 5 failed reads with the last error", err)
		}
		if len(src.reads) != 5 {
			t.Errorf("%d reads, want 5", len(src.reads))
		}
	})
}

// TestFindExtract: the caller's Extract (the App's sandbox) evaluates
// every candidate, and its errors name the file in Failed.
func TestFindExtract(t *testing.T) {
	t.Parallel()
	src := newMem(map[string]string{"a.bzl": pinned("a"), "b.json": `{"url": "https://example.com/b", "sha256": "` + hexA + `"}`})
	var calls []string
	extractFn := func(_ context.Context, file string, _ []byte, opts pin.Options) (*pin.Result, error) {
		calls = append(calls, fmt.Sprintf("%s %s %v", file, opts.Format, opts.Symbols))
		if file == "b.json" {
			return nil, errors.New("sandbox: killed after 10s")
		}
		return &pin.Result{File: file, Pins: []pin.Pin{{URL: "https://example.com/a", SHA256: hexA, Algorithm: pin.SHA256, Digest: hexA}}}, nil
	}
	res, err := discover.Find(context.Background(), src, discover.Options{Extract: extractFn})
	if err != nil {
		t.Fatal(err)
	}
	want := found{
		Files:   []string{"a.bzl: 1 pins, 0 unresolved, 0 invalid"},
		Failed:  []string{"b.json: sandbox: killed after 10s"},
		Skipped: map[string]int{},
		Folders: []string{},
		Listed:  2,
		Reads:   2,
	}
	if diff := cmp.Diff(want, summarize(res)); diff != "" {
		t.Errorf("discovery (-want +got):\n%s", diff)
	}
	// Starlark is read for every symbol, then again with the defaults to
	// learn whether the configuration must name them.
	wantCalls := []string{"a.bzl starlark [all]", "a.bzl starlark []", "b.json json []"}
	if diff := cmp.Diff(wantCalls, calls); diff != "" {
		t.Errorf("Extract calls (-want +got):\n%s", diff)
	}
}

// TestFindCanceled: a discovery stops with the context.
func TestFindCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := discover.Find(ctx, newMem(map[string]string{"a.bzl": pinned("a")}), discover.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestDirSymlink: a checkout's symbolic link is listed as one and never
// followed, even to a file that pins.
func TestDirSymlink(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	root := t.TempDir()
	target := filepath.Join(outside, "secret.bzl")
	if err := os.WriteFile(target, []byte(pinned("secret")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(root, "deps.bzl")); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "linked")); err != nil {
		t.Fatal(err)
	}
	res, err := discover.Find(context.Background(), discover.Dir(root), discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 0 || res.Reads != 0 || res.Skipped[discover.ReasonSymlink] != 2 {
		t.Errorf("files %v, reads %d, skipped %v; want both links skipped unread", res.Files, res.Reads, res.Skipped)
	}
	// A root that is itself a link is followed: the user named it.
	linkedRoot := filepath.Join(t.TempDir(), "checkout")
	if err := os.Symlink(outside, linkedRoot); err != nil {
		t.Fatal(err)
	}
	res, err = discover.Find(context.Background(), discover.Dir(linkedRoot), discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Path != "secret.bzl" {
		t.Errorf("files %+v under a linked root, want secret.bzl", res.Files)
	}
}

// TestDirReadStaysInside: Dir's Read refuses a link and a path that
// leaves the checkout, whatever a listing says.
func TestDirReadStaysInside(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.bzl"), []byte(pinned("secret")), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "linked")); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
	src := discover.Dir(root)
	for _, p := range []string{"linked/secret.bzl", "../" + filepath.Base(outside) + "/secret.bzl", "linked"} {
		if data, err := src.Read(context.Background(), p, 1<<20); err == nil {
			t.Errorf("Read(%q) = %q, want an error", p, data)
		}
	}
}

// TestFindStopsAtTheManifestLimit: a registry of more pinned files than
// one configuration may list is configured up to that limit, the rest
// listed as unread, so the configuration discovery writes is one
// pindrift accepts.
func TestFindStopsAtTheManifestLimit(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for i := range repoconfig.MaxManifests + 50 {
		files[fmt.Sprintf("modules/m%03d/deps.bzl", i)] = pinned(fmt.Sprintf("m%03d", i))
	}
	res, err := discover.Find(context.Background(), newMem(files), discover.Options{MaxReads: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != repoconfig.MaxManifests || len(res.Unread) != 50 || res.FileLimit != repoconfig.MaxManifests {
		t.Fatalf("%d files, %d unread, FileLimit %d; want %d, 50 and %d", len(res.Files), len(res.Unread), res.FileLimit,
			repoconfig.MaxManifests, repoconfig.MaxManifests)
	}
	if _, err := repoconfig.Parse(repoconfig.Path, res.Config()); err != nil {
		t.Errorf("the configuration discovery wrote is refused: %v", err)
	}
}

// TestFindImportIsNotAnUnpairedDigest: a module whose only findings are
// values pindrift cannot know (an import) is not listed as holding
// digests with no URL, even when a digest-like run stands in a comment.
func TestFindImportIsNotAnUnpairedDigest(t *testing.T) {
	t.Parallel()
	files := map[string]string{"tools/env.py": "import os\n\nX = os.environ['A']  # " + hexA + "\n"}
	res, err := discover.Find(context.Background(), newMem(files), discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unpaired) != 0 || len(res.Files) != 0 {
		t.Errorf("unpaired %+v, files %+v; want neither", res.Unpaired, res.Files)
	}
}
