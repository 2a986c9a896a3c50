package runner_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/ghrunner"
	"github.com/pindrift/pindrift/internal/runner/runnertest"
)

var discoverRepo = issues.Repo{Owner: "acme", Name: "widget"}

// serveTree commits files to a fake GitHub's default branch and returns
// the fake, the real client of it and the commit.
func serveTree(tb testing.TB, files map[string]string) (*ghfake.Server, *ghrunner.Client, string) {
	tb.Helper()
	gh := ghfake.New(tb)
	gh.AddRepo(ghfake.Repo{Owner: discoverRepo.Owner, Name: discoverRepo.Name, InstallationID: 7})
	sha := gh.SetFiles(discoverRepo.Owner, discoverRepo.Name, "main", files, "maintainer")
	gh.Reset()
	return gh, ghrunner.New(gh.Client(), ghrunner.Options{AppLogin: gh.AppLogin(), WebURL: gh.URL()}), sha
}

// readFixture loads a discover fixture (a checkout) as a file map.
func readFixture(t *testing.T, dir string) map[string]string {
	t.Helper()
	root := filepath.Join("..", "discover", "testdata", dir)
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// requestCounts sorts what the fake received into tree listings, file
// reads, and anything else (which discovery must not make).
func requestCounts(gh *ghfake.Server) (trees, reads int, other []string) {
	for _, r := range gh.Requests() {
		switch {
		case r.Method == "GET" && strings.HasPrefix(r.Path, "/repos/acme/widget/git/trees/"):
			trees++
		case r.Method == "GET" && strings.HasPrefix(r.Path, "/repos/acme/widget/contents/"):
			reads++
		default:
			other = append(other, r.Method+" "+r.Path)
		}
	}
	return trees, reads, other
}

// TestDiscoverOverGitHub runs discovery on the Bazel fixture served by the
// fake GitHub through the real client: the same files as on the
// checkout, in one tree request and one request per file read.
func TestDiscoverOverGitHub(t *testing.T) {
	t.Parallel()
	files := readFixture(t, "bazel")
	gh, client, sha := serveTree(t, files)
	res, err := discover.Find(context.Background(), runner.DiscoverSource(client, discoverRepo, sha), discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Files {
		got = append(got, fmt.Sprintf("%s %d", f.Path, f.Pins))
	}
	want := []string{"MODULE.bazel 1", "WORKSPACE 1", "bazel/repositories.bzl 3", "bazel/toolchains.bzl 1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files and pin counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"third_party", "vendor"}, res.Folders); diff != "" {
		t.Errorf("skipped folders (-want +got):\n%s", diff)
	}
	if res.Listed != len(files) {
		t.Errorf("Listed = %d, want the %d files committed", res.Listed, len(files))
	}
	trees, reads, other := requestCounts(gh)
	if trees != 1 || reads != res.Reads || len(other) > 0 {
		t.Errorf("%d tree requests, %d reads (Result.Reads %d), others %q; want 1 tree request, one read per file read and nothing else",
			trees, reads, res.Reads, other)
	}
}

// genTree is a repository of n files shaped like a large monorepo: code
// in formats pindrift does not read, Bazel BUILD files, Python modules and
// JSON and YAML configuration without pins, a vendored node_modules, and
// a handful of files that pin release assets.
func genTree(n int) map[string]string {
	const hex = "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23"
	files := map[string]string{
		"WORKSPACE": `load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")
http_archive(name = "zlib", urls = ["https://github.com/madler/zlib/releases/download/v1.3.1/zlib-1.3.1.tar.gz"], sha256 = "` + hex + `")
`,
		"src/pkg/images/published.py": `MANIFEST = {"kernel": {"url": "https://github.com/acme/images/releases/download/v1/vmlinux", "sha256": "` + hex + `"}}
`,
	}
	for i := 0; len(files) < n; i++ {
		dir := fmt.Sprintf("svc%02d/pkg%03d", i%40, i%400)
		switch i % 20 {
		case 0, 1, 2, 3, 4, 5, 6, 7:
			files[fmt.Sprintf("%s/file%d.go", dir, i)] = "package pkg\n\nfunc F() int { return 42 } // generated filler\n"
		case 8, 9, 10:
			files[fmt.Sprintf("%s/README%d.md", dir, i)] = "# A package\n\nNothing to see here, only prose about the package.\n"
		case 11, 12:
			files[fmt.Sprintf("%s/BUILD.bazel", dir)] = "load(\"@rules_go//go:def.bzl\", \"go_library\")\n\ngo_library(name = \"pkg\", srcs = glob([\"*.go\"]))\n"
		case 13:
			files[fmt.Sprintf("%s/tool%d.py", dir, i)] = "import sys\n\n\ndef main():\n    print(sys.argv[1:], 'no pins in this helper script')\n"
		case 14:
			files[fmt.Sprintf("%s/__init__.py", dir)] = ""
		case 15:
			files[fmt.Sprintf("%s/config%d.json", dir, i)] = `{"name": "pkg", "replicas": 3, "labels": {"team": "infra"}}` + "\n"
		case 16:
			files[fmt.Sprintf("%s/values%d.yaml", dir, i)] = "replicas: 3\nimage: registry.example.com/pkg\nteam: infra\n"
		case 17, 18:
			files[fmt.Sprintf("node_modules/dep%d/package.json", i)] = `{"name": "dep", "dist": {"url": "https://registry.npmjs.org/dep.tgz", "sha256": "` + hex + `"}}` + "\n"
		case 19:
			switch {
			case i%200 == 19:
				files[fmt.Sprintf("third_party/lib%d/deps.bzl", i)] = files["WORKSPACE"]
			case i%100 != 39:
				files[fmt.Sprintf("%s/notes%d.txt", dir, i)] = "Release notes live in the wiki.\n"
			default:
				files[fmt.Sprintf("%s/deps%d.bzl", dir, i)] = fmt.Sprintf(`load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_file")
def deps():
    http_file(name = "f%d", urls = ["https://github.com/acme/assets/releases/download/v%d/f.bin"], sha256 = "%s")
`, i, i, hex)
			}
		}
	}
	return files
}

// TestDiscoverRequestsLargeTree: on a 5,000-file tree, discovery makes one
// tree request and one request per file it reads, reads no more than
// its budget, lists every candidate the budget left, and finds the pins
// that rank first.
func TestDiscoverRequestsLargeTree(t *testing.T) {
	t.Parallel()
	gh, client, sha := serveTree(t, genTree(5000))
	res, err := discover.Find(context.Background(), runner.DiscoverSource(client, discoverRepo, sha), discover.Options{MaxReads: 150})
	if err != nil {
		t.Fatal(err)
	}
	trees, reads, other := requestCounts(gh)
	if trees != 1 || reads != res.Reads || len(other) > 0 {
		t.Errorf("%d tree requests, %d reads (Result.Reads %d), others %q; want 1 tree request, one read per file read and nothing else",
			trees, reads, res.Reads, other)
	}
	if res.Reads != 150 || len(res.Unread) == 0 {
		t.Errorf("read %d files and left %d unread; want the budget of 150 spent and the rest listed", res.Reads, len(res.Unread))
	}
	if res.Listed != 5000 {
		t.Errorf("Listed = %d, want 5000", res.Listed)
	}
	kept := map[string]bool{}
	for _, f := range res.Files {
		kept[f.Path] = true
		if strings.HasPrefix(f.Path, "third_party/") || strings.HasPrefix(f.Path, "node_modules/") {
			t.Errorf("kept %s, in a vendored folder", f.Path)
		}
	}
	if !kept["WORKSPACE"] || !kept["src/pkg/images/published.py"] {
		t.Errorf("kept %d files, want WORKSPACE and published.py among them", len(res.Files))
	}
}

// BenchmarkDiscover5000 reports the API requests one discovery of a
// 5,000-file tree makes through the real client, at the default budget.
func BenchmarkDiscover5000(b *testing.B) {
	gh, client, sha := serveTree(b, genTree(5000))
	src := runner.DiscoverSource(client, discoverRepo, sha)
	var res *discover.Result
	for b.Loop() {
		gh.Reset()
		var err error
		if res, err = discover.Find(context.Background(), src, discover.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(gh.Requests())), "requests/op")
	b.ReportMetric(float64(res.Reads), "reads/op")
	b.ReportMetric(float64(len(res.Unread)), "unread/op")
	b.ReportMetric(float64(len(res.Files)), "files/op")
}

// TestDiscoverOverGitHubLinksAndTruncation: over the API too, a symbolic
// link and a submodule are skipped unread, and a listing GitHub cut short
// is reported as such.
func TestDiscoverOverGitHubLinksAndTruncation(t *testing.T) {
	t.Parallel()
	files := readFixture(t, "bazel")
	gh, client, _ := serveTree(t, files)
	gh.SetLink(discoverRepo.Owner, discoverRepo.Name, "main", "deps.bzl", "bazel/repositories.bzl", "maintainer")
	sha := gh.SetSubmodule(discoverRepo.Owner, discoverRepo.Name, "main", "external/rules", "0123456789abcdef0123456789abcdef01234567", "maintainer")
	gh.Reset()
	src := runner.DiscoverSource(client, discoverRepo, sha)
	res, err := discover.Find(context.Background(), src, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped[discover.ReasonSymlink] != 1 || res.Skipped[discover.ReasonSubmodule] != 1 || res.Truncated {
		t.Errorf("skipped %v, truncated %v; want one link and one submodule, not truncated", res.Skipped, res.Truncated)
	}
	if n := gh.Count("GET", "/repos/acme/widget/contents/deps.bzl"); n != 0 {
		t.Errorf("the link was read %d times", n)
	}
	gh.SetTreeLimit(5)
	res, err = discover.Find(context.Background(), src, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated {
		t.Errorf("a listing cut short is not reported")
	}
}

// TestDiscoverSourceInMemory: the in-memory fake serves discovery too,
// one Tree call and one ReadFile per file read, so the runner's callers
// can test onboarding without HTTP.
func TestDiscoverSourceInMemory(t *testing.T) {
	t.Parallel()
	const head = "0123456789abcdef0123456789abcdef01234567"
	gh := runnertest.New(discoverRepo.Owner, discoverRepo.Name, head, readFixture(t, "python"))
	res, err := discover.Find(context.Background(), runner.DiscoverSource(gh, discoverRepo, head), discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Files {
		got = append(got, f.Path)
	}
	if diff := cmp.Diff([]string{"src/pkg/images/published.py", "src/pkg/images/tools.py"}, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	calls := map[string]int{}
	for _, c := range gh.Calls() {
		calls[c]++
	}
	if diff := cmp.Diff(map[string]int{"Tree": 1, "ReadFile": res.Reads}, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}
