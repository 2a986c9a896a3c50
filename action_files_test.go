package pindrift_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/verify"
)

// TestActionSeveralManifests: the manifest input takes one path or glob
// per line; one run checks them all, the kernel pinned in both files is
// downloaded once, the log and the annotations name each file, and the
// report output is the several-file document.
func TestActionSeveralManifests(t *testing.T) {
	root := repoRoot(t)
	a := loadAction(t, filepath.Join(root, "action.yml"))
	srv := newAssetServer(t)
	rc := newRunContext(t, a)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	writeFile(t, rc.workspace, "images.py", imagesManifest(srv.URL, k, r))
	if err := os.MkdirAll(filepath.Join(rc.workspace, "deploy", "prod"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The rootfs pinned with the kernel's digest: drift, in this file only.
	writeFile(t, filepath.Join(rc.workspace, "deploy", "prod"), "pins.json",
		`{"kernel": {"url": "`+srv.URL+`/kernel", "sha256": "`+k+`"},`+"\n"+
			` "rootfs": {"url": "`+srv.URL+`/rootfs", "sha256": "`+k+`"}}`+"\n")

	run := runAction(t, a, rc, map[string]string{
		"manifest":              "images.py\n  deploy/**/*.json  \n\n",
		"allow-private-network": "true",
	})
	if run.failedStep != "Check pins" || run.exitCode != 1 {
		t.Errorf("failed step %q with exit %d, want %q with exit 1", run.failedStep, run.exitCode, "Check pins")
	}
	if got := map[string]string{"result": run.outputs["result"], "exit-code": run.outputs["exit-code"]}; !cmp.Equal(got,
		map[string]string{"result": "drift", "exit-code": "1"}) {
		t.Errorf("outputs %v, want drift and 1", got)
	}
	rep := readReport(t, run)
	if diff := cmp.Diff(verify.Summary{OK: 1, Drift: 1}, rep.Summary); diff != "" {
		t.Errorf("report summary over both files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{srv.URL + "/rootfs": r}, rep.drifted()); diff != "" {
		t.Errorf("drifted URLs (-want +got):\n%s", diff)
	}
	var files []string
	for _, f := range rep.Files {
		files = append(files, f.Path)
	}
	if diff := cmp.Diff([]string{"images.py", "deploy/prod/pins.json"}, files); diff != "" {
		t.Errorf("files in the report (-want +got):\n%s", diff)
	}
	for _, p := range []string{"/kernel", "/rootfs"} {
		if n := srv.requests(p); n != 1 {
			t.Errorf("%s downloaded %d times, want once for both files", p, n)
		}
	}
	for _, w := range []string{
		"==> images.py: OK: every pin matches — 2 URLs: 2 ok",
		"==> deploy/prod/pins.json: DRIFT: 1 asset changed — 2 URLs: 1 ok, 1 drift",
		"TOTAL 2 files: DRIFT: 1 asset changed",
		"::error file=deploy/prod/pins.json,line=2,",
	} {
		if !strings.Contains(run.log, w) {
			t.Errorf("log lacks %q:\n%s", w, run.log)
		}
	}
	if strings.Contains(run.log, "::error file=images.py") {
		t.Errorf("an error annotation on images.py, whose pins match:\n%s", run.log)
	}
	for _, w := range []string{"| `images.py` | 2 | 0 |", "| `deploy/prod/pins.json` | 1 | 1 |", "`deploy/prod/pins.json:2`"} {
		if !strings.Contains(run.summary, w) {
			t.Errorf("job summary lacks %q:\n%s", w, run.summary)
		}
	}
}

// TestActionUnreadableManifestKeepsTheReport: a manifest that cannot be
// read fails the step (exit 3) while the others are checked, and the
// report output still points at the report, which says which file.
func TestActionUnreadableManifestKeepsTheReport(t *testing.T) {
	root := repoRoot(t)
	a := loadAction(t, filepath.Join(root, "action.yml"))
	srv := newAssetServer(t)
	rc := newRunContext(t, a)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	writeFile(t, rc.workspace, "images.py", imagesManifest(srv.URL, k, r))
	writeFile(t, rc.workspace, "broken.json", "{\"url\": \n")

	run := runAction(t, a, rc, map[string]string{"manifest": "images.py\nbroken.json", "allow-private-network": "true"})
	if run.exitCode != 3 || run.outputs["result"] != "error" {
		t.Fatalf("exit %d, result %q; want 3 and error", run.exitCode, run.outputs["result"])
	}
	if run.outputs["report"] == "" {
		t.Fatalf("no report output; outputs %v", run.outputs)
	}
	rep := readReport(t, run)
	var unread []string
	for _, f := range rep.Files {
		if f.Error != "" {
			unread = append(unread, f.Path)
		}
	}
	if diff := cmp.Diff([]string{"broken.json"}, unread); diff != "" {
		t.Errorf("files the report says could not be read (-want +got):\n%s", diff)
	}
}
