package python

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
)

// cratesBzl generates a file shaped like rules_rust's crates.bzl: one def,
// never called in the file, holding n maybe(http_archive, ...) calls with
// literal urls, sha256 and strip_prefix.
func cratesBzl(n int) []byte {
	var b strings.Builder
	b.WriteString(`load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")` + "\n")
	b.WriteString(`load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")` + "\n\n")
	b.WriteString("def crate_repositories():\n")
	for i := range n {
		fmt.Fprintf(&b, `    maybe(
        http_archive,
        name = "crates__crate%[1]d-1.0.%[1]d",
        sha256 = "%[2]x",
        type = "tar.gz",
        urls = ["https://static.crates.io/crates/crate%[1]d/1.0.%[1]d/download"],
        strip_prefix = "crate%[1]d-1.0.%[1]d",
        build_file = Label("@crates//crates:BUILD.crate%[1]d-1.0.%[1]d.bazel"),
    )
`, i, sha256.Sum256([]byte(fmt.Sprint(i))))
	}
	return []byte(b.String())
}

func TestCratesBzlPins(t *testing.T) {
	t.Parallel()
	res, err := Extract(context.Background(), "crates.bzl", cratesBzl(300), pin.Options{Format: pin.Starlark})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pins) != 300 || len(res.Unresolved)+len(res.Invalid) != 0 {
		t.Fatalf("got %d pins, unresolved %v, invalid %v; want 300 pins and no findings", len(res.Pins), res.Unresolved, res.Invalid)
	}
	if p := res.Pins[299]; p.Symbol != "crate_repositories" || p.Path != `http_archive(name="crates__crate299-1.0.299")` ||
		p.URL != "https://static.crates.io/crates/crate299/1.0.299/download" {
		t.Errorf("last pin %+v", p)
	}
}

// BenchmarkCratesBzl measures a 300-pin crates.bzl; the goal is under 50 ms.
func BenchmarkCratesBzl(b *testing.B) {
	src := cratesBzl(300)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Extract(context.Background(), "crates.bzl", src, pin.Options{Format: pin.Starlark})
		if err != nil || len(res.Pins) != 300 {
			b.Fatalf("pins %d, err %v", len(res.Pins), err)
		}
	}
}
