package issues

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// TestFromReportByAlgorithm: one asset pinned under sha256 and sha512
// drifts once per algorithm, each with digests of its own; when it is
// missing, it is one problem holding every pin.
func TestFromReportByAlgorithm(t *testing.T) {
	p256 := pin.Pin{URL: kernelURL, Path: "A", SHASpan: pin.Span{Line: 3}}
	p256.SetDigest(pin.Digest{Algorithm: pin.SHA256, Hex: sha('a'), Encoding: pin.Hex})
	p512 := pin.Pin{URL: kernelURL, Path: "B", SHASpan: pin.Span{Line: 4}}
	p512.SetDigest(pin.Digest{Algorithm: pin.SHA512, Hex: strings.Repeat("b", 128), Encoding: pin.Hex})
	rep := &verify.Report{Outcomes: []verify.Outcome{
		{URL: kernelURL, Status: verify.StatusDrift, Algorithm: pin.SHA512, Got: strings.Repeat("D", 128), Pins: []pin.Pin{p512}},
		{URL: kernelURL, Status: verify.StatusDrift, Algorithm: pin.SHA256, Got: sha('c'), Pins: []pin.Pin{p256}},
	}}
	drift, _ := FromReport("m.py", rep, nil)
	type row struct {
		Alg      pin.Algorithm
		Expected []string
		Got      string
		Pins     []PinRef
	}
	var got []row
	for _, d := range drift {
		got = append(got, row{d.Algorithm, d.Expected, d.Got, d.Pins})
	}
	want := []row{
		{pin.SHA256, []string{sha('a')}, sha('c'), []PinRef{{File: "m.py", Line: 3, Path: "A", Algorithm: pin.SHA256, Digest: sha('a')}}},
		{pin.SHA512, []string{strings.Repeat("b", 128)}, strings.Repeat("d", 128),
			[]PinRef{{File: "m.py", Line: 4, Path: "B", Algorithm: pin.SHA512, Digest: strings.Repeat("b", 128)}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("drift (-want +got):\n%s", diff)
	}

	for i := range rep.Outcomes {
		rep.Outcomes[i].Status, rep.Outcomes[i].Got, rep.Outcomes[i].Err = verify.StatusMissing, "", "HTTP 404"
	}
	_, problems := FromReport("m.py", rep, nil)
	if len(problems) != 1 || len(problems[0].Pins) != 2 {
		t.Fatalf("problems %+v; want one with both pins", problems)
	}
}

// TestRenderNamesTheAlgorithm: an asset drifted under sha256 and sha512
// is one asset with two rows, each digest labelled by its algorithm
// unless it is a SHA-256, and the state tracks both so that the same
// drift again changes nothing.
func TestRenderNamesTheAlgorithm(t *testing.T) {
	d256 := kernelDrift('c')
	d512 := kernelDrift('c')
	d512.Algorithm, d512.Expected, d512.Got = pin.SHA512, []string{strings.Repeat("1", 128)}, strings.Repeat("2", 128)
	g := &github{}
	r := run(0, []Drift{d256, d512})
	p := Decide(r, g.existing(), Config{})
	if p.Create == nil {
		t.Fatalf("plan %+v creates no issue", p)
	}
	body := p.Create.Body
	for _, want := range []string{
		"## 1 release asset no longer matches the digest pinned in",
		"now gets a digest mismatch",
		"`aaaaaaaaaaaa` →<br>`cccccccccccc`",
		"`sha512:111111111111` →<br>`sha512:222222222222`",
		"  live     sha512:" + strings.Repeat("2", 128),
		"update the pinned digest literals",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	st := parseState(body)
	if _, ok := st.Drift[kernelURL]; !ok {
		t.Errorf("state %+v lacks the sha256 drift under the URL", st.Drift)
	}
	if _, ok := st.Drift[kernelURL+" sha512"]; !ok {
		t.Errorf("state %+v lacks the sha512 drift", st.Drift)
	}
	g.apply(p)
	if p := Decide(r, g.existing(), Config{}); !p.Empty() {
		t.Errorf("the same drift again plans %+v", p)
	}
	d512.Got = strings.Repeat("3", 128)
	p = Decide(run(0, []Drift{d256, d512}), g.existing(), Config{})
	if p.Comment == nil || !strings.Contains(p.Comment.Body, "now hashes to `sha512:333333333333` (was `sha512:222222222222`)") {
		t.Errorf("comment on a changed sha512 drift:\n%+v", p.Comment)
	}
}
