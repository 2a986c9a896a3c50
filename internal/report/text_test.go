package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

const (
	shaOld = "1111111111111111111111111111111111111111111111111111111111111111"
	shaNew = "2222222222222222222222222222222222222222222222222222222222222222"
)

// sampleReport is a hand-built run: one ok, one drift pinned twice (one
// pin already updated), one missing, one unresolved finding.
func sampleReport() (*pin.Result, *verify.Report) {
	mk := func(url, sha, path string, line int) pin.Pin {
		return pin.Pin{URL: url, SHA256: sha, Path: path, SHASpan: pin.Span{Line: line, Column: 19}}
	}
	res := &pin.Result{File: "images.py"}
	un := pin.Finding{Path: "MANIFEST[\"mirror\"]", Line: 20, Column: 9, Message: "MANIFEST[\"mirror\"]: url depends on os.environ[\"MIRROR\"]"}
	outcomes := []verify.Outcome{
		{URL: "https://dl.example/ok.img", Status: verify.StatusOK, Expected: []string{shaOld}, Got: shaOld,
			Pins: []pin.Pin{mk("https://dl.example/ok.img", shaOld, `MANIFEST["ok"]`, 4)}},
		{URL: "https://dl.example/kernel", Status: verify.StatusDrift, Expected: []string{shaOld, shaNew}, Got: shaNew,
			Source: verify.SourceDownload, Bytes: 1234, Size: 1234, FinalURL: "https://cdn.example/kernel", HTTPStatus: 200,
			Duration: 1500 * time.Millisecond, Attempts: 2,
			Pins: []pin.Pin{mk("https://dl.example/kernel", shaOld, `MANIFEST["kernel"]`, 8),
				mk("https://dl.example/kernel", shaNew, `BASE_KERNELS[0]`, 12)}},
		{URL: "https://dl.example/gone", Status: verify.StatusMissing, Expected: []string{shaOld}, HTTPStatus: 404,
			Err:  "GET https://dl.example/gone: HTTP 404 Not Found",
			Pins: []pin.Pin{mk("https://dl.example/gone", shaOld, `MANIFEST["gone"]`, 16)}},
		{Status: verify.StatusUnresolved, Size: -1, Err: un.Message, Finding: &un},
	}
	return res, &verify.Report{Outcomes: outcomes, Summary: verify.Summarize(outcomes)}
}

// renderSample is what write makes of sampleReport.
func renderSample(t *testing.T, write func(io.Writer, *pin.Result, *verify.Report) error) string {
	t.Helper()
	res, rep := sampleReport()
	var buf bytes.Buffer
	if err := write(&buf, res, rep); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestText(t *testing.T) {
	t.Parallel()
	got := renderSample(t, WriteText)
	want := `DRIFT https://dl.example/kernel
    expected 1111111111111111111111111111111111111111111111111111111111111111
    got      2222222222222222222222222222222222222222222222222222222222222222  (1234 bytes downloaded from https://cdn.example/kernel)
    pinned   images.py:8  MANIFEST["kernel"]  111111111111…  <- drift
    pinned   images.py:12  BASE_KERNELS[0]  222222222222…  (matches)

MISSING https://dl.example/gone
    expected 1111111111111111111111111111111111111111111111111111111111111111
    error    GET https://dl.example/gone: HTTP 404 Not Found
    pinned   images.py:16  MANIFEST["gone"]  111111111111…

UNRESOLVED images.py:20:9 MANIFEST["mirror"]
    url depends on os.environ["MIRROR"]

DRIFT: 1 asset changed — 3 URLs: 1 ok, 1 drift, 1 missing, 0 unreachable, 0 refused; 1 unresolved, 0 invalid
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("human output (-want +got):\n%s", diff)
	}
}

func TestCheckJSONShape(t *testing.T) {
	t.Parallel()
	buf := bytes.NewBufferString(renderSample(t, WriteJSON))
	var doc struct {
		Results []struct {
			URL        string   `json:"url"`
			Status     string   `json:"status"`
			Expected   []string `json:"expected"`
			Got        string   `json:"got"`
			Bytes      int64    `json:"bytes"`
			HTTPStatus int      `json:"http_status"`
			Error      string   `json:"error"`
			Pins       []struct {
				SHA256 string `json:"sha256"`
				Path   string `json:"path"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
			} `json:"pins"`
		} `json:"results"`
		Summary map[string]int `json:"summary"`
	}
	dec := json.NewDecoder(buf)
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	wantSummary := map[string]int{"ok": 1, "drift": 1, "missing": 1, "unreachable": 0, "refused": 0, "unresolved": 1, "invalid": 0}
	if diff := cmp.Diff(wantSummary, doc.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	d := doc.Results[1]
	if d.Status != "drift" || d.Got != shaNew || d.Bytes != 1234 || d.HTTPStatus != 200 || len(d.Pins) != 2 ||
		d.Pins[0].Line != 8 || d.Pins[0].Column != 19 || d.Pins[0].SHA256 != shaOld {
		t.Errorf("drift result = %+v", d)
	}
	if u := doc.Results[3]; u.Status != "unresolved" || len(u.Pins) != 1 || u.Pins[0].Line != 20 || u.Expected == nil {
		t.Errorf("unresolved result = %+v", u)
	}
}

func TestAnnotations(t *testing.T) {
	t.Parallel()
	got := renderSample(t, WriteAnnotations)
	want := []string{
		"::error file=images.py,line=8,col=19,title=SHA-256 drift::https://dl.example/kernel%0Aexpected " + shaOld + "%0Agot      " + shaNew,
		"::warning file=images.py,line=16,col=19,title=asset missing::https://dl.example/gone: GET https://dl.example/gone: HTTP 404 Not Found",
		`::warning file=images.py,line=20,col=9,title=pin unresolved::MANIFEST["mirror"]: url depends on os.environ["MIRROR"]`,
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(got), "\n")); diff != "" {
		t.Errorf("annotations (-want +got):\n%s", diff)
	}
}

func TestStepSummary(t *testing.T) {
	t.Parallel()
	got := renderSample(t, WriteStepSummary)
	want := "## :x: pindrift: 1 pinned asset changed\n\n" +
		"`images.py`\n\n" +
		"| ok | drift | missing | unreachable | refused | unresolved | invalid |\n" +
		"|---:|---:|---:|---:|---:|---:|---:|\n" +
		"| 1 | 1 | 1 | 0 | 0 | 1 | 0 |\n\n" +
		"### Drift\n\n| Asset | Pinned at | Expected | Got |\n|---|---|---|---|\n" +
		"| `https://dl.example/kernel` | `images.py:8` `MANIFEST[\"kernel\"]` | `" + shaOld + "` | `" + shaNew + "` |\n\n" +
		"### Not verified\n\n| Status | Asset or location | Reason |\n|---|---|---|\n" +
		"| missing | `https://dl.example/gone` | `GET https://dl.example/gone: HTTP 404 Not Found` |\n" +
		"| unresolved | `images.py:20` `MANIFEST[\"mirror\"]` | `url depends on os.environ[\"MIRROR\"]` |\n\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step summary (-want +got):\n%s", diff)
	}
}

func TestAnnotationEscaping(t *testing.T) {
	t.Parallel()
	if got, want := escapeProperty("a,b:c%\n"), "a%2Cb%3Ac%25%0A"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
	if got, want := escapeData("a,b:c%\r\n"), "a,b:c%25%0D%0A"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
}

// TestUnpairedCount checks that both human reports count the digest
// literals that became no pin, ahead of the findings that explain them.
func TestUnpairedCount(t *testing.T) {
	t.Parallel()
	res, rep := sampleReport()
	for _, o := range rep.Outcomes {
		if o.Finding != nil {
			res.Unresolved = append(res.Unresolved, *o.Finding)
		}
	}
	res.Invalid = []pin.Finding{{Path: "MANIFEST[\"bad\"]", Line: 24, Column: 19, Message: "MANIFEST[\"bad\"]: not a digest"}}
	var text, table bytes.Buffer
	if err := WriteText(&text, res, rep); err != nil {
		t.Fatal(err)
	}
	if err := WritePinsTable(&table, res); err != nil {
		t.Fatal(err)
	}
	const line = "2 digests not paired with a URL (see below)\n"
	if !strings.Contains(text.String(), line+"\nUNRESOLVED images.py:20:9") {
		t.Errorf("check report does not count the unpaired digests before their findings:\n%s", text.String())
	}
	if !strings.Contains(table.String(), line+"invalid:    images.py:24:19") {
		t.Errorf("pins table does not count the unpaired digests before their findings:\n%s", table.String())
	}
	var clean bytes.Buffer
	if err := WritePinsTable(&clean, &pin.Result{File: "images.py"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(clean.String(), "not paired") {
		t.Errorf("a file with nothing unpaired still mentions it:\n%s", clean.String())
	}
}

// TestUnpairedCountParameters checks that records depending on the
// parameters of an uncalled def are counted apart from digests with no
// URL, and that findings about the whole file are not counted.
func TestUnpairedCountParameters(t *testing.T) {
	t.Parallel()
	param := pin.Finding{Line: 9, Column: 5, Message: `http_archive(name="x"): urls depends on a value the evaluator cannot know: ` +
		pin.ParameterReason("version", "deps")}
	stray := pin.Finding{Line: 3, Column: 9, Message: pin.MsgUnreached}
	whole := pin.Finding{Message: "12 more findings were left out: a file reports at most 1000"}
	value := pin.Finding{Line: 5, Column: 1, Value: true,
		Message: "fetch could not be evaluated, so pins in it may be missing: fetch is imported from buildtools.download, which is not evaluated"}
	tests := map[string]struct {
		unresolved []pin.Finding
		want       string
	}{
		"digests only":    {[]pin.Finding{stray, stray, whole}, "2 digests not paired with a URL (see below)"},
		"parameters only": {[]pin.Finding{param}, "1 record depending on parameters of a def the file does not call (see below)"},
		"both": {[]pin.Finding{stray, param, param},
			"1 digest not paired with a URL, 2 records depending on parameters of a def the file does not call (see below)"},
		"none": {[]pin.Finding{whole}, ""},
		// An import the evaluator cannot follow leaves no digest unpaired.
		"values are not digests": {[]pin.Finding{value, stray}, "1 digest not paired with a URL (see below)"},
		"a value alone":          {[]pin.Finding{value}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := unpairedLine(&pin.Result{File: "deps.bzl", Unresolved: tc.unresolved})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("count line (-want +got):\n%s", diff)
			}
		})
	}
}
