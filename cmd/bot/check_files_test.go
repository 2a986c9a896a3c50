package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/report"
	"github.com/pindrift/pindrift/internal/verify"
)

// threeManifests writes, in one directory, three manifests in three
// formats over the asset server at base:
//
//	images.py   kernel (ok), rootfs (stale: drift)
//	pins.json   kernel (ok, the same URL as images.py), initrd (stale: drift)
//	pins.yaml   rootfs (at its live digest: ok here)
//
// and returns the directory and the three paths in that order.
func threeManifests(t *testing.T, base string) (dir string, files []string) {
	t.Helper()
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	dir = t.TempDir()
	contents := []struct{ name, text string }{
		{"images.py", manifestText(entry{base + "/kernel", k}, entry{base + "/rootfs", stale})},
		{"pins.json", fmt.Sprintf("{\n  \"kernel\": {\n    \"url\": %q,\n    \"sha256\": %q\n  },\n"+
			"  \"initrd\": {\n    \"url\": %q,\n    \"sha256\": %q\n  }\n}\n", base+"/kernel", k, base+"/initrd", stale)},
		{"pins.yaml", fmt.Sprintf("rootfs:\n  url: %s/rootfs\n  sha256: %s\n", base, r)},
	}
	for _, c := range contents {
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return dir, files
}

// TestCheckSeveralFiles: three files in three formats, drift in two: one
// run, each asset fetched once however many files pin it, exit 1, a
// heading per file with its own counts, and a total.
func TestCheckSeveralFiles(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	_, files := threeManifests(t, srv.URL)
	code, out, errOut := runBot(t, append([]string{"check", "--quiet", "--allow-private-network"}, files...)...)
	if code != exitDrift {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitDrift, out, errOut)
	}
	requests := map[string]int{}
	for _, p := range []string{"/kernel", "/rootfs", "/initrd"} {
		requests[p] = srv.requests(p)
	}
	if diff := cmp.Diff(map[string]int{"/kernel": 1, "/rootfs": 1, "/initrd": 1}, requests); diff != "" {
		t.Errorf("requests per asset (-want +got); an asset pinned in two files must be fetched once:\n%s", diff)
	}
	// Headings in argument order, each with that file's own verdict.
	wantInOrder := []string{
		"==> " + files[0] + ": DRIFT: 1 asset changed — 2 URLs: 1 ok, 1 drift",
		"DRIFT " + srv.URL + "/rootfs",
		"pinned   " + files[0] + ":8  MANIFEST[\"a1\"]",
		"==> " + files[1] + ": DRIFT: 1 asset changed — 2 URLs: 1 ok, 1 drift",
		"DRIFT " + srv.URL + "/initrd",
		"pinned   " + files[1] + ":8  initrd",
		"==> " + files[2] + ": OK: every pin matches — 1 URL: 1 ok, 0 drift",
		"TOTAL 3 files: DRIFT: 2 assets changed — 3 URLs: 1 ok, 2 drift",
	}
	rest := out
	for _, w := range wantInOrder {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("stdout lacks %q after the lines before it:\n%s", w, out)
		}
		rest = rest[i+len(w):]
	}
}

// TestCheckSeveralFilesJSON: --json keeps results and summary over every
// file (an asset pinned in two files is one result), each pin names its
// file, and "files" gives each file's own summary.
func TestCheckSeveralFilesJSON(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	_, files := threeManifests(t, srv.URL)
	missing := filepath.Join(filepath.Dir(files[0]), "nope.toml")
	args := append([]string{"check", "--quiet", "--allow-private-network", "--json"}, files...)
	code, out, errOut := runBot(t, append(args, missing)...)
	if code != exitDrift {
		t.Fatalf("exit %d, want %d (drift beats a file that could not be read)\nstderr:\n%s", code, exitDrift, errOut)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
	}
	if diff := cmp.Diff(verify.Summary{OK: 1, Drift: 2}, doc.Summary); diff != "" {
		t.Errorf("summary over all files (-want +got):\n%s", diff)
	}
	wantFiles := []report.FileSummary{
		{Path: files[0], Summary: verify.Summary{OK: 1, Drift: 1}},
		{Path: files[1], Summary: verify.Summary{OK: 1, Drift: 1}},
		{Path: files[2], Summary: verify.Summary{OK: 1}},
		{Path: missing, Error: "open " + missing + ": no such file or directory"},
	}
	if diff := cmp.Diff(wantFiles, doc.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	pinFiles := map[string][]string{}
	for _, r := range doc.Results {
		for _, p := range r.Pins {
			pinFiles[strings.TrimPrefix(r.URL, srv.URL)] = append(pinFiles[strings.TrimPrefix(r.URL, srv.URL)], p.File)
		}
	}
	wantPins := map[string][]string{"/kernel": {files[0], files[1]}, "/rootfs": {files[0], files[2]}, "/initrd": {files[1]}}
	if diff := cmp.Diff(wantPins, pinFiles); diff != "" {
		t.Errorf("files of each result's pins (-want +got):\n%s", diff)
	}
	if !strings.Contains(errOut, "some files could not be read") {
		t.Errorf("stderr does not say a file was not read:\n%s", errOut)
	}
}

// TestCheckSeveralFilesInActions: each annotation names its pin's own
// file, and the step summary has a row per file.
func TestCheckSeveralFilesInActions(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	_, files := threeManifests(t, srv.URL)
	code, out, _ := runBot(t, append([]string{"check", "--quiet", "--allow-private-network"}, files...)...)
	if code != exitDrift {
		t.Fatalf("exit %d, want %d\n%s", code, exitDrift, out)
	}
	var errors []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "::error ") {
			errors = append(errors, line[:strings.Index(line, ",title=")])
		}
	}
	want := []string{"::error file=" + escapeProperty(files[0]) + ",line=8,col=19", "::error file=" + escapeProperty(files[1]) + ",line=8,col=15"}
	if diff := cmp.Diff(want, errors); diff != "" {
		t.Errorf("error annotations (-want +got):\n%s\n%s", diff, out)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"| `" + files[0] + "` | 1 | 1 |", "| `" + files[1] + "` | 1 | 1 |", "| `" + files[2] + "` | 1 | 0 |",
		"| **all 3** | 1 | 2 |", "`" + files[1] + ":8` `initrd`"} {
		if !strings.Contains(string(md), w) {
			t.Errorf("step summary lacks %q:\n%s", w, md)
		}
	}
}

// TestCheckGlobs: a glob ("**" included) expands in sorted order, each
// file once even when named again; a glob that matches nothing is an
// error naming it.
func TestCheckGlobs(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	dir, files := threeManifests(t, srv.URL)
	sub := filepath.Join(dir, "sub", "deeper")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	nested := filepath.Join(sub, "more.yaml")
	if err := os.WriteFile(nested, []byte("rootfs:\n  url: "+srv.URL+"/rootfs\n  sha256: "+hexSum(rootfsBytes)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args     []string
		want     int
		headings []string // files in the order their headings must appear
		wantErr  string
	}{
		"double star": {args: []string{filepath.Join(dir, "**", "*.yaml")}, want: exitOK, headings: []string{files[2], nested}},
		"argument order, then sorted": {args: []string{files[1], filepath.Join(dir, "*.{py,yaml}")}, want: exitDrift,
			headings: []string{files[1], files[0], files[2]}},
		"duplicates removed": {args: []string{files[2], filepath.Join(dir, ".", "pins.yaml"), filepath.Join(dir, "pins.*")},
			want: exitDrift, headings: []string{files[2], files[1]}},
		"glob matching nothing": {args: []string{files[0], filepath.Join(dir, "*.toml")}, want: exitBadInput,
			wantErr: fmt.Sprintf("%q matches no file", filepath.Join(dir, "*.toml"))},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runBot(t, append([]string{"check", "--quiet", "--allow-private-network"}, tc.args...)...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, out, errOut)
			}
			if !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantErr, errOut)
			}
			var got []string
			for _, line := range strings.Split(out, "\n") {
				if h, ok := strings.CutPrefix(line, "==> "); ok {
					got = append(got, h[:strings.Index(h, ": ")])
				}
			}
			if diff := cmp.Diff(tc.headings, got); diff != "" {
				t.Errorf("files reported (-want +got):\n%s\n%s", diff, out)
			}
		})
	}
}

// TestCheckUnreadableAmongOthers: a file that cannot be read or evaluated
// is reported for that file, the others are still checked, and the run
// exits 3 when nothing drifted (1 when something did).
func TestCheckUnreadableAmongOthers(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	_, files := threeManifests(t, srv.URL)
	dir := filepath.Dir(files[0])
	broken := filepath.Join(dir, "broken.py")
	if err := os.WriteFile(broken, []byte("MANIFEST = {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nope.py")
	code, out, errOut := runBot(t, "check", "--quiet", "--allow-private-network", missing, files[2], broken)
	if code != exitBadInput {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitBadInput, out, errOut)
	}
	for _, w := range []string{
		"==> " + missing + ": NOT CHECKED: open " + missing + ": no such file or directory",
		"==> " + files[2] + ": OK: every pin matches — 1 URL: 1 ok",
		"==> " + broken + ": NOT CHECKED: " + broken + ":",
		"TOTAL 3 files (2 not checked): NOT CHECKED: 2 files could not be read or evaluated — 1 URL: 1 ok",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	if n := srv.requests("/rootfs"); n != 1 {
		t.Errorf("the readable file's asset was fetched %d times, want 1", n)
	}
}

// TestCheckFileLimits: more files, or more bytes, than the limits allow is
// unusable input, with a message saying the limit and what was given.
func TestCheckFileLimits(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	dir, files := threeManifests(t, srv.URL)
	var total int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}
	tests := map[string]struct {
		args    []string
		wantErr string
	}{
		"too many files": {args: append([]string{"--max-files", "2"}, files...),
			wantErr: "the arguments name more than 2 files, the --max-files limit"},
		"too many files from a glob": {args: []string{"--max-files", "2", filepath.Join(dir, "*")},
			wantErr: "the arguments name more than 2 files, the --max-files limit"},
		"too many bytes": {args: append([]string{"--max-input-bytes", "100"}, files...),
			wantErr: fmt.Sprintf("the 3 files total %d bytes, over the --max-input-bytes limit of 100", total)},
		"no limit": {args: append([]string{"--max-files", "0"}, files...), wantErr: "--max-files and --max-input-bytes must be at least 1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runBot(t, append([]string{"check", "--quiet", "--allow-private-network"}, tc.args...)...)
			if code != exitBadInput || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and a message saying %q\nstdout:\n%s", code, errOut, exitBadInput, tc.wantErr, out)
			}
		})
	}
	if n := srv.requests("/kernel") + srv.requests("/rootfs") + srv.requests("/initrd"); n != 0 {
		t.Errorf("%d downloads for runs refused at their arguments", n)
	}
}

// TestPinsSeveralFiles: bot pins lists each file under its heading, and
// --json gives one object per file, with the error of one not read.
func TestPinsSeveralFiles(t *testing.T) {
	_, files := threeManifests(t, "https://dl.example")
	missing := filepath.Join(filepath.Dir(files[0]), "nope.py")
	code, out, errOut := runBot(t, "pins", files[0], files[1], missing)
	if code != exitBadInput {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitBadInput, errOut)
	}
	for _, w := range []string{"==> " + files[0] + "\nLOCATION", files[1] + ":8:15", "==> " + missing + ": NOT READ: open ",
		"TOTAL 3 files (1 not read): 4 pins"} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	code, out, _ = runBot(t, "pins", "--json", files[0], files[2])
	if code != exitOK {
		t.Fatalf("--json: exit %d, want 0", code)
	}
	var doc struct {
		Files []struct {
			File  string `json:"file"`
			Pins  []struct{ URL, File string }
			Error string `json:"error"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(doc.Files) != 2 || doc.Files[0].File != files[0] || len(doc.Files[0].Pins) != 2 ||
		doc.Files[1].File != files[2] || len(doc.Files[1].Pins) != 1 || doc.Files[1].Pins[0].File != files[2] {
		t.Errorf("pins --json over two files = %+v", doc)
	}
}

// TestCheckJSONFileIsNoManifest: --json-file may not name any of the
// files being checked, which the report would replace.
func TestCheckJSONFileIsNoManifest(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	_, files := threeManifests(t, srv.URL)
	before := readString(t, files[1])
	code, _, errOut := runBot(t, append([]string{"check", "--quiet", "--allow-private-network", "--json-file", files[1]}, files...)...)
	if code != exitBadInput || !strings.Contains(errOut, "is the manifest being checked") {
		t.Errorf("exit %d, stderr %q; want 3 and a refusal", code, errOut)
	}
	if readString(t, files[1]) != before {
		t.Error("the manifest was replaced")
	}
}
