package patch

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// lineExtract reads a small synthetic format, one pin a line:
//
//	<url> <digest literal>
//
// (lines starting with # are comments) where the literal is quoted ("..." or '...') or bare, in any form
// pin.ParseDigest reads. It stands in for the formats that write digests
// other than sha256 hex, which the Python evaluator never reports.
func lineExtract(_ context.Context, file string, src []byte, _ pin.Options) (*pin.Result, error) {
	res := &pin.Result{File: file}
	off := 0
	for n, line := range strings.SplitAfter(string(src), "\n") {
		text := strings.TrimRight(line, "\n")
		url, lit, ok := strings.Cut(text, " ")
		if ok && !strings.HasPrefix(text, "#") {
			start := off + len(url) + 1
			content := strings.Trim(lit, `"'`)
			d, ok := pin.ParseDigest(content)
			if !ok {
				return nil, fmt.Errorf("%s:%d: %q is not a digest", file, n+1, content)
			}
			p := pin.Pin{URL: url, Symbol: "PINS", Path: fmt.Sprintf("PINS[%d]", n), SHALiteral: true,
				SHASpan: pin.Span{Start: start, End: start + len(lit), Line: n + 1, Column: len(url) + 2}}
			p.SetDigest(d)
			res.Pins = append(res.Pins, p)
		}
		off += len(line)
	}
	return res, nil
}

var _ pin.ExtractFunc = lineExtract

// sumHex is a digest of s under a, in lowercase hex.
func sumHex(a pin.Algorithm, s string) string {
	h := a.New()
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))
}

func sri(a pin.Algorithm, s string) string {
	h := a.New()
	h.Write([]byte(s))
	return string(a) + "-" + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// TestFixKeepsEachEncoding rewrites a drifted literal of each algorithm
// and encoding and checks the exact bytes: the new digest in the old
// literal's form, nothing else touched.
func TestFixKeepsEachEncoding(t *testing.T) {
	t.Parallel()
	const u = "https://x/a"
	upper := strings.ToUpper
	tests := map[string]struct {
		src, want string
		live      []verify.Outcome
	}{
		"sha256 upper hex": {
			src:  u + ` "` + upper(sumHex(pin.SHA256, "old")) + `"` + "\n",
			want: u + ` "` + upper(sumHex(pin.SHA256, "new")) + `"` + "\n",
		},
		"sha256 prefixed hex": {
			src:  u + ` "sha256:` + sumHex(pin.SHA256, "old") + `"` + "\n",
			want: u + ` "sha256:` + sumHex(pin.SHA256, "new") + `"` + "\n",
		},
		"sha384 prefix and hex in capitals": {
			src:  u + ` 'SHA384:` + upper(sumHex(pin.SHA384, "old")) + `'` + "\n",
			want: u + ` 'SHA384:` + upper(sumHex(pin.SHA384, "new")) + `'` + "\n",
		},
		"sha512 hex": {
			src:  u + ` "` + sumHex(pin.SHA512, "old") + `"` + "\n",
			want: u + ` "` + sumHex(pin.SHA512, "new") + `"` + "\n",
		},
		"sha512 sri": {
			src:  u + ` "` + sri(pin.SHA512, "old") + `"` + "\n",
			want: u + ` "` + sri(pin.SHA512, "new") + `"` + "\n",
		},
		"sha256 sri, bare as a YAML scalar": {
			src:  u + ` ` + sri(pin.SHA256, "old") + "\n",
			want: u + ` ` + sri(pin.SHA256, "new") + "\n",
		},
		"one URL under two algorithms, only the sha512 pin drifted": {
			src: "# pins\n" + u + ` "` + sumHex(pin.SHA256, "new") + `"` + "\n" +
				u + ` "` + sri(pin.SHA512, "old") + `"` + "\n" + "# end\n",
			want: "# pins\n" + u + ` "` + sumHex(pin.SHA256, "new") + `"` + "\n" +
				u + ` "` + sri(pin.SHA512, "new") + `"` + "\n" + "# end\n",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// What verification of the new bytes reports: one outcome per
			// algorithm the file uses.
			orig, err := lineExtract(t.Context(), "pins.txt", []byte(tc.src), pin.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var outcomes []verify.Outcome
			for _, a := range pin.Algorithms {
				o := verify.Outcome{URL: u, Algorithm: a, Got: sumHex(a, "new")}
				for _, p := range orig.Pins {
					if p.Algorithm == a {
						o.Pins = append(o.Pins, p)
						o.Status = verify.StatusOK
					}
				}
				for _, p := range o.Pins {
					if p.Digest != o.Got {
						o.Status = verify.StatusDrift
					}
				}
				if o.Pins != nil {
					outcomes = append(outcomes, o)
				}
			}
			res, err := FixWith(t.Context(), lineExtract, "pins.txt", []byte(tc.src), pin.Options{}, LiveFromOutcomes(outcomes))
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != VerdictComplete || res.Fixed != 1 || len(res.Changes) != 1 {
				t.Fatalf("verdict %s, %d fixed, %d changes; refused %+v", res.Verdict, res.Fixed, len(res.Changes), res.Refused)
			}
			if diff := cmp.Diff(tc.want, string(res.Patched)); diff != "" {
				t.Errorf("patched (-want +got):\n%s", diff)
			}
			c := res.Changes[0]
			if string(res.Original[c.At:c.At+len(c.Old)]) != c.Old || string(res.Patched[c.At:c.At+len(c.New)]) != c.New {
				t.Errorf("change %q -> %q at %d does not match the bytes there", c.Old, c.New, c.At)
			}
			if want := sumHex(c.Algorithm, "new"); c.Digest != want {
				t.Errorf("change promises %s %s, want %s", c.Algorithm, c.Digest, want)
			}
		})
	}
}

// TestFixLeavesPinsOfUnobservedAlgorithms: a sha512 pin is not drifted
// when only the URL's SHA-256 is known, however that differs.
func TestFixLeavesPinsOfUnobservedAlgorithms(t *testing.T) {
	t.Parallel()
	code := []byte("https://x/a \"" + sri(pin.SHA512, "old") + "\"\n")
	live := lives(drift("https://x/a", sumHex(pin.SHA256, "new")))
	res, err := FixWith(t.Context(), lineExtract, "pins.txt", code, pin.Options{}, live)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != VerdictClean || res.Drifted != 0 || !bytes.Equal(res.Patched, code) {
		t.Errorf("verdict %s with %d drifted; want clean and the file untouched", res.Verdict, res.Drifted)
	}
}

// TestValidateComparesDigestsByKey: the patched file must promise the new
// digest in the old encoding; a re-extraction that reads it in another
// encoding is refused.
func TestValidateComparesDigestsByKey(t *testing.T) {
	t.Parallel()
	code := []byte("https://x/a \"sha256:" + sumHex(pin.SHA256, "old") + "\"\n")
	// An extractor that forgets the prefix on the second reading.
	calls := 0
	forgetful := func(ctx context.Context, file string, src []byte, opts pin.Options) (*pin.Result, error) {
		calls++
		res, err := lineExtract(ctx, file, src, opts)
		if err == nil && calls > 1 {
			res.Pins[0].Encoding = pin.Hex
		}
		return res, err
	}
	res, err := FixWith(t.Context(), forgetful, "pins.txt", code, pin.Options{},
		lives(drift("https://x/a", sumHex(pin.SHA256, "new"))))
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != VerdictRefused || len(res.Refused) != 1 || res.Refused[0].Reason != ReasonValidation ||
		!strings.Contains(res.Refused[0].Message, "is written as hex, was prefixed-hex") {
		t.Errorf("verdict %s, refused %+v; want a validation refusal naming the encoding", res.Verdict, res.Refused)
	}
}

// TestLiveFromOutcomesByAlgorithm: the outcomes of one URL under several
// algorithms make one Live holding each digest; any drift makes it drift.
func TestLiveFromOutcomesByAlgorithm(t *testing.T) {
	t.Parallel()
	a256, a512 := sumHex(pin.SHA256, "a"), sumHex(pin.SHA512, "a")
	got := LiveFromOutcomes([]verify.Outcome{
		{URL: "https://x/a", Status: verify.StatusOK, Algorithm: pin.SHA256, Got: a256},
		{URL: "https://x/a", Status: verify.StatusDrift, Algorithm: pin.SHA512, Got: strings.ToUpper(a512)},
		{URL: "https://x/b", Status: verify.StatusOK, Algorithm: pin.SHA384, Got: a256}, // not a sha384
	})
	want := map[string]Live{
		"https://x/a": {URL: "https://x/a", Status: verify.StatusDrift, Digest: a256, Digests: map[pin.Algorithm]string{pin.SHA512: a512}},
		"https://x/b": {URL: "https://x/b", Status: verify.StatusOK},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
