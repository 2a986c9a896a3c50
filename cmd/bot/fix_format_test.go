package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// fixDocuments hold four drifted pins, one per encoding: SRI sha512 (A),
// sha256: prefixed hex (B), uppercase hex (C) and SRI sha256 (D); @URL@
// is the asset server.
var fixDocuments = map[string]string{
	"pins.json": `{
  "a": {"url": "@URL@/sri/kernel", "integrity": "@A@"},
  "b": {"url": "@URL@/prefix/rootfs", "sha256": "@B@"},
  "c": {"url": "@URL@/upper/kernel",
        "sha256": "@C@"},
  "d": {"url": "@URL@/sri256/rootfs", "integrity": "@D@"}
}
`,
	"pins.yaml": `# pins, kept by hand
a: {url: "@URL@/sri/kernel", integrity: "@A@"}
b:
  url: @URL@/prefix/rootfs
  sha256: '@B@'   # prefixed
c:
  url: @URL@/upper/kernel
  sha256: @C@
d:
  url: @URL@/sri256/rootfs
  integrity: "@D@"
`,
	"pins.toml": `# pins, kept by hand
a = { url = "@URL@/sri/kernel", integrity = "@A@" }

[b]
url = "@URL@/prefix/rootfs"
sha256 = '@B@'  # prefixed

[c]
url = "@URL@/upper/kernel"
sha256 = "@C@"

[d]
url = "@URL@/sri256/rootfs"
integrity = "@D@"
`,
}

// TestFixDocumentFormats: bot fix --write rewrites each drifted digest of
// a JSON, YAML and TOML file in its own encoding, changes no other byte,
// and leaves a file that still reads, with every pin now matching.
func TestFixDocumentFormats(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	old := []byte("the asset as it was when pinned")
	fill := func(tmpl, a, b, c, d string) string {
		return strings.NewReplacer("@URL@", srv.URL, "@A@", a, "@B@", b, "@C@", c, "@D@", d).Replace(tmpl)
	}
	for name, tmpl := range fixDocuments {
		t.Run(name, func(t *testing.T) {
			file := writeFile(t, name, fill(tmpl, sri512(old), "sha256:"+hexSum(old), strings.ToUpper(hexSum(old)), sri256(old)))
			code, out, errOut := runBot(t, "fix", "--quiet", "--allow-private-network", "--write", file)
			if code != exitOK {
				t.Fatalf("exit %d, want 0\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			// The whole file compared: only the four literals changed,
			// each in its own encoding.
			want := fill(tmpl, sri512(kernelBytes), "sha256:"+hexSum(rootfsBytes), strings.ToUpper(hexSum(kernelBytes)), sri256(rootfsBytes))
			got := readString(t, file)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("fixed file (-want +got):\n%s", diff)
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := extract.File(context.Background(), file, src, pin.Options{})
			if err != nil {
				t.Fatalf("the fixed file no longer reads: %v", err)
			}
			if len(res.Pins) != 4 || len(res.Unresolved)+len(res.Invalid) != 0 {
				t.Fatalf("fixed file: %d pins, %d unresolved, %d invalid; want 4, 0, 0", len(res.Pins), len(res.Unresolved), len(res.Invalid))
			}
			encodings := map[string]pin.Encoding{}
			for _, p := range res.Pins {
				encodings[strings.TrimPrefix(p.URL, srv.URL)] = p.Encoding
			}
			wantEnc := map[string]pin.Encoding{"/sri/kernel": pin.SRI, "/prefix/rootfs": pin.PrefixedHex, "/upper/kernel": pin.Hex, "/sri256/rootfs": pin.SRI}
			if diff := cmp.Diff(wantEnc, encodings); diff != "" {
				t.Errorf("encodings after the fix (-want +got):\n%s", diff)
			}
			code, out, errOut = runBot(t, "check", "--quiet", "--allow-private-network", file)
			if code != exitOK {
				t.Errorf("check after the fix: exit %d, want 0\n%s%s", code, out, errOut)
			}
		})
	}
}
