package report

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/golden"
	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// sampleFiles is a hand-built run over three files: images.py pins the
// kernel (ok) and the rootfs (stale); pins.json pins the same kernel and
// the rootfs already at its live digest, and has an unresolved finding;
// broken.yaml could not be read. The kernel and the rootfs were each
// fetched once for both files.
func sampleFiles() ([]Manifest, *verify.Report) {
	mk := func(file, url, sha, path string, line int) pin.Pin {
		return pin.Pin{File: file, URL: url, SHA256: sha, Path: path, SHASpan: pin.Span{Line: line, Column: 19}}
	}
	kernel, rootfs := "https://dl.example/kernel", "https://dl.example/rootfs"
	un := pin.Finding{File: "pins.json", Path: "mirror", Line: 9, Column: 5, Message: "mirror: url depends on an anchor"}
	images := &pin.Result{File: "images.py", Pins: []pin.Pin{mk("images.py", kernel, shaOld, `MANIFEST["kernel"]`, 4),
		mk("images.py", rootfs, shaOld, `MANIFEST["rootfs"]`, 8)}}
	data := &pin.Result{File: "pins.json", Pins: []pin.Pin{mk("pins.json", kernel, shaOld, "kernel", 3),
		mk("pins.json", rootfs, shaNew, "rootfs", 6)}, Unresolved: []pin.Finding{un}}
	ms := []Manifest{
		{File: "images.py", Result: images},
		{File: "pins.json", Result: data},
		{File: "broken.yaml", Err: errors.New("broken.yaml:2:1: syntax error:\n  mapping values are not allowed")},
	}
	outcomes := []verify.Outcome{
		{URL: kernel, Status: verify.StatusOK, Algorithm: pin.SHA256, Expected: []string{shaOld}, Got: shaOld,
			Source: verify.SourceDownload, Bytes: 10, Size: 10, HTTPStatus: 200, FinalURL: kernel, Duration: time.Second, Attempts: 1,
			Pins: []pin.Pin{images.Pins[0], data.Pins[0]}},
		{URL: rootfs, Status: verify.StatusDrift, Algorithm: pin.SHA256, Expected: []string{shaOld, shaNew}, Got: shaNew,
			Source: verify.SourceDownload, Bytes: 20, Size: 20, HTTPStatus: 200, FinalURL: rootfs, Duration: 2 * time.Second, Attempts: 1,
			Pins: []pin.Pin{images.Pins[1], data.Pins[1]}},
		{Status: verify.StatusUnresolved, Size: -1, Err: un.Message, Finding: &un},
	}
	return ms, &verify.Report{Outcomes: outcomes, Summary: verify.Summarize(outcomes)}
}

func renderFiles(t *testing.T, write func(io.Writer, []Manifest, *verify.Report) error) string {
	t.Helper()
	ms, rep := sampleFiles()
	var buf bytes.Buffer
	if err := write(&buf, ms, rep); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestFilesText: a heading per file with that file's own counts (the
// rootfs drifted in images.py, whose pin is stale, not in pins.json,
// whose pin already matches), the unreadable file said so, and a total
// that counts each asset once.
func TestFilesText(t *testing.T) {
	t.Parallel()
	got := renderFiles(t, WriteFilesText)
	want := `==> images.py: DRIFT: 1 asset changed — 2 URLs: 1 ok, 1 drift, 0 missing, 0 unreachable, 0 refused; 0 unresolved, 0 invalid

DRIFT https://dl.example/rootfs
    expected 1111111111111111111111111111111111111111111111111111111111111111
    got      2222222222222222222222222222222222222222222222222222222222222222  (20 bytes downloaded from https://dl.example/rootfs)
    pinned   images.py:8  MANIFEST["rootfs"]  111111111111…  <- drift

==> pins.json: INCOMPLETE: 1 could not be verified — 2 URLs: 2 ok, 0 drift, 0 missing, 0 unreachable, 0 refused; 1 unresolved, 0 invalid

1 digest not paired with a URL (see below)

UNRESOLVED pins.json:9:5 mirror
    url depends on an anchor

==> broken.yaml: NOT CHECKED: broken.yaml:2:1: syntax error: mapping values are not allowed

TOTAL 3 files (1 not checked): DRIFT: 1 asset changed — 2 URLs: 1 ok, 1 drift, 0 missing, 0 unreachable, 0 refused; 1 unresolved, 0 invalid
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("human output (-want +got):\n%s", diff)
	}
}

// TestFilesTextUnreadableIsNotOK: with nothing drifted, a file that could
// not be read makes the total say so rather than "OK".
func TestFilesTextUnreadableIsNotOK(t *testing.T) {
	t.Parallel()
	ok := &pin.Result{File: "a.py"}
	ms := []Manifest{{File: "a.py", Result: ok}, {File: "gone.py", Err: errors.New("open gone.py: no such file or directory")}}
	var buf bytes.Buffer
	if err := WriteFilesText(&buf, ms, &verify.Report{}); err != nil {
		t.Fatal(err)
	}
	const want = "TOTAL 2 files (1 not checked): NOT CHECKED: 1 file could not be read or evaluated — 0 URLs:"
	if !strings.Contains(buf.String(), want) || strings.Contains(buf.String(), "TOTAL 2 files (1 not checked): OK") {
		t.Errorf("total line does not say a file was not checked:\n%s", buf.String())
	}
}

// TestFilesJSONGolden pins the several-file --json contract byte for
// byte: results and summary over all files, each pin naming its file, and
// the files list.
func TestFilesJSONGolden(t *testing.T) {
	t.Parallel()
	golden.Check(t, "check_files.json", []byte(renderFiles(t, WriteFilesJSON)))
}

// TestOneFileDocumentUnchanged: a run over one readable file writes the
// document it wrote before runs took several files, byte for byte, even
// though its pins now name their file.
func TestOneFileDocumentUnchanged(t *testing.T) {
	t.Parallel()
	res, rep := sampleReport()
	for i := range rep.Outcomes {
		for j := range rep.Outcomes[i].Pins {
			rep.Outcomes[i].Pins[j].File = res.File
		}
		if f := rep.Outcomes[i].Finding; f != nil {
			f.File = res.File
		}
	}
	var buf bytes.Buffer
	if err := WriteFilesJSON(&buf, []Manifest{{File: res.File, Result: res}}, rep); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "check.json", buf.Bytes())
}

// TestReadOutcomesReadsSeveralFiles: bot fix --report takes back the
// several-file document.
func TestReadOutcomesReadsSeveralFiles(t *testing.T) {
	t.Parallel()
	got, err := ReadOutcomes(filepath.Join("testdata", "check_files.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []verify.Outcome{
		{URL: "https://dl.example/kernel", Status: verify.StatusOK, Got: shaOld},
		{URL: "https://dl.example/rootfs", Status: verify.StatusDrift, Got: shaNew},
		{Status: verify.StatusUnresolved},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
}

// TestFilesAnnotations: each annotation names its own pin's file, and
// the file that could not be read gets an error.
func TestFilesAnnotations(t *testing.T) {
	t.Parallel()
	got := renderFiles(t, WriteFilesAnnotations)
	want := []string{
		"::error file=broken.yaml,title=manifest not checked::broken.yaml:2:1: syntax error: mapping values are not allowed",
		"::error file=images.py,line=8,col=19,title=SHA-256 drift::https://dl.example/rootfs%0Aexpected " + shaOld + "%0Agot      " + shaNew,
		"::warning file=pins.json,line=9,col=5,title=pin unresolved::mirror: url depends on an anchor",
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(got), "\n")); diff != "" {
		t.Errorf("annotations (-want +got):\n%s", diff)
	}
}

func TestFilesStepSummary(t *testing.T) {
	t.Parallel()
	got := renderFiles(t, WriteFilesStepSummary)
	want := "## :x: pindrift: 1 pinned asset changed\n\n" +
		"| File | ok | drift | missing | unreachable | refused | unresolved | invalid |\n" +
		"|---|---:|---:|---:|---:|---:|---:|---:|\n" +
		"| `images.py` | 1 | 1 | 0 | 0 | 0 | 0 | 0 |\n" +
		"| `pins.json` | 2 | 0 | 0 | 0 | 0 | 1 | 0 |\n" +
		"| **all 3** | 1 | 1 | 0 | 0 | 0 | 1 | 0 |\n\n" +
		"### Not checked\n\n| File | Error |\n|---|---|\n" +
		"| `broken.yaml` | `broken.yaml:2:1: syntax error: mapping values are not allowed` |\n\n" +
		"### Drift\n\n| Asset | Pinned at | Expected | Got |\n|---|---|---|---|\n" +
		"| `https://dl.example/rootfs` | `images.py:8` `MANIFEST[\"rootfs\"]` | `" + shaOld + "` | `" + shaNew + "` |\n\n" +
		"### Not verified\n\n| Status | Asset or location | Reason |\n|---|---|---|\n" +
		"| unresolved | `pins.json:9` `mirror` | `url depends on an anchor` |\n\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step summary (-want +got):\n%s", diff)
	}
}

// TestFilesStepSummaryIsInert: file names and errors come from the
// repository; in the public job summary they show as code.
func TestFilesStepSummaryIsInert(t *testing.T) {
	t.Parallel()
	h := mdtest.Hostile
	p := pin.Pin{File: h, URL: "https://dl.example/x", SHA256: shaOld, Path: "x", SHASpan: pin.Span{Line: 1, Column: 1}}
	ms := []Manifest{{File: h, Result: &pin.Result{File: h, Pins: []pin.Pin{p}}}, {File: h + "2", Err: errors.New(h)}}
	outcomes := []verify.Outcome{{URL: p.URL, Status: verify.StatusDrift, Expected: []string{shaOld}, Got: shaNew, Pins: []pin.Pin{p}}}
	var buf bytes.Buffer
	if err := WriteFilesStepSummary(&buf, ms, &verify.Report{Outcomes: outcomes, Summary: verify.Summarize(outcomes)}); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if probs := mdtest.Problems(md, "never a link"); len(probs) != 0 {
		t.Errorf("%s\n%s", strings.Join(probs, "\n"), md)
	}
}

// TestSplitByFile: an asset pinned in two files is judged per file, from
// that file's pins.
func TestSplitByFile(t *testing.T) {
	t.Parallel()
	ms, rep := sampleFiles()
	got := map[string]verify.Summary{}
	for _, v := range splitByFile(ms, rep) {
		if v.rep != nil {
			got[v.File] = v.rep.Summary
		}
	}
	want := map[string]verify.Summary{"images.py": {OK: 1, Drift: 1}, "pins.json": {OK: 2, Unresolved: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("per-file summaries (-want +got):\n%s", diff)
	}
}
