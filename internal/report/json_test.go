package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/golden"
	"github.com/pindrift/pindrift/internal/verify"
)

// TestJSONGolden pins the --json contract byte for byte: a renamed field,
// a changed tag or a list that encodes as null shows as a diff here.
func TestJSONGolden(t *testing.T) {
	t.Parallel()
	golden.Check(t, "check.json", []byte(renderSample(t, WriteJSON)))
}

// TestReadOutcomesReadsTheContract: the reader takes back what WriteJSON
// wrote, the golden document, as the verdict per URL.
func TestReadOutcomesReadsTheContract(t *testing.T) {
	t.Parallel()
	got, err := ReadOutcomes(filepath.Join("testdata", "check.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []verify.Outcome{
		{URL: "https://dl.example/ok.img", Status: verify.StatusOK, Got: shaOld},
		{URL: "https://dl.example/kernel", Status: verify.StatusDrift, Got: shaNew},
		{URL: "https://dl.example/gone", Status: verify.StatusMissing},
		{Status: verify.StatusUnresolved},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
}

func TestReadOutcomesRefuses(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		doc  string
		want string
	}{
		"not JSON":       {"nope", "invalid character"},
		"no results":     {`{"summary": {}}`, `has no "results"`},
		"bad digest":     {`{"results": [{"url": "https://x/a", "status": "ok", "got": "abc"}]}`, `"got" is "abc", not a SHA-256`},
		"unknown status": {`{"results": [{"url": "https://x/a", "status": "fine"}]}`, `unknown status "fine"`},
		"no url":         {`{"results": [{"status": "missing"}]}`, `result 0 has no "url"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "report.json")
			if err := os.WriteFile(path, []byte(tc.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadOutcomes(path)
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want)) || !bytes.Contains([]byte(err.Error()), []byte(path)) {
				t.Errorf("error %v, want one naming %s and saying %q", err, path, tc.want)
			}
		})
	}
}
