package extract_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// starlarkDir holds synthetic Bazel files, one pattern each, that Bazel's
// own interpreter can run with recording stubs for its rules.
const starlarkDir = "../python/testdata/starlark"

// TestStarlarkOracle runs each synthetic Bazel file with go.starlark.net,
// whose http_archive, http_file, git_repository and maybe record the
// (url, digest) pairs Bazel would fetch and check, and asserts that
// extract.File, which never executes the file, finds the same pairs.
func TestStarlarkOracle(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(starlarkDir, "*.bzl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no synthetic Starlark files in %s (%v)", starlarkDir, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := runStarlark(t, file, src)
			if len(want) == 0 {
				t.Fatalf("the oracle fetched nothing from %s: the file tests nothing", file)
			}
			res, err := extract.File(context.Background(), file, src, pin.Options{})
			if err != nil {
				t.Fatalf("extract.File: %v", err)
			}
			var got []string
			for _, p := range res.Pins {
				got = append(got, p.URL+" "+string(p.Algorithm)+":"+p.Digest)
			}
			sort.Strings(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("pins differ from what go.starlark.net fetched (-oracle +extract):\n%s", diff)
			}
			if len(res.Unresolved)+len(res.Invalid) > 0 {
				t.Errorf("unexpected findings: unresolved %+v, invalid %+v", res.Unresolved, res.Invalid)
			}
		})
	}
}

// runStarlark executes src as Bazel would load it and returns the sorted
// "url algorithm:hex" pairs its rule calls promise.
func runStarlark(t *testing.T, file string, src []byte) []string {
	t.Helper()
	var fetched []string
	rule := func(name string) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(_ *starlark.Thread, _ *starlark.Builtin, _ starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			pairs, err := rulePairs(kwargs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			fetched = append(fetched, pairs...)
			return starlark.None, nil
		})
	}
	rules := starlark.StringDict{}
	for _, name := range []string{"http_archive", "http_file", "git_repository"} {
		rules[name] = rule(name)
	}
	rules["maybe"] = starlark.NewBuiltin("maybe", func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("maybe: want the rule as the one positional argument, got %d", len(args))
		}
		return starlark.Call(th, args[0], nil, kwargs)
	})
	thread := &starlark.Thread{
		Name: file,
		Load: func(_ *starlark.Thread, module string) (starlark.StringDict, error) { return rules, nil },
	}
	// native reports no repository defined yet, as in a fresh WORKSPACE.
	native := starlarkstruct.FromStringDict(starlarkstruct.Default, starlark.StringDict{
		"existing_rule": starlark.NewBuiltin("existing_rule", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return starlark.None, nil
		}),
		"existing_rules": starlark.NewBuiltin("existing_rules", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return starlark.NewDict(0), nil
		}),
	})
	predeclared := starlark.StringDict{"native": native}
	if _, err := starlark.ExecFileOptions(&syntax.FileOptions{}, thread, file, src, predeclared); err != nil {
		t.Fatalf("go.starlark.net: %v", err)
	}
	sort.Strings(fetched)
	return fetched
}

// rulePairs reads a rule's url/urls and sha256/integrity as Bazel does:
// every URL is a mirror of one file with one digest.
func rulePairs(kwargs []starlark.Tuple) ([]string, error) {
	var urls []string
	var digest string
	for _, kv := range kwargs {
		key := string(kv[0].(starlark.String))
		switch key {
		case "url":
			urls = append(urls, string(kv[1].(starlark.String)))
		case "urls":
			it := starlark.Iterate(kv[1])
			var v starlark.Value
			for it.Next(&v) {
				urls = append(urls, string(v.(starlark.String)))
			}
			it.Done()
		case "sha256":
			s := strings.ToLower(string(kv[1].(starlark.String)))
			digest = "sha256:" + strings.TrimPrefix(s, "sha256:")
		case "integrity":
			s := string(kv[1].(starlark.String))
			alg, b64, ok := strings.Cut(s, "-")
			raw, err := base64.StdEncoding.DecodeString(b64)
			if !ok || err != nil {
				return nil, fmt.Errorf("integrity %q is not SRI", s)
			}
			digest = alg + ":" + hex.EncodeToString(raw)
		}
	}
	if digest == "" {
		return nil, nil
	}
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = u + " " + digest
	}
	return out, nil
}

// TestStarlarkUncalledDefs covers what the oracle cannot run: a def the
// file never calls (Bazel calls it from another file). Its literal records
// are pins; records that depend on a parameter are unresolved at their
// own line, naming the parameter; digests no record pairs are reported.
func TestStarlarkUncalledDefs(t *testing.T) {
	t.Parallel()
	file := filepath.Join(starlarkDir, "uncalled", "deps.bzl")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	res, err := extract.File(context.Background(), file, src, pin.Options{})
	if err != nil {
		t.Fatalf("extract.File: %v", err)
	}
	type pinRow struct{ URL, Digest, Symbol, Path string }
	var pins []pinRow
	for _, p := range res.Pins {
		pins = append(pins, pinRow{p.URL, p.Digest[:8], p.Symbol, p.Path})
	}
	wantPins := []pinRow{
		{"https://example.com/tool-1.2.bin", "0b3e0b3e", "go_rules_dependencies", `http_file(name="tool")`},
		{"https://example.com/templated-2.0.tar.gz", "1b3e0b3e", "go_rules_dependencies", `http_archive(name="templated")`},
	}
	if diff := cmp.Diff(wantPins, pins); diff != "" {
		t.Errorf("pins (-want +got):\n%s", diff)
	}
	type finding struct {
		Line    int
		Message string
	}
	var unresolved, invalid []finding
	for _, f := range res.Unresolved {
		unresolved = append(unresolved, finding{f.Line, f.Message})
	}
	for _, f := range res.Invalid {
		invalid = append(invalid, finding{f.Line, f.Message})
	}
	wantUnresolved := []finding{
		{9, `http_archive(name="io_bazel_rules_go"): urls depends on a value the evaluator cannot know: depends on parameter ` +
			"`version` of def go_rules_dependencies (line 4)"},
		{20, `http_file(name="patched"): sha256 depends on a value the evaluator cannot know: depends on parameter ` +
			"`sha` of def go_rules_dependencies (line 4)"},
		{32, "URL placeholder {release} has no value in its record (URL at line 31)"},
		{22, pin.MsgNoURL},
	}
	if diff := cmp.Diff(wantUnresolved, unresolved); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
	wantInvalid := []finding{{37, "md5 digests are not verified: pindrift checks sha256, sha384 and sha512"}}
	if diff := cmp.Diff(wantInvalid, invalid); diff != "" {
		t.Errorf("invalid (-want +got):\n%s", diff)
	}
}
