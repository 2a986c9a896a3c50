package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDeliver(t *testing.T) {
	t.Parallel()
	res, rep := sampleReport()
	text, doc := renderSample(t, WriteText), renderSample(t, WriteJSON)
	tests := map[string]struct {
		json, actions       bool
		wantOut, wantErr    string // prefixes
		wantFile, wantNoAnn bool
	}{
		"text":               {wantOut: text, wantNoAnn: true},
		"json":               {json: true, wantOut: doc, wantNoAnn: true},
		"text in Actions":    {actions: true, wantOut: text + "::error "},
		"json in Actions":    {json: true, actions: true, wantOut: doc, wantErr: "::error "},
		"json file and text": {wantOut: text, wantFile: true, wantNoAnn: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var f *File
			if tc.wantFile {
				var err error
				if f, err = CreateFile(filepath.Join(dir, "report.json"), []string{filepath.Join(dir, "m.py")}, ""); err != nil {
					t.Fatal(err)
				}
			}
			summary := filepath.Join(dir, "no such dir", "summary.md")
			var out, errOut bytes.Buffer
			u, err := Deliver(Targets{Out: &out, Err: &errOut, JSON: tc.json, File: f, Actions: tc.actions, StepSummary: summary}, []Manifest{{File: res.File, Result: res}}, rep)
			if err != nil || u.File != nil {
				t.Fatalf("Deliver: %v, %+v", err, u)
			}
			if !strings.HasPrefix(out.String(), tc.wantOut) || !strings.HasPrefix(errOut.String(), tc.wantErr) {
				t.Errorf("stdout %q\nstderr %q\nwant them to start %q and %q", out.String(), errOut.String(), tc.wantOut, tc.wantErr)
			}
			if tc.wantNoAnn && strings.Contains(out.String()+errOut.String(), "::") {
				t.Errorf("annotations outside Actions:\n%s%s", &out, &errOut)
			}
			// The summary's directory does not exist: a warning, not a failure.
			if got := u.StepSummary != nil; got != tc.actions {
				t.Errorf("step summary error %v, want one only in Actions", u.StepSummary)
			}
			if tc.wantFile {
				data, err := os.ReadFile(filepath.Join(dir, "report.json"))
				if err != nil || string(data) != doc {
					t.Errorf("--json-file holds %q (%v), want the document", data, err)
				}
			}
		})
	}
}
