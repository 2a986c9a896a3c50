package runner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// TestAnnotationsAreCapped: a manifest with 400 drifted pins gets
// MaxAnnotations annotations (six requests to GitHub), and the summary
// says how many were left out.
func TestAnnotationsAreCapped(t *testing.T) {
	o := verify.Outcome{URL: "https://dl.example/k", Status: verify.StatusDrift, Got: strings.Repeat("b", 64)}
	for i := 0; i < 400; i++ {
		o.Pins = append(o.Pins, pin.Pin{URL: o.URL, SHA256: strings.Repeat("a", 64), Path: fmt.Sprintf("M[%d]", i),
			SHASpan: pin.Span{Line: i + 1}})
	}
	o.Expected = []string{strings.Repeat("a", 64)}
	rep := &verify.Report{Outcomes: []verify.Outcome{o}, Summary: verify.Summarize([]verify.Outcome{o})}
	c := checkFromRun([]manifestRead{{Manifest: Manifest{Path: "images.py"}}}, rep, false)
	if len(c.Annotations) != MaxAnnotations {
		t.Errorf("%d annotations, want %d", len(c.Annotations), MaxAnnotations)
	}
	if want := fmt.Sprintf("%d of 400 annotations left out", 400-MaxAnnotations); !strings.Contains(c.Summary, want) {
		t.Errorf("summary lacks %q:\n%s", want, c.Summary)
	}
}
