package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// TestStepSummaryIsInert: the job summary is public Markdown; a URL, a
// manifest path and an error message full of Markdown show there as code
// and break no table.
func TestStepSummaryIsInert(t *testing.T) {
	t.Parallel()
	h := mdtest.Hostile
	p := pin.Pin{URL: h, SHA256: shaOld, Path: h, SHASpan: pin.Span{Line: 8, Column: 19}}
	un := pin.Finding{Path: h, Line: 20, Column: 9, Message: h}
	outcomes := []verify.Outcome{
		{URL: h, Status: verify.StatusDrift, Expected: []string{shaOld}, Got: shaNew, Pins: []pin.Pin{p}},
		{URL: h, Status: verify.StatusMissing, Err: h, Pins: []pin.Pin{p}},
		{Status: verify.StatusUnresolved, Err: h, Finding: &un},
	}
	rep := &verify.Report{Outcomes: outcomes, Summary: verify.Summarize(outcomes)}
	var buf bytes.Buffer
	if err := WriteStepSummary(&buf, &pin.Result{File: "images.py"}, rep); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if probs := mdtest.Problems(md, "never a link"); len(probs) != 0 {
		t.Errorf("%s\n%s", strings.Join(probs, "\n"), md)
	}
	if !mdtest.Parse(md).HasCode(mdtest.HostileShown) {
		t.Errorf("the hostile text is not shown as code:\n%s", md)
	}
}

// TestHugeURLIsShortened: a 70,000-character URL is shortened, with a
// count of what was cut, in the annotations and the job summary.
func TestHugeURLIsShortened(t *testing.T) {
	t.Parallel()
	u := "https://dl.example/" + strings.Repeat("x", 70_000)
	var outcomes []verify.Outcome
	for i := 0; i < 20; i++ {
		p := pin.Pin{URL: u, SHA256: shaOld, Path: fmt.Sprintf("M[%d]", i), SHASpan: pin.Span{Line: i + 1, Column: 1}}
		outcomes = append(outcomes, verify.Outcome{URL: u, Status: verify.StatusDrift, Expected: []string{shaOld}, Got: shaNew, Pins: []pin.Pin{p}})
	}
	rep := &verify.Report{Outcomes: outcomes, Summary: verify.Summarize(outcomes)}
	res := &pin.Result{File: "images.py"}
	var ann, sum bytes.Buffer
	if err := WriteAnnotations(&ann, res, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteStepSummary(&sum, res, rep); err != nil {
		t.Fatal(err)
	}
	for what, out := range map[string]string{"annotations": ann.String(), "summary": sum.String()} {
		if strings.Contains(out, strings.Repeat("x", 1000)) || !strings.Contains(out, "characters cut]") {
			t.Errorf("%s: the URL is not shortened with a count (%d bytes)", what, len(out))
		}
	}
}
