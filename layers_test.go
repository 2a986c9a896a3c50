package pindrift_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const modulePath = "github.com/pindrift/pindrift"

// layers is the module's dependency order, top to bottom, by path relative
// to the module root ("." is the root package, "x/..." is x and everything
// under it). A package may import its own layer and the layers below it,
// never one above: the App is assembled at the top, and the pin engine at
// the bottom knows nothing of GitHub, jobs or the server. Every package
// must be in a layer (or be test support, see isTestSupport), so a new
// package is placed on purpose.
var layers = []struct {
	name string
	pkgs []string
}{
	{"commands", []string{"cmd/bot", "bench/..."}},
	{"assembly", []string{"internal/server/...", "internal/demo", "internal/register"}},
	// The server's configuration names the options of what it configures
	// below (webhook, jobs, verify, sandbox), so it sits above them.
	{"server config", []string{"internal/config"}},
	{"webhook", []string{"internal/webhook"}},
	{"jobs", []string{"internal/jobs"}},
	{"runner", []string{"internal/runner/..."}},
	// Onboarding proposes the configuration discovery found: the runner
	// calls it for a repository with none.
	{"onboarding", []string{"internal/onboard/..."}},
	// Discovery finds manifests in a repository's tree and writes the
	// configuration that lists them, read back through repoconfig.
	{"discovery", []string{"internal/discover/..."}},
	// The repository's configuration is read by the runner, so it sits
	// below it; the server's configuration (above) embeds its types.
	{"repository config", []string{"internal/repoconfig"}},
	{"remedy", []string{"internal/remedy"}},
	// internal/report renders what verify found for `bot check`, beside
	// verify's other consumers.
	{"issues, patch, report", []string{"internal/issues/...", "internal/patch/...", "internal/report/..."}},
	{"verify, sandbox", []string{"internal/verify/...", "internal/sandbox"}},
	{"extract", []string{"internal/pin/extract"}},
	{"formats", []string{"internal/pin/python/...", "internal/pin/record"}},
	{"format trees", []string{"internal/pin/tree"}},
	{"model and leaves", []string{"internal/pin", "internal/markdown", "internal/ghhttp", "internal/strictyaml", "internal/shortsha", "."}},
}

// fakeUsers may import test support outside their tests: the demo and the
// benchmarks run the real App against the fake GitHub.
var fakeUsers = []string{"internal/demo", "bench/..."}

// knownViolations are upward imports that exist on main while other work
// removes them, as "from -> to". The lead empties this set once that work
// is merged; the test fails when a listed import no longer happens, so the
// set can only shrink.
var knownViolations = map[string]string{}

// testHelpers are test-only packages whose names do not say so.
var testHelpers = []string{"internal/golden"}

// isTestSupport reports whether rel is a fake or a test-only package: the
// fake GitHub (ghfake, formerly githubtest), mdtest, the golden-file
// helper. Tests at any layer may import them, so they sit outside the
// layers.
func isTestSupport(rel string) bool {
	base := path.Base(rel)
	return strings.HasSuffix(base, "test") || strings.HasSuffix(base, "fake") || slices.Contains(testHelpers, rel)
}

// matches reports whether rel is named by pattern (a path, or "x/...").
func matches(pattern, rel string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return rel == prefix || strings.HasPrefix(rel, prefix+"/")
	}
	return rel == pattern
}

func matchesAny(patterns []string, rel string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return matches(p, rel) })
}

// layerOf is the index in layers of the layer that holds rel, or -1.
// The longest pattern wins, so "internal/pin" and "internal/pin/python/..."
// do not compete.
func layerOf(rel string) int {
	layer, best := -1, -1
	for i, l := range layers {
		for _, p := range l.pkgs {
			if matches(p, rel) && len(p) > best {
				layer, best = i, len(p)
			}
		}
	}
	return layer
}

// listedPackage is what `go list -json` says of a package, as far as this
// file needs it.
type listedPackage struct {
	ImportPath   string
	Doc          string
	GoFiles      []string
	Imports      []string
	TestImports  []string
	XTestImports []string
	Error        *struct{ Err string }
}

// rel is the package's path relative to the module root.
func (p listedPackage) rel() string {
	if p.ImportPath == modulePath {
		return "."
	}
	return strings.TrimPrefix(p.ImportPath, modulePath+"/")
}

// goList runs `go list -json` on the module's packages once for the tests
// of this file.
var goList = sync.OnceValues(func() ([]listedPackage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "list", "-e",
		"-json=ImportPath,Doc,GoFiles,Imports,TestImports,XTestImports,Error", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w\n%s", err, stderr.Bytes())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		return nil, errors.New("go list ./... found no packages")
	}
	return pkgs, nil
})

// listPackages is goList's answer; a package go list could not load fails
// the test, since its imports would be missing from the checks.
func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	pkgs, err := goList()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		if p.Error != nil {
			t.Errorf("go list %s: %s", p.ImportPath, p.Error.Err)
		}
	}
	return pkgs
}

// edge is one import inside the module.
type edge struct {
	from, to string // relative paths
	test     bool   // only the package's tests import it
}

func (e edge) String() string { return e.from + " -> " + e.to }

// moduleEdges lists p's imports of the module's packages, the tests' after
// the package's own.
func moduleEdges(p listedPackage) []edge {
	var edges []edge
	add := func(imports []string, test bool) {
		for _, imp := range imports {
			to, ok := strings.CutPrefix(imp, modulePath+"/")
			if imp == modulePath {
				to, ok = ".", true
			}
			if ok {
				edges = append(edges, edge{from: p.rel(), to: to, test: test})
			}
		}
	}
	add(p.Imports, false)
	add(p.TestImports, true)
	// The root's external tests check the repository as a whole (the
	// README's tables are generated from config, for one), so they may
	// import any package; every other package's external tests obey its
	// layer.
	if p.rel() != "." {
		add(p.XTestImports, true)
	}
	return edges
}

// violation says why e breaks the layering, or "" when it does not.
func violation(e edge) string {
	switch {
	case e.from == e.to:
		return ""
	case isTestSupport(e.to):
		if e.test || isTestSupport(e.from) || matchesAny(fakeUsers, e.from) {
			return ""
		}
		return fmt.Sprintf("%s: test support, which only tests, the demo and the benchmarks may import", e)
	case isTestSupport(e.from):
		// Imported only by tests, the demo and the benchmarks, test
		// support may use any production package without a cycle through
		// the layers.
		return ""
	}
	from, to := layerOf(e.from), layerOf(e.to)
	if from < 0 || to < 0 || to >= from {
		return "" // unplaced packages are reported on their own
	}
	kind := "imports"
	if e.test {
		kind = "tests import"
	}
	return fmt.Sprintf("%s: %s %s a higher layer (%q above %q)", e, e.from, kind, layers[to].name, layers[from].name)
}

// TestLayers fails on every import that points up the layers, naming
// both ends, and on every package that is in no layer.
func TestLayers(t *testing.T) {
	t.Parallel()
	pkgs := listPackages(t)
	seen := map[string]bool{}
	for _, p := range pkgs {
		rel := p.rel()
		if !isTestSupport(rel) && layerOf(rel) < 0 {
			t.Errorf("%s is in no layer: add it to layers in layers_test.go", rel)
		}
		for _, e := range moduleEdges(p) {
			why := violation(e)
			if why == "" {
				continue
			}
			seen[e.String()] = true
			if reason, ok := knownViolations[e.String()]; ok {
				t.Logf("known violation (%s): %s", reason, why)
				continue
			}
			t.Errorf("upward import %s", why)
		}
	}
	for _, v := range slices.Sorted(maps.Keys(knownViolations)) {
		if !seen[v] {
			t.Errorf("knownViolations lists %s, which no longer happens: delete it", v)
		}
	}
}

// TestLayersCatchesUpwardImports checks the rules on made-up edges, so
// that a rule which let everything through would fail here.
func TestLayersCatchesUpwardImports(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		e    edge
		want bool
	}{
		"down":                        {edge{from: "internal/server", to: "internal/runner"}, false},
		"same layer":                  {edge{from: "internal/patch/fixpr", to: "internal/issues"}, false},
		"up":                          {edge{from: "internal/pin", to: "internal/pin/python"}, true},
		"up from a subpackage":        {edge{from: "internal/verify/ghrelease", to: "internal/remedy"}, true},
		"up from a test":              {edge{from: "internal/verify", to: "internal/server", test: true}, true},
		"root is a leaf":              {edge{from: ".", to: "internal/config"}, true},
		"fake from a test":            {edge{from: "internal/pin", to: "internal/ghfake", test: true}, false},
		"fake from the demo":          {edge{from: "internal/demo", to: "internal/ghfake"}, false},
		"fake from a benchmark":       {edge{from: "bench/internal/benchapp", to: "internal/ghfake"}, false},
		"fake from production code":   {edge{from: "internal/runner", to: "internal/ghfake"}, true},
		"mdtest from production code": {edge{from: "internal/issues", to: "internal/markdown/mdtest"}, true},
		"golden from a test":          {edge{from: "internal/issues", to: "internal/golden", test: true}, false},
		"golden from production code": {edge{from: "internal/issues", to: "internal/golden"}, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := violation(tc.e) != ""; got != tc.want {
				t.Errorf("violation(%s) = %q, want a violation: %v", tc.e, violation(tc.e), tc.want)
			}
		})
	}
}

// TestPackageDocs fails for every package without a package comment. The
// comment says what the package owns and what it must not import, so that
// the layering above is written where the code is read. A directory of
// tests only is not a package anyone imports or reads the doc of.
func TestPackageDocs(t *testing.T) {
	t.Parallel()
	for _, p := range listPackages(t) {
		if len(p.GoFiles) == 0 {
			continue
		}
		if strings.TrimSpace(p.Doc) == "" {
			t.Errorf("%s has no package doc: write one in %s/doc.go", p.rel(), p.rel())
		}
	}
}
