package record_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/record"
	"github.com/pindrift/pindrift/internal/pin/tree"
)

const (
	hexA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	hexB = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
	// sriA is hexA as SRI.
	sriA    = "sha256-ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8="
	hex512  = hexA + hexB
	upperA  = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	prefixB = "sha256:" + hexB
)

// got is what a test checks of a pin.
type got struct {
	URL, SHA256, Digest, Symbol, Path string
	Algorithm                         pin.Algorithm
	Encoding                          pin.Encoding
	Line, Column                      int
	Literal                           bool
}

type finding struct {
	Path, Message string
	Line, Column  int
}

func find(t *testing.T, format, src string, opts pin.Options) *pin.Result {
	t.Helper()
	parse := map[string]func(string, []byte, tree.Limits) (*tree.Node, error){
		"json": tree.ParseJSON, "yaml": tree.ParseYAML, "toml": tree.ParseTOML,
	}[format]
	root, err := parse("f."+format, []byte(src), tree.LimitsOf(opts))
	if err != nil {
		t.Fatal(err)
	}
	res, err := record.Find(context.Background(), "f."+format, root, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func pins(res *pin.Result) []got {
	out := []got{}
	for _, p := range res.Pins {
		out = append(out, got{URL: p.URL, SHA256: p.SHA256, Digest: p.Digest, Symbol: p.Symbol, Path: p.Path,
			Algorithm: p.Algorithm, Encoding: p.Encoding, Line: p.SHASpan.Line, Column: p.SHASpan.Column, Literal: p.SHALiteral})
	}
	return out
}

func findings(fs []pin.Finding) []finding {
	out := []finding{}
	for _, f := range fs {
		out = append(out, finding{Path: f.Path, Message: f.Message, Line: f.Line, Column: f.Column})
	}
	return out
}

func TestShapes(t *testing.T) {
	t.Parallel()
	sha := func(url, digest, sym, path string, line, col int) got {
		d, _ := pin.ParseDigest(digest)
		g := got{URL: url, Digest: d.Hex, Symbol: sym, Path: path, Algorithm: d.Algorithm, Encoding: d.Encoding, Line: line, Column: col, Literal: true}
		if d.Algorithm == pin.SHA256 {
			g.SHA256 = digest
		}
		return g
	}
	for _, tc := range []struct {
		name, format, src string
		opts              pin.Options
		pins              []got
		unresolved        []finding
		invalid           []finding
	}{{
		name:   "bazel central registry source.json",
		format: "json",
		src: `{
    "url": "https://github.com/x/y/archive/v1.tar.gz",
    "integrity": "` + sriA + `",
    "strip_prefix": "y-1",
    "patches": {
        "fix.patch": "` + sriA + `"
    },
    "mirror_urls": ["https://mirror.example/y/v1.tar.gz"]
}`,
		pins: []got{
			sha("https://github.com/x/y/archive/v1.tar.gz", sriA, ".", ".", 3, 18),
			sha("https://mirror.example/y/v1.tar.gz", sriA, ".", ".", 3, 18),
		},
		unresolved: []finding{{Path: "patches", Message: record.MsgNoURL, Line: 6, Column: 22}},
	}, {
		name:   "scoop manifest",
		format: "json",
		src: `{
  "version": "1.2",
  "url": "https://x/v1.2/a.zip",
  "hash": "` + hexA + `",
  "architecture": {
    "64bit": {"url": "https://x/a64.zip", "hash": "` + upperA + `"},
    "32bit": {"url": "https://x/a32.zip", "hash": "` + prefixB + `"}
  },
  "autoupdate": {
    "url": "https://x/v$version/a.zip",
    "hash": {"url": "$url.sha256"}
  }
}`,
		pins: []got{
			sha("https://x/v1.2/a.zip", hexA, ".", ".", 4, 11),
			sha("https://x/a64.zip", upperA, "architecture", "architecture.64bit", 6, 51),
			sha("https://x/a32.zip", prefixB, "architecture", "architecture.32bit", 7, 51),
		},
	}, {
		name:   "scoop lists of assets",
		format: "json",
		src:    `{"url": ["https://x/a", "https://x/b"], "hash": ["` + hexA + `", "` + hexB + `"]}`,
		pins:   []got{sha("https://x/a", hexA, ".", ".", 1, 50), sha("https://x/b", hexB, ".", ".", 1, 118)},
	}, {
		name:   "scoop list of one digest",
		format: "json",
		src:    `{"url": ["https://x/a", "https://y/a"], "hash": ["` + hexA + `"]}`,
		pins:   []got{sha("https://x/a", hexA, ".", ".", 1, 50), sha("https://y/a", hexA, ".", ".", 1, 50)},
	}, {
		name:       "scoop lists that do not pair",
		format:     "json",
		src:        `{"url": "https://x/a", "hash": ["` + hexA + `", "nope"]}`,
		unresolved: []finding{{Path: ".", Message: record.MsgListMismatch, Line: 1, Column: 33}},
		invalid:    []finding{{Path: ".", Message: record.MsgInvalid, Line: 1, Column: 101}},
	}, {
		name:   "conandata.yml",
		format: "yaml",
		src: `sources:
  "1.2.3":
    url:
      - "https://a.example/z-1.2.3.tgz"
      - "https://b.example/z-1.2.3.tgz"
    sha256: "` + hexA + `"
patches:
  "1.2.3":
    - patch_file: "patches/fix.patch"
`,
		pins: []got{
			sha("https://a.example/z-1.2.3.tgz", hexA, "sources", `sources["1.2.3"]`, 6, 13),
			sha("https://b.example/z-1.2.3.tgz", hexA, "sources", `sources["1.2.3"]`, 6, 13),
		},
	}, {
		name:   "winget installer manifest",
		format: "yaml",
		src: `PackageIdentifier: X.Y
PackageVersion: 1.2
Installers:
  - Architecture: x64
    InstallerUrl: https://x/y-x64.msi
    InstallerSha256: ` + upperA + `
  - Architecture: arm64
    InstallerUrl: https://x/y-arm64.msi
    InstallerSha256: ` + upperA + `
ManifestType: installer
`,
		pins: []got{
			sha("https://x/y-x64.msi", upperA, "Installers", "Installers[0]", 6, 22),
			sha("https://x/y-arm64.msi", upperA, "Installers", "Installers[1]", 9, 22),
		},
	}, {
		name:   "toml assets and downloads by stem",
		format: "toml",
		src: `[[assets]]
url = "https://x/a.tgz"
sha256 = "` + hexA + `"

[tool.x.downloads]
linux_url = "https://x/linux.tgz"
linux_sha256 = "` + hexA + `"
mac_url = "https://x/mac.tgz"
mac_sha256 = 'sha512:` + hex512 + `'
`,
		pins: []got{
			sha("https://x/a.tgz", hexA, "assets", "assets[0]", 3, 10),
			sha("https://x/linux.tgz", hexA, "tool", "tool.x.downloads", 7, 16),
			sha("https://x/mac.tgz", "sha512:"+hex512, "tool", "tool.x.downloads", 9, 14),
		},
	}, {
		name:   "url template filled from its record",
		format: "json",
		src:    `{"version": "1.2", "arch": "x64", "url": "https://x/v{version}/{arch}.tgz", "sha256": "` + hexA + `"}`,
		pins:   []got{sha("https://x/v1.2/x64.tgz", hexA, ".", ".", 1, 87)},
	}, {
		name:   "url template with a missing placeholder",
		format: "yaml",
		src:    "version: '1.2'\nurl: https://x/v{version}/{arch}.tgz\nsha256: " + hexA + "\n",
		unresolved: []finding{{Path: ".", Line: 3, Column: 9,
			Message: "URL placeholder {arch} has no value in its record (URL at line 2)"}},
	}, {
		name:       "one pairable and one unpairable digest",
		format:     "yaml",
		src:        "assets:\n  - url: https://x/a\n    sha256: " + hexA + "\n  - name: b\n    sha256: " + hexB + "\n",
		pins:       []got{sha("https://x/a", hexA, "assets", "assets[0]", 3, 13)},
		unresolved: []finding{{Path: "assets[1]", Message: record.MsgNoURL, Line: 5, Column: 13}},
	}, {
		name:       "bad digest under a digest key, and a stray one",
		format:     "json",
		src:        "{\"url\": \"https://x/a\", \"sha256\": \"abc\",\n \"notes\": [\"sha256:zz\", \"" + hexB + "\"]}",
		invalid:    []finding{{Path: ".", Message: record.MsgInvalid, Line: 1, Column: 34}, {Path: "notes", Message: record.MsgLooksLike, Line: 2, Column: 12}},
		unresolved: []finding{{Path: "notes", Message: record.MsgNoURL, Line: 2, Column: 25}},
	}, {
		name:   "fields from the options",
		format: "toml",
		src:    "download = \"https://x/a\"\ndigest = \"" + hexA + "\"\n",
		opts:   pin.Options{Fields: pin.Fields{URL: []string{"download"}, Digest: []string{"digest"}}},
		pins:   []got{sha("https://x/a", hexA, ".", ".", 2, 10)},
	}, {
		name:   "escaped digest is not literal",
		format: "json",
		src:    `{"url": "https://x/a", "sha256": "\u0030123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}`,
		pins: []got{{URL: "https://x/a", SHA256: hexA, Digest: hexA, Symbol: ".", Path: ".", Algorithm: pin.SHA256,
			Encoding: pin.Hex, Line: 1, Column: 34}},
	}, {
		name:       "digest as a key",
		format:     "json",
		src:        `{"files": {"` + hexA + `": "a.txt"}}`,
		unresolved: []finding{{Path: "files", Message: record.MsgKey, Line: 1, Column: 12}},
	}, {
		name:    "digest of an algorithm pindrift does not verify",
		format:  "yaml",
		src:     "url: https://x/a\nhash: sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709\n",
		invalid: []finding{{Path: ".", Message: "sha1 digests are not verified: pindrift checks sha256, sha384 and sha512", Line: 2, Column: 7}},
	}, {
		name:       "yaml alias reports a stray digest once",
		format:     "yaml",
		src:        "a: &x {sha256: " + hexA + "}\nb: *x\n",
		unresolved: []finding{{Path: "a", Message: record.MsgNoURL, Line: 1, Column: 16}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := find(t, tc.format, tc.src, tc.opts)
			if tc.pins == nil {
				tc.pins = []got{}
			}
			if diff := cmp.Diff(tc.pins, pins(res)); diff != "" {
				t.Errorf("pins (-want +got):\n%s", diff)
			}
			if tc.unresolved == nil {
				tc.unresolved = []finding{}
			}
			if diff := cmp.Diff(tc.unresolved, findings(res.Unresolved)); diff != "" {
				t.Errorf("unresolved (-want +got):\n%s", diff)
			}
			if tc.invalid == nil {
				tc.invalid = []finding{}
			}
			if diff := cmp.Diff(tc.invalid, findings(res.Invalid)); diff != "" {
				t.Errorf("invalid (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWalkBudget(t *testing.T) {
	t.Parallel()
	src := "[" + strings.TrimSuffix(strings.Repeat(`"x",`, 3000), ",") + "]"
	root, err := tree.ParseJSON("f.json", []byte(src), tree.LimitsOf(pin.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = record.Find(context.Background(), "f.json", root, pin.Options{MaxNodes: 100})
	var be *pin.BudgetError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "more than 100 nodes") {
		t.Errorf("error %v, want a BudgetError over 100 nodes", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := record.Find(ctx, "f.json", root, pin.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
