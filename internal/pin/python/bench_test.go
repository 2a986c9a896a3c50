package python

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
)

// realManifest is the newest real published.py, about 22 KB.
const realManifest = "../../../../shared/fixtures/smolvm-published/21_2026-06-14_269c1a5.py"

// BenchmarkExtract measures a whole extraction of the real manifest next to
// parsing plus conversion to the evaluator's tree, in the same run
// (syntax.BenchmarkParse measures tree-sitter parsing alone).
func BenchmarkExtract(b *testing.B) {
	src, err := os.ReadFile(realManifest)
	if err != nil {
		b.Skipf("real manifest not available (%v); the generated ones below still run", err)
	}
	b.Run("parse+convert", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if _, err := parseModule("m.py", src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("extract", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			res, err := Extract(context.Background(), "m.py", src, pin.Options{})
			if err != nil || len(res.Pins) == 0 {
				b.Fatalf("pins %v, err %v", res, err)
			}
		}
	})
}

// BenchmarkExtractScaling shows cost against file size on generated
// manifests shaped like the real one (helper functions building rows).
func BenchmarkExtractScaling(b *testing.B) {
	for _, blocks := range []int{1, 2, 4, 8} {
		src := generateManifest(blocks * 20)
		b.Run(fmt.Sprintf("%dKB", len(src)/1024), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				res, err := Extract(context.Background(), "m.py", src, pin.Options{})
				if err != nil || len(res.Pins) == 0 {
					b.Fatalf("pins %v, err %v", res, err)
				}
			}
		})
	}
}

// generateManifest writes a manifest with the real one's constructs: a
// pydantic-style record, URL helpers with f-strings and an environment
// override, module-level SHA constants and a helper expanding each preset
// into rows.
func generateManifest(presets int) []byte {
	var b strings.Builder
	b.WriteString(`import os
from pydantic import BaseModel

class Row(BaseModel):
    preset: str
    arch: str
    vmm: str
    kernel_url: str
    kernel_sha256: str
    rootfs_url: str
    rootfs_sha256: str
    model_config = {"frozen": True}

TAG = "images-2026.06.14.0"

def _tag() -> str:
    return os.environ.get("IMAGES_TAG") or TAG

def _url(preset: str, arch: str, suffix: str) -> str:
    return f"https://github.com/acme/images/releases/download/{_tag()}/{preset}-{arch}-{suffix}"

KERNEL_SHA = {"amd64": "` + strings.Repeat("a", 64) + `", "arm64": "` + strings.Repeat("b", 64) + `"}

def _rows(preset: str, amd64: str, arm64: str) -> dict:
    rows = {}
    for arch, sha in (("amd64", amd64), ("arm64", arm64)):
        for vmm in ("firecracker", "qemu", "libkrun"):
            rows[(preset, arch, vmm)] = Row(
                preset=preset, arch=arch, vmm=vmm,
                kernel_url=_url("kernel", arch, "vmlinux"),
                kernel_sha256=KERNEL_SHA[arch],
                rootfs_url=_url(preset, arch, "rootfs.ext4.zst"),
                rootfs_sha256=sha,
            )
    return rows

`)
	for i := 0; i < presets; i++ {
		fmt.Fprintf(&b, "# Rootfs SHAs for preset %d, copied from the build's step summary.\n", i)
		fmt.Fprintf(&b, "_P%d_AMD64 = \"%064x\"\n_P%d_ARM64 = \"%064x\"\n", i, i*2+1, i, i*2+2)
	}
	b.WriteString("\nMANIFEST = {\n")
	for i := 0; i < presets; i++ {
		fmt.Fprintf(&b, "    **_rows(\"preset-%d\", _P%d_AMD64, _P%d_ARM64),\n", i, i, i)
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// TestGeneratedManifest keeps the benchmark's input honest: every preset
// yields its six rows.
func TestGeneratedManifest(t *testing.T) {
	res, err := Extract(context.Background(), "gen.py", generateManifest(5), pin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pins) != 5*6*2 || len(res.Unresolved) != 0 {
		t.Fatalf("pins %d, unresolved %+v; want 60 pins", len(res.Pins), res.Unresolved)
	}
}
