package fixreport

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/golden"
	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

var (
	shaOld = strings.Repeat("1", 64)
	shaNew = strings.Repeat("2", 64)
)

// sampleFix is a hand-built fix: one literal rewritten, one refused as
// ambiguous.
func sampleFix() *patch.Result {
	kernel := "https://dl.example/v1/kernel"
	orig := "K = \"" + shaOld + "\"\nI = \"" + shaOld + "\"\n"
	return &patch.Result{
		File: "images.py", Verdict: patch.VerdictPartial, Drifted: 3, Fixed: 1,
		Original: []byte(orig), Patched: []byte(strings.Replace(orig, shaOld, shaNew, 1)),
		Changes: []patch.Change{{Span: pin.Span{Line: 1, Column: 5}, Old: shaOld, New: shaNew, URLs: []string{kernel},
			Pins: []pin.Pin{{URL: kernel, SHA256: shaOld, Path: `MANIFEST["kernel"]`}}}},
		Refused: []patch.Refusal{{Reason: patch.ReasonAmbiguous, Span: pin.Span{Line: 2, Column: 5},
			URLs: []patch.URLDigest{{URL: "https://dl.example/v1/a", Status: verify.StatusDrift, Digest: shaNew},
				{URL: "https://dl.example/v1/b", Status: verify.StatusOK, Digest: shaOld}},
			Message: "images.py:2:5: feeds URLs whose live bytes differ"}},
	}
}

// TestJSONGolden pins bot fix's --json contract byte for byte.
func TestJSONGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sampleFix(), "wrote images.py"); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "fix.json", buf.Bytes())
}

func TestText(t *testing.T) {
	t.Parallel()
	fx := sampleFix()
	var sum, ref bytes.Buffer
	if err := WriteSummary(&sum, fx, "wrote images.py"); err != nil {
		t.Fatal(err)
	}
	WriteRefusals(&ref, fx, 1)
	want := "fixed images.py:1:5  kernel  111111111111… → 222222222222…  MANIFEST[\"kernel\"]\nwrote images.py\n"
	if diff := cmp.Diff(want, sum.String()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	want = "bot: not fixed (ambiguous): images.py:2:5: feeds URLs whose live bytes differ\n" +
		"bot: 1 URL or pin could not be verified; run \"bot check\" for details\n" +
		"bot: 1 of 3 drifted pins fixed by 1 literal change\n"
	if diff := cmp.Diff(want, ref.String()); diff != "" {
		t.Errorf("refusals (-want +got):\n%s", diff)
	}
}

// TestFilesJSONGolden pins bot fix's several-file --json contract: each
// file's document in order, a file that could not be read with its error,
// and complete false because one file was partial and one not read.
func TestFilesJSONGolden(t *testing.T) {
	t.Parallel()
	clean := &patch.Result{File: "pins.yaml", Verdict: patch.VerdictClean, Complete: true,
		Original: []byte("a: 1\n"), Patched: []byte("a: 1\n")}
	files := []File{
		{Path: "images.py", Fix: sampleFix()},
		{Path: "pins.yaml", Fix: clean},
		{Path: "gone.json", Err: errors.New("open gone.json:\n no such file or directory")},
	}
	var buf bytes.Buffer
	if err := WriteFilesJSON(&buf, files, "wrote images.py"); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "fix_files.json", buf.Bytes())
}
