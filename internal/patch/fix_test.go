package patch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/verify"
)

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

var (
	o1, o2, o3, o4, o5 = digest("old1"), digest("old2"), digest("old3"), digest("old4"), digest("old5")
	n1, n2             = digest("new1"), digest("new2")
)

func drift(url, got string) Live { return Live{URL: url, Status: verify.StatusDrift, Digest: got} }
func ok(url, got string) Live    { return Live{URL: url, Status: verify.StatusOK, Digest: got} }
func missing(url string) Live    { return Live{URL: url, Status: verify.StatusMissing} }

func lives(ls ...Live) map[string]Live {
	m := map[string]Live{}
	for _, l := range ls {
		m[l.URL] = l
	}
	return m
}

// src replaces the placeholders O1..O5 and N1 in a manifest template.
func src(tmpl string) []byte {
	return []byte(strings.NewReplacer("O1", o1, "O2", o2, "O3", o3, "O4", o4, "O5", o5, "N1", n1).Replace(tmpl))
}

const dataclassHeader = `from dataclasses import dataclass

@dataclass(frozen=True)
class Image:
    url: str
    sha256: str

@dataclass(frozen=True)
class Row:
    kernel_url: str
    kernel_sha256: str
    rootfs_url: str
    rootfs_sha256: str

`

// wantChange and wantRefusal are the parts of Change and Refusal a reader
// of the fix acts on.
type wantChange struct {
	Line     int
	Old, New string
	URLs     []string
	Pins     int
}

type wantRefusal struct {
	Reason Reason
	Line   int
	URLs   []string
	// Says are substrings the message must contain.
	Says []string
}

func TestFix(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		src     []byte
		live    map[string]Live
		verdict Verdict
		changes []wantChange
		refused []wantRefusal
	}{
		"dict of dicts, double quotes, one of two drifted": {
			src: src(`MANIFEST = {
    "k": {"url": "https://x/k", "sha256": "O1"},
    "r": {"url": "https://x/r", "sha256": "O2"},
}
`),
			live:    lives(drift("https://x/k", n1), ok("https://x/r", o2)),
			verdict: VerdictComplete,
			changes: []wantChange{{Line: 2, Old: o1, New: n1, URLs: []string{"https://x/k"}, Pins: 1}},
		},
		"single quotes": {
			src:     src("MANIFEST = {'k': {'url': 'https://x/k', 'sha256': 'O1'}}\n"),
			live:    lives(drift("https://x/k", n1)),
			verdict: VerdictComplete,
			changes: []wantChange{{Line: 1, Old: o1, New: n1, URLs: []string{"https://x/k"}, Pins: 1}},
		},
		"triple quotes of both kinds": {
			src: src(`MANIFEST = {
    "a": {"url": "https://x/a", "sha256": """O1"""},
    "b": {"url": "https://x/b", "sha256": '''O2'''},
}
`),
			live:    lives(drift("https://x/a", n1), drift("https://x/b", n2)),
			verdict: VerdictComplete,
			changes: []wantChange{
				{Line: 2, Old: o1, New: n1, URLs: []string{"https://x/a"}, Pins: 1},
				{Line: 3, Old: o2, New: n2, URLs: []string{"https://x/b"}, Pins: 1},
			},
		},
		"prefixes u r U R and f without fields": {
			src: src(`MANIFEST = {
    "a": {"url": "https://x/a", "sha256": u"O1"},
    "b": {"url": "https://x/b", "sha256": r'O2'},
    "c": {"url": "https://x/c", "sha256": U"""O3"""},
    "d": {"url": "https://x/d", "sha256": R'''O4'''},
    "e": {"url": "https://x/e", "sha256": F"O5"},
}
`),
			live: lives(drift("https://x/a", n1), drift("https://x/b", n1), drift("https://x/c", n2),
				drift("https://x/d", n2), drift("https://x/e", n1)),
			verdict: VerdictComplete,
			changes: []wantChange{
				{Line: 2, Old: o1, New: n1, URLs: []string{"https://x/a"}, Pins: 1},
				{Line: 3, Old: o2, New: n1, URLs: []string{"https://x/b"}, Pins: 1},
				{Line: 4, Old: o3, New: n2, URLs: []string{"https://x/c"}, Pins: 1},
				{Line: 5, Old: o4, New: n2, URLs: []string{"https://x/d"}, Pins: 1},
				{Line: 6, Old: o5, New: n1, URLs: []string{"https://x/e"}, Pins: 1},
			},
		},
		"keyword argument in a record, parenthesized over lines": {
			src: src(dataclassHeader + `MANIFEST = {
    "k": Image(
        url="https://x/k",
        sha256=(
            "O1"
        ),
    ),
}
`),
			live:    lives(drift("https://x/k", n1)),
			verdict: VerdictComplete,
			changes: []wantChange{{Line: 19, Old: o1, New: n1, URLs: []string{"https://x/k"}, Pins: 1}},
		},
		"module constant shared by rows, rewritten once": {
			src: src(dataclassHeader + `KERNEL_URL = "https://x/vmlinux"
KERNEL_SHA = "O1"

MANIFEST = {
    "a": Row(kernel_url=KERNEL_URL, kernel_sha256=KERNEL_SHA, rootfs_url="https://x/a", rootfs_sha256="O2"),
    "b": Row(kernel_url=KERNEL_URL, kernel_sha256=KERNEL_SHA, rootfs_url="https://x/b", rootfs_sha256="O3"),
}
`),
			live:    lives(drift("https://x/vmlinux", n1), ok("https://x/a", o2), ok("https://x/b", o3)),
			verdict: VerdictComplete,
			changes: []wantChange{{Line: 16, Old: o1, New: n1, URLs: []string{"https://x/vmlinux"}, Pins: 2}},
		},
		"BASE_KERNELS constant feeding two URLs that drifted alike": {
			src: src(`SHARED = "O1"
BASE_KERNELS = {
    "elf": {"url": "https://x/k1", "sha256": SHARED},
    "image": {"url": "https://x/k2", "sha256": SHARED},
}
`),
			live:    lives(drift("https://x/k1", n1), drift("https://x/k2", n1)),
			verdict: VerdictComplete,
			changes: []wantChange{{Line: 1, Old: o1, New: n1, URLs: []string{"https://x/k1", "https://x/k2"}, Pins: 2}},
		},
		"uppercase hex stays uppercase": {
			src:     []byte(`MANIFEST = {"k": {"url": "https://x/k", "sha256": "` + strings.ToUpper(o1) + `"}}` + "\n"),
			live:    lives(drift("https://x/k", n1)),
			verdict: VerdictComplete,
			changes: []wantChange{{Line: 1, Old: strings.ToUpper(o1), New: strings.ToUpper(n1), URLs: []string{"https://x/k"}, Pins: 1}},
		},
		"an uppercase pin of the live bytes is not drift": {
			src:     []byte(`MANIFEST = {"k": {"url": "https://x/k", "sha256": "` + strings.ToUpper(o1) + `"}}` + "\n"),
			live:    lives(ok("https://x/k", o1)),
			verdict: VerdictClean,
		},
		"nothing drifted": {
			src:     src(`MANIFEST = {"k": {"url": "https://x/k", "sha256": "O1"}}` + "\n"),
			live:    lives(ok("https://x/k", o1)),
			verdict: VerdictClean,
		},
		"shared literal, one URL drifted and one did not: ambiguous": {
			src: src(`SHARED = "O1"
MANIFEST = {
    "a": {"url": "https://x/k1", "sha256": SHARED},
    "b": {"url": "https://x/k2", "sha256": SHARED},
    "c": {"url": "https://x/c", "sha256": "O2"},
}
`),
			live:    lives(drift("https://x/k1", n1), ok("https://x/k2", o1), drift("https://x/c", n2)),
			verdict: VerdictPartial,
			changes: []wantChange{{Line: 5, Old: o2, New: n2, URLs: []string{"https://x/c"}, Pins: 1}},
			refused: []wantRefusal{{Reason: ReasonAmbiguous, Line: 1, URLs: []string{"https://x/k1", "https://x/k2"},
				Says: []string{"m.py:1:10", "https://x/k1 is now " + n1, "https://x/k2 is now " + o1}}},
		},
		"shared literal, both drifted to different digests: ambiguous": {
			src: src(`SHARED = "O1"
MANIFEST = {
    "a": {"url": "https://x/k1", "sha256": SHARED},
    "b": {"url": "https://x/k2", "sha256": SHARED},
}
`),
			live:    lives(drift("https://x/k1", n1), drift("https://x/k2", n2)),
			verdict: VerdictRefused,
			refused: []wantRefusal{{Reason: ReasonAmbiguous, Line: 1, URLs: []string{"https://x/k1", "https://x/k2"},
				Says: []string{"https://x/k1 is now " + n1, "https://x/k2 is now " + n2}}},
		},
		"shared literal, other URL unverified": {
			src: src(`SHARED = "O1"
MANIFEST = {
    "a": {"url": "https://x/k1", "sha256": SHARED},
    "b": {"url": "https://x/k2", "sha256": SHARED},
    "c": {"url": "https://x/k3", "sha256": SHARED},
}
`),
			live:    lives(drift("https://x/k1", n1), missing("https://x/k2")),
			verdict: VerdictRefused,
			refused: []wantRefusal{{Reason: ReasonUnverified, Line: 1, URLs: []string{"https://x/k1", "https://x/k2", "https://x/k3"},
				Says: []string{"https://x/k2 (missing)", "https://x/k3 (not verified)"}}},
		},
		"concatenated SHA is not a literal": {
			src: []byte(`HEAD = "` + o1[:32] + `"
MANIFEST = {"k": {"url": "https://x/k", "sha256": HEAD + "` + o1[32:] + `"}}
`),
			live:    lives(drift("https://x/k", n1)),
			verdict: VerdictRefused,
			refused: []wantRefusal{{Reason: ReasonNotLiteral, Line: 2, URLs: []string{"https://x/k"},
				Says: []string{`MANIFEST["k"]`, "not one plain string literal", "https://x/k is now " + n1}}},
		},
		"f-string SHA is not a literal": {
			src: []byte(`HEAD = "` + o1[:32] + `"
MANIFEST = {"k": {"url": "https://x/k", "sha256": f"{HEAD}` + o1[32:] + `"}}
`),
			live:    lives(drift("https://x/k", n1)),
			verdict: VerdictRefused,
			refused: []wantRefusal{{Reason: ReasonNotLiteral, Line: 2, URLs: []string{"https://x/k"}}},
		},
		"code branching on the SHA fails validation": {
			src: src(`SHA = "O1"
if SHA == "O1":
    URL = "https://x/k"
else:
    URL = "https://x/elsewhere"
MANIFEST = {"k": {"url": URL, "sha256": SHA}}
`),
			live:    lives(drift("https://x/k", n1)),
			verdict: VerdictRefused,
			refused: []wantRefusal{{Reason: ReasonValidation, URLs: nil, Says: []string{"does not extract to the expected pins"}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := Fix(context.Background(), "m.py", tc.src, pin.Options{}, tc.live)
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != tc.verdict {
				t.Errorf("verdict %q, want %q (refused: %+v)", res.Verdict, tc.verdict, res.Refused)
			}
			var gotChanges []wantChange
			for _, c := range res.Changes {
				gotChanges = append(gotChanges, wantChange{Line: c.Span.Line, Old: c.Old, New: c.New, URLs: c.URLs, Pins: len(c.Pins)})
			}
			if diff := cmp.Diff(tc.changes, gotChanges); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			var gotRefused []wantRefusal
			for i, r := range res.Refused {
				var urls []string
				for _, u := range r.URLs {
					urls = append(urls, u.URL)
				}
				w := wantRefusal{Reason: r.Reason, Line: r.Span.Line, URLs: urls}
				if i < len(tc.refused) {
					for _, s := range tc.refused[i].Says {
						if !strings.Contains(r.Message, s) {
							t.Errorf("refusal message %q does not say %q", r.Message, s)
						}
					}
					w.Says = tc.refused[i].Says
				}
				gotRefused = append(gotRefused, w)
			}
			if diff := cmp.Diff(tc.refused, gotRefused); diff != "" {
				t.Errorf("refusals (-want +got):\n%s", diff)
			}
			if res.Complete != (tc.verdict == VerdictComplete || tc.verdict == VerdictClean) {
				t.Errorf("Complete = %v with verdict %q", res.Complete, res.Verdict)
			}
			checkPatched(t, res, tc.live, pin.Options{})
		})
	}
}

// checkPatched asserts what a fix promises: the patched file differs from
// the original only in the digits of its changes, each change wrote the
// live digest, and extraction of the patched file gives every pin fed by a
// changed literal the live digest and leaves every other pin as it was.
func checkPatched(t *testing.T, res *Result, live map[string]Live, opts pin.Options) {
	t.Helper()
	if len(res.Patched) != len(res.Original) {
		t.Fatalf("patched is %d bytes, original %d", len(res.Patched), len(res.Original))
	}
	if !res.Changed() && !bytes.Equal(res.Patched, res.Original) {
		t.Fatal("no changes, but the patched bytes differ")
	}
	inChange := make([]bool, len(res.Original))
	changed := map[[2]int]bool{}
	for _, c := range res.Changes {
		if c.At <= c.Span.Start || c.At+64 >= c.Span.End {
			t.Errorf("change at %d lies outside its literal %+v", c.At, c.Span)
		}
		if got := string(res.Original[c.At : c.At+64]); got != c.Old {
			t.Errorf("original digits at %d are %s, change says %s", c.At, got, c.Old)
		}
		if got := string(res.Patched[c.At : c.At+64]); got != c.New {
			t.Errorf("patched digits at %d are %s, change says %s", c.At, got, c.New)
		}
		for i := c.At; i < c.At+64; i++ {
			inChange[i] = true
		}
		changed[[2]int{c.Span.Start, c.Span.End}] = true
	}
	for i := range res.Original {
		if !inChange[i] && res.Original[i] != res.Patched[i] {
			t.Fatalf("byte %d changed outside every change: %q -> %q", i, res.Original[i], res.Patched[i])
		}
	}
	before, err := extract.File(context.Background(), res.File, res.Original, opts)
	if err != nil {
		t.Fatal(err)
	}
	after, err := extract.File(context.Background(), res.File, res.Patched, opts)
	if err != nil {
		t.Fatalf("patched file does not extract: %v", err)
	}
	if len(after.Pins) != len(before.Pins) {
		t.Fatalf("patched file has %d pins, original %d", len(after.Pins), len(before.Pins))
	}
	for i, p := range after.Pins {
		if changed[[2]int{p.SHASpan.Start, p.SHASpan.End}] {
			if !strings.EqualFold(p.SHA256, live[p.URL].Digest) {
				t.Errorf("%s pins %s after the fix, live is %s", p.Path, p.SHA256, live[p.URL].Digest)
			}
			continue
		}
		if diff := cmp.Diff(before.Pins[i], p); diff != "" {
			t.Errorf("pin not fed by a changed literal changed (-before +after):\n%s", diff)
		}
	}
}

// TestFixRefusesSpanThatDoesNotHoldTheSHA feeds a result whose span points
// at the wrong text, as a stale or buggy extraction would.
func TestFixRefusesSpanThatDoesNotHoldTheSHA(t *testing.T) {
	t.Parallel()
	code := src(`A = "O1"
B = "O2"
MANIFEST = {"k": {"url": "https://x/k", "sha256": A}}
`)
	res, err := extract.File(context.Background(), "m.py", code, pin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pins) != 1 {
		t.Fatalf("want 1 pin, got %d", len(res.Pins))
	}
	// Point the pin at B's literal, on line 2.
	i := bytes.Index(code, []byte(`"`+o2))
	res.Pins[0].SHASpan = pin.Span{Start: i, End: i + 66, Line: 2, Column: 5}
	out := fixExtracted(context.Background(), extract.File, "m.py", code, pin.Options{}, res, lives(drift("https://x/k", n1)))
	if out.Verdict != VerdictRefused || len(out.Refused) != 1 || out.Refused[0].Reason != ReasonMismatch {
		t.Fatalf("want one mismatch refusal, got verdict %q refused %+v", out.Verdict, out.Refused)
	}
	if msg := out.Refused[0].Message; !strings.Contains(msg, "m.py:2:5") || !strings.Contains(msg, "does not contain the pinned SHA-256") {
		t.Errorf("message %q should name m.py:2:5 and say the literal lacks the SHA", msg)
	}
	if !bytes.Equal(out.Patched, code) {
		t.Error("refused fix changed the file")
	}
}

func TestLocateDigest(t *testing.T) {
	t.Parallel()
	sha := o1
	tests := map[string]struct {
		lit     string
		wantErr string
	}{
		"plain":             {lit: `"` + sha + `"`},
		"raw upper":         {lit: `R"` + strings.ToUpper(sha) + `"`},
		"triple":            {lit: `'''` + sha + `'''`},
		"not a literal":     {lit: `SHA + "x"`, wantErr: "not a string literal"},
		"unterminated":      {lit: `"` + sha, wantErr: "not a string literal"},
		"absent":            {lit: `"` + o2 + `"`, wantErr: "does not contain"},
		"twice":             {lit: `"` + sha + sha + `"`, wantErr: "2 times"},
		"prefix too long":   {lit: `abc"` + sha + `"`, wantErr: "not a string literal"},
		"span out of range": {lit: "", wantErr: "outside"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			file := []byte("X = " + tc.lit + "\n")
			span := pin.Span{Start: 4, End: 4 + len(tc.lit)}
			at, written, _, err := locateDigest(file, span, pin.Key{Algorithm: pin.SHA256, Hex: sha})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.EqualFold(written, sha) || string(file[at:at+64]) != written {
				t.Errorf("located %q at %d", written, at)
			}
		})
	}
}

func TestLiveFromOutcomes(t *testing.T) {
	t.Parallel()
	got := LiveFromOutcomes([]verify.Outcome{
		{URL: "https://x/a", Status: verify.StatusDrift, Got: strings.ToUpper(n1)},
		{URL: "https://x/b", Status: verify.StatusOK, Got: o1},
		{URL: "https://x/c", Status: verify.StatusMissing},
		{URL: "https://x/d", Status: verify.StatusUnreachable, Got: "partial"},
		{Status: verify.StatusUnresolved, Finding: &pin.Finding{Line: 3}},
	})
	want := lives(drift("https://x/a", n1), ok("https://x/b", o1), missing("https://x/c"),
		Live{URL: "https://x/d", Status: verify.StatusUnreachable})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestFixRealManifests moves every pin of each published SmolVM manifest
// to a new digest and checks that exactly the digits of every SHA literal
// changed and that extraction then yields the new digests.
func TestFixRealManifests(t *testing.T) {
	t.Parallel()
	dir := "../../../shared/fixtures/smolvm-published"
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("fixture folder %s is absent; the published smolvm manifests are not patched", dir)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.py"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s (%v)", dir, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			code, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			orig, err := extract.File(context.Background(), path, code, pin.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(orig.Pins) == 0 {
				t.Fatal("no pins")
			}
			// Each URL's new digest derives from its first pin's SHA, so a
			// literal shared by URLs with the same old SHA moves as one.
			live := map[string]Live{}
			for _, p := range orig.Pins {
				if _, seen := live[p.URL]; !seen {
					live[p.URL] = drift(p.URL, digest(strings.ToLower(p.SHA256)))
				}
			}
			res, err := Fix(context.Background(), path, code, pin.Options{}, live)
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != VerdictComplete || res.Fixed != len(orig.Pins) {
				t.Fatalf("verdict %q, fixed %d of %d pins; refused: %+v", res.Verdict, res.Fixed, len(orig.Pins), res.Refused)
			}
			// Every distinct literal is rewritten, and nothing else.
			spans := map[[2]int]bool{}
			for _, p := range orig.Pins {
				spans[[2]int{p.SHASpan.Start, p.SHASpan.End}] = true
			}
			if len(res.Changes) != len(spans) {
				t.Errorf("%d changes for %d distinct literals", len(res.Changes), len(spans))
			}
			checkPatched(t, res, live, pin.Options{})
			after, err := extract.File(context.Background(), path, res.Patched, pin.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range after.Pins {
				if p.SHA256 != live[p.URL].Digest {
					t.Errorf("%s: %s, want %s", p.Path, p.SHA256, live[p.URL].Digest)
				}
			}
		})
	}
}
