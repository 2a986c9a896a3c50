package extract_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

const (
	hexA   = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	hexNew = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
	sriA   = "sha256-ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8="
	upperA = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
)

// TestRewriteInPlace replaces each digest literal's bytes with a new
// digest in the same form, as bot fix does, and checks that the document
// still parses to the same pins with only that digest changed, and that
// every other byte is untouched.
func TestRewriteInPlace(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, file, src string }{
		{"json", "source.json", `{
  "url": "https://x/a.tgz",
  "integrity": "` + sriA + `",
  "architecture": {"64bit": {"url": "https://x/b.zip", "hash": "` + upperA + `"}},
  "other": {"url": "https://x/c.zip", "sha256": "sha256:` + hexA + `"}
}
`},
		{"yaml", "conandata.yml", `sources:
  "1.2":
    url: ["https://x/a.tgz", 'https://y/a.tgz']
    sha256: "` + hexA + `"
  "1.3": {url: https://x/b.tgz, sha256: '` + sriA + `'}
Installers:
  - InstallerUrl: https://x/c.msi
    InstallerSha256: ` + upperA + ` # checked
`},
		{"toml", "assets.toml", `[[assets]]
url = "https://x/a.tgz"
sha256 = "` + hexA + `"

[tool.x.downloads]
linux_url = 'https://x/l.tgz'
linux_sha256 = 'sha256:` + upperA + `'
inline = {url = "https://x/i.tgz", integrity = "` + sriA + `"}
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			before := extractOK(t, tc.file, tc.src)
			spans := map[pin.Span]string{}
			for _, p := range before.Pins {
				if !p.SHALiteral {
					t.Fatalf("pin %s at %d:%d is not literal", p.URL, p.SHASpan.Line, p.SHASpan.Column)
				}
				spans[p.SHASpan] = p.URL
			}
			if len(spans) < 3 {
				t.Fatalf("%d digest literals, want at least 3", len(spans))
			}
			for span := range spans {
				lit := tc.src[span.Start:span.End]
				var old pin.Digest
				var at int
				for q := 0; q <= 1 && old.Hex == ""; q++ {
					if d, ok := pin.ParseDigest(lit[q : len(lit)-q]); ok {
						old, at = d, span.Start+q
					}
				}
				if old.Hex == "" {
					t.Fatalf("literal %q at %d:%d holds no digest", lit, span.Line, span.Column)
				}
				written := old.String()
				if tc.src[at:at+len(written)] != written {
					t.Fatalf("literal %q does not write %q at its start", lit, written)
				}
				edited := tc.src[:at] + old.Format(hexNew) + tc.src[at+len(written):]
				if len(edited) != len(tc.src) {
					t.Fatalf("rewrite changed the length: %q", old.Format(hexNew))
				}
				after := extractOK(t, tc.file, edited)
				want := make([]pin.Pin, len(before.Pins))
				for i, p := range before.Pins {
					if p.SHASpan == span {
						d, _ := pin.ParseDigest(old.Format(hexNew))
						p.SetDigest(d)
						if d.Algorithm == pin.SHA256 {
							p.SHA256 = old.Format(hexNew)
						}
					}
					want[i] = p
				}
				if diff := cmp.Diff(want, after.Pins); diff != "" {
					t.Errorf("pins after rewriting %d:%d (-want +got):\n%s", span.Line, span.Column, diff)
				}
				if tc.src[:span.Start] != edited[:span.Start] || tc.src[span.End:] != edited[span.End:] {
					t.Errorf("rewriting %d:%d changed bytes outside the literal", span.Line, span.Column)
				}
			}
		})
	}
}

func extractOK(t *testing.T, file, src string) *pin.Result {
	t.Helper()
	res, err := extract.File(context.Background(), file, []byte(src), pin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unresolved)+len(res.Invalid) > 0 {
		t.Fatalf("findings: %+v %+v", res.Unresolved, res.Invalid)
	}
	return res
}

// BenchmarkTable extracts generated 2,000-digest tables: a Scoop-like JSON
// manifest and a conandata-like YAML file.
func BenchmarkTable(b *testing.B) {
	const n = 2000
	var js, ym strings.Builder
	js.WriteString("{\"architecture\": {\n")
	ym.WriteString("sources:\n")
	for i := range n {
		if i > 0 {
			js.WriteString(",\n")
		}
		v := strconv.Itoa(i)
		js.WriteString(`  "a` + v + `": {"url": "https://dl.example/app/v` + v + `/app.zip", "hash": "` + hexA + `"}`)
		ym.WriteString("  \"1." + v + "\":\n    url:\n      - \"https://a.example/z-1." + v + ".tgz\"\n      - \"https://b.example/z-1." + v + ".tgz\"\n    sha256: \"" + hexA + "\"\n")
	}
	js.WriteString("\n}}\n")
	for _, tc := range []struct {
		file, src string
		pins      int
	}{{"bucket/app.json", js.String(), n}, {"conandata.yml", ym.String(), 2 * n}} {
		b.Run(tc.file, func(b *testing.B) {
			src := []byte(tc.src)
			b.SetBytes(int64(len(src)))
			cpu := cpuTime()
			for b.Loop() {
				res, err := extract.File(context.Background(), tc.file, src, pin.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Pins) != tc.pins {
					b.Fatalf("%d pins, want %d", len(res.Pins), tc.pins)
				}
			}
			if used := cpuTime() - cpu; used > 0 {
				// GC work on other threads is counted too, so this is an
				// upper bound on one extraction's CPU time.
				b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
