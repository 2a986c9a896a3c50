package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/pindrift/pindrift/internal/report"
)

// readCheckJSON decodes a --json-file report.
func readCheckJSON(t *testing.T, file string) (report.Document, []byte) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("--json-file: %v", err)
	}
	var doc report.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s is not one JSON document: %v\n%s", file, err, data)
	}
	return doc, data
}

// TestCheckJSONFile: one run gives the human report on stdout and the
// --json document in a file; with --json too, both are the same bytes.
func TestCheckJSONFile(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	file := writeManifest(t, entry{srv.URL + "/kernel", k}, entry{srv.URL + "/rootfs", k})
	base := []string{"check", "--quiet", "--allow-private-network"}

	// The reference: what --json alone prints for this manifest.
	code, jsonOut, errOut := runBot(t, append(base, "--json", file)...)
	if code != exitDrift {
		t.Fatalf("--json: exit %d, want %d: %s", code, exitDrift, errOut)
	}
	var want report.Document
	if err := json.Unmarshal([]byte(jsonOut), &want); err != nil {
		t.Fatal(err)
	}

	t.Run("beside the human report", func(t *testing.T) {
		dir := t.TempDir()
		jsonFile := filepath.Join(dir, "report.json")
		if err := os.WriteFile(jsonFile, []byte("an earlier run's report"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runBot(t, append(base, "--json-file", jsonFile, file)...)
		if code != exitDrift {
			t.Fatalf("exit %d, want %d: %s", code, exitDrift, errOut)
		}
		for _, w := range []string{"DRIFT " + srv.URL + "/rootfs", "expected " + k, "got      " + r, "images.py:8", "1 ok, 1 drift"} {
			if !strings.Contains(out, w) {
				t.Errorf("stdout lacks %q:\n%s", w, out)
			}
		}
		got, _ := readCheckJSON(t, jsonFile)
		// Timings are the only thing two runs may disagree on.
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(report.Result{}, "DurationMS")); diff != "" {
			t.Errorf("--json-file differs from --json's stdout (-want +got):\n%s", diff)
		}
		fi, err := os.Stat(jsonFile)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("report mode %v, want 0644", fi.Mode().Perm())
		}
		if names := dirNames(t, dir); !cmp.Equal(names, []string{"report.json"}) {
			t.Errorf("directory holds %q, want only report.json (no temporary file left)", names)
		}
	})

	t.Run("with --json both are the same document", func(t *testing.T) {
		jsonFile := filepath.Join(t.TempDir(), "report.json")
		code, out, errOut := runBot(t, append(base, "--json", "--json-file", jsonFile, file)...)
		if code != exitDrift {
			t.Fatalf("exit %d, want %d: %s", code, exitDrift, errOut)
		}
		got, data := readCheckJSON(t, jsonFile)
		if string(data) != out {
			t.Errorf("--json-file and stdout differ:\nfile:\n%s\nstdout:\n%s", data, out)
		}
		var drifted []string
		for _, res := range got.Results {
			if res.Status == "drift" && res.Got == r {
				drifted = append(drifted, res.URL)
			}
		}
		if diff := cmp.Diff([]string{srv.URL + "/rootfs"}, drifted); diff != "" {
			t.Errorf("drifted URLs with the live digest (-want +got):\n%s", diff)
		}
	})
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestCheckJSONFileRefusedBeforeDownloading: a path that cannot take a
// report is bad input, found before anything is fetched.
func TestCheckJSONFileRefusedBeforeDownloading(t *testing.T) {
	checkEnv(t)
	k := hexSum(kernelBytes)
	tests := map[string]struct {
		report  func(manifest, cache string) string
		wantErr string
	}{
		"a directory that does not exist": {
			report:  func(m, _ string) string { return filepath.Join(filepath.Dir(m), "nope", "report.json") },
			wantErr: "cannot create a file in %DIR%/nope: no such file or directory",
		},
		"a directory": {
			report:  func(m, _ string) string { return filepath.Dir(m) },
			wantErr: "is a directory",
		},
		"the manifest itself": {
			report:  func(m, _ string) string { return m },
			wantErr: "is the manifest being checked, which the report would replace",
		},
		"the cache, not created yet": {
			report:  func(_, c string) string { return c },
			wantErr: "is the --cache file, which the report would replace",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newAssetServer(t)
			file := writeManifest(t, entry{srv.URL + "/kernel", k})
			before, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			cache := filepath.Join(filepath.Dir(file), "cache.json")
			report := tc.report(file, cache)
			code, out, errOut := runBot(t, "check", "--quiet", "--allow-private-network", "--cache", cache, "--json-file", report, file)
			if code != exitBadInput {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitBadInput, out, errOut)
			}
			wantErr := "bot: --json-file " + report + ": " + strings.ReplaceAll(tc.wantErr, "%DIR%", filepath.Dir(file))
			if !strings.Contains(errOut, wantErr) {
				t.Errorf("stderr lacks %q:\n%s", wantErr, errOut)
			}
			if n := srv.requests("/kernel"); n != 0 {
				t.Errorf("/kernel fetched %d times before refusing the flag", n)
			}
			after, err := os.ReadFile(file)
			if err != nil || string(after) != string(before) {
				t.Errorf("the manifest changed (%v)", err)
			}
		})
	}
}

// TestCheckJSONFileLostAfterTheCheck: when the report cannot be written
// once the check has run (here its directory vanishes mid-run), the human
// report still shows the verdict, the error names the path, and the exit
// status never hides drift: 1 stays 1, while 0 and 2 become 3, so a job
// that lets those pass does not go on to read a report that is not there.
func TestCheckJSONFileLostAfterTheCheck(t *testing.T) {
	checkEnv(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	tests := map[string]struct {
		asset, sha string
		wantCode   int
		wantOut    string
	}{
		"drift keeps exit 1":     {asset: "rootfs", sha: k, wantCode: exitDrift, wantOut: "DRIFT: 1 asset changed"},
		"ok becomes exit 3":      {asset: "rootfs", sha: r, wantCode: exitBadInput, wantOut: "OK: every pin matches"},
		"missing becomes exit 3": {asset: "nope", sha: r, wantCode: exitBadInput, wantOut: "MISSING: 1 pinned asset no longer exists"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "reports")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				// The check is under way: take the report's directory away.
				if err := os.RemoveAll(dir); err != nil {
					t.Error(err)
				}
				if path.Base(req.URL.Path) != "rootfs" {
					http.NotFound(w, req)
					return
				}
				w.Write(rootfsBytes)
			}))
			t.Cleanup(srv.Close)
			file := writeManifest(t, entry{srv.URL + "/" + tc.asset, tc.sha})
			report := filepath.Join(dir, "report.json")

			code, out, errOut := runBot(t, "check", "--quiet", "--allow-private-network", "--json-file", report, file)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, out, errOut)
			}
			if !strings.Contains(out, tc.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantOut, out)
			}
			wantErr := "bot: --json-file " + report + ": the JSON report was not written: "
			if !strings.Contains(errOut, wantErr) {
				t.Errorf("stderr lacks %q:\n%s", wantErr, errOut)
			}
		})
	}
}

// TestCheckHumanReportKeepsTextOnItsLine: text from the manifest is
// quoted when it holds a newline, so it cannot start a line of its own,
// which the Actions runner would read as a workflow command.
func TestCheckHumanReportKeepsTextOnItsLine(t *testing.T) {
	checkEnv(t)
	file := filepath.Join(t.TempDir(), "images.py")
	sha := strings.Repeat("a", 64)
	src := `MANIFEST = {"k\n::error::key": {"url": "https://x.invalid/a\n::error::url", "sha256": "` + sha + `"}}` + "\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runBot(t, "check", "--quiet", file)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d: %s", code, exitPartial, errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "::") {
			t.Errorf("manifest text started a line of its own: %q\n%s", line, out)
		}
	}
	for _, w := range []string{`REFUSED "https://x.invalid/a\n::error::url"`, `MANIFEST["k\n::error::key"]`} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
}
