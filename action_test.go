package pindrift_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/verify"
)

// report is the part of bot check's JSON report these tests read.
type report struct {
	Results []struct {
		URL    string `json:"url"`
		Status string `json:"status"`
		Got    string `json:"got"`
	} `json:"results"`
	Summary verify.Summary `json:"summary"`
	Files   []struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	} `json:"files"`
}

// readReport decodes the JSON report the action's report output names.
func readReport(t *testing.T, run *actionRun) report {
	t.Helper()
	path := run.outputs["report"]
	if filepath.Ext(path) != ".json" {
		t.Errorf("report output %q does not end in .json", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("report output %q: %v", path, err)
	}
	var doc report
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("report %s is not bot check's JSON: %v\n%s", path, err, data)
	}
	return doc
}

// drifted maps each drifted URL of rep to its live digest.
func (rep report) drifted() map[string]string {
	d := map[string]string{}
	for _, r := range rep.Results {
		if r.Status == string(verify.StatusDrift) {
			d[r.URL] = r.Got
		}
	}
	return d
}

func TestActionOutcomes(t *testing.T) {
	root := repoRoot(t)
	a := loadAction(t, filepath.Join(root, "action.yml"))
	srv := newAssetServer(t)
	dead := deadURL(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	tests := map[string]struct {
		base, kernelSHA, rootfsSHA string
		inputs                     map[string]string
		wantFailed                 string // the step that fails, "" for none
		wantExit                   int
		wantOutputs                map[string]string // compared on these keys
		wantReport                 *verify.Summary   // nil: no report expected
		wantDrifted                map[string]string // drifted URL -> live digest, in the report
		wantLog, wantSummary       []string
	}{
		"all ok": {
			base: srv.URL, kernelSHA: k, rootfsSHA: r,
			inputs:      map[string]string{"allow-private-network": "true"},
			wantOutputs: map[string]string{"result": "ok", "exit-code": "0"},
			wantReport:  &verify.Summary{OK: 2},
			wantLog: []string{"OK: every pin matches — 2 URLs: 2 ok, 0 drift",
				"pindrift: ok (bot check exit 0); JSON report: "},
			wantSummary: []string{"## :white_check_mark: pindrift: every pinned asset matches", "`images.py`"},
		},
		"one drifted asset fails the step with an error at its SHA line": {
			base: srv.URL, kernelSHA: k, rootfsSHA: k,
			inputs:     map[string]string{"allow-private-network": "TRUE"},
			wantFailed: "Check pins", wantExit: 1,
			wantOutputs: map[string]string{"result": "drift", "exit-code": "1"},
			wantReport:  &verify.Summary{OK: 1, Drift: 1},
			wantDrifted: map[string]string{srv.URL + "/rootfs": r},
			wantLog: []string{
				// The human report, as bot check prints it on a terminal.
				"DRIFT " + srv.URL + "/rootfs\n    expected " + k + "\n    got      " + r +
					"  (" + fmt.Sprint(len(rootfsBytes)) + " bytes downloaded from " + srv.URL + "/rootfs)\n" +
					"    pinned   images.py:12  MANIFEST[\"rootfs\"]  " + k[:12] + "…  <- drift\n",
				"DRIFT: 1 asset changed — 2 URLs: 1 ok, 1 drift",
				"::error file=images.py,line=12,col=19,title=SHA-256 drift::" +
					srv.URL + "/rootfs%0Aexpected " + k + "%0Agot      " + r,
				"pindrift: drift (bot check exit 1); JSON report: "},
			wantSummary: []string{"## :x: pindrift: 1 pinned asset changed", "`images.py:12`"},
		},
		"unreachable passes when fail-on-unverifiable is false": {
			base: dead, kernelSHA: k, rootfsSHA: r,
			inputs:      map[string]string{"allow-private-network": "true", "tries": "1", "fail-on-unverifiable": "false"},
			wantOutputs: map[string]string{"result": "unverifiable", "exit-code": "2"},
			wantReport:  &verify.Summary{Unreachable: 2},
			wantLog: []string{"UNREACHABLE " + dead + "/kernel\n",
				"::warning file=images.py,line=8,col=19,title=asset unreachable::" + dead + "/kernel",
				"not failing because fail-on-unverifiable is false"},
			wantSummary: []string{"## :warning: pindrift: no drift, 2 could not be verified"},
		},
		"unreachable fails the step by default": {
			base: dead, kernelSHA: k, rootfsSHA: r,
			inputs:     map[string]string{"allow-private-network": "true", "tries": "1"},
			wantFailed: "Check pins", wantExit: 2,
			wantOutputs: map[string]string{"result": "unverifiable", "exit-code": "2"},
			wantReport:  &verify.Summary{Unreachable: 2},
		},
		"loopback is refused unless allowed": {
			base: srv.URL, kernelSHA: k, rootfsSHA: r,
			wantFailed: "Check pins", wantExit: 2,
			wantOutputs: map[string]string{"result": "unverifiable", "exit-code": "2"},
			wantReport:  &verify.Summary{Refused: 2},
			wantLog:     []string{"title=asset refused::"},
		},
		"a boolean input that is not true or false": {
			base: srv.URL, kernelSHA: k, rootfsSHA: r,
			inputs:     map[string]string{"allow-private-network": "yes"},
			wantFailed: "Check pins", wantExit: 3,
			wantOutputs: map[string]string{"result": "error", "exit-code": "3", "report": ""},
			wantLog:     []string{`::error title=pindrift::input allow-private-network must be true or false, got "yes"`},
		},
		"a numeric input the bot rejects": {
			base: srv.URL, kernelSHA: k, rootfsSHA: r,
			inputs:     map[string]string{"allow-private-network": "true", "concurrency": "0"},
			wantFailed: "Check pins", wantExit: 3,
			wantOutputs: map[string]string{"result": "error", "exit-code": "3", "report": ""},
			wantLog:     []string{"bot: --concurrency must be at least 1", "bot check failed (exit 3); its message is above"},
		},
		"a glob among the manifests that matches nothing": {
			base: srv.URL, kernelSHA: k, rootfsSHA: r,
			inputs:     map[string]string{"manifest": "images.py\nnone/**/*.py", "allow-private-network": "true"},
			wantFailed: "Check pins", wantExit: 3,
			wantOutputs: map[string]string{"result": "error", "exit-code": "3", "report": ""},
			wantLog:     []string{`bot: "none/**/*.py" matches no file`},
		},
		"a manifest input of blank lines": {
			base: srv.URL, kernelSHA: k, rootfsSHA: r,
			inputs:     map[string]string{"manifest": "\n  \n"},
			wantFailed: "Check pins", wantExit: 3,
			wantOutputs: map[string]string{"result": "error", "exit-code": "3"},
			wantLog:     []string{"::error title=pindrift::input manifest is empty"},
		},
		"a manifest that does not exist": {
			base: srv.URL, kernelSHA: k, rootfsSHA: r,
			inputs:     map[string]string{"manifest": "src/nope.py"},
			wantFailed: "Check pins", wantExit: 3,
			wantOutputs: map[string]string{"result": "error", "exit-code": "3"},
			wantLog:     []string{"src/nope.py"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rc := newRunContext(t, a)
			writeFile(t, rc.workspace, "images.py", imagesManifest(tc.base, tc.kernelSHA, tc.rootfsSHA))
			inputs := map[string]string{"manifest": "images.py"}
			for k, v := range tc.inputs {
				inputs[k] = v
			}
			run := runAction(t, a, rc, inputs)

			if run.failedStep != tc.wantFailed || (tc.wantFailed != "" && run.exitCode != tc.wantExit) {
				t.Errorf("failed step %q with exit %d, want %q with exit %d", run.failedStep, run.exitCode, tc.wantFailed, tc.wantExit)
			}
			got := map[string]string{}
			for k := range tc.wantOutputs {
				got[k] = run.outputs[k]
			}
			if diff := cmp.Diff(tc.wantOutputs, got); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
			if tc.wantReport != nil {
				rep := readReport(t, run)
				if diff := cmp.Diff(*tc.wantReport, rep.Summary); diff != "" {
					t.Errorf("report summary (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tc.wantDrifted, rep.drifted(), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("drifted URLs in the report (-want +got):\n%s", diff)
				}
			}
			// The JSON goes to the report file; the log is for people.
			if strings.Contains(run.log, `"results":`) {
				t.Errorf("the JSON report is in the log:\n%s", run.log)
			}
			for _, w := range tc.wantLog {
				if !strings.Contains(run.log, w) {
					t.Errorf("log lacks %q", w)
				}
			}
			for _, w := range tc.wantSummary {
				if !strings.Contains(run.summary, w) {
					t.Errorf("job summary lacks %q:\n%s", w, run.summary)
				}
			}
			if len(tc.wantLog) > 0 || len(tc.wantSummary) > 0 {
				t.Logf("log:\n%s", run.log)
			}
			// The default github-token is in the step's environment; it
			// must never reach a download host.
			if auth := srv.authorization(); len(auth) != 0 {
				t.Errorf("the asset host received Authorization %q", auth)
			}
		})
	}
}

// TestActionMultiValuedInputs: platforms and symbols split on newlines and
// commas; env splits on newlines only, so a value keeps its commas.
func TestActionMultiValuedInputs(t *testing.T) {
	root := repoRoot(t)
	a := loadAction(t, filepath.Join(root, "action.yml"))
	srv := newAssetServer(t)
	rc := newRunContext(t, a)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	writeFile(t, rc.workspace, "arch.py", `import os
import platform

BASE = os.environ["MIRROR"]
CHANNEL = os.getenv("CHANNEL", "none")
ARCH = platform.machine()

MANIFEST = {"kernel": {"url": f"{BASE}/{CHANNEL}/kernel-{ARCH}", "sha256": "`+k+`"}}
EXTRA = {"rootfs": {"url": f"{BASE}/{CHANNEL}/rootfs", "sha256": "`+r+`"}}
IGNORED = {"kernel": {"url": f"{BASE}/ignored/kernel", "sha256": "`+k+`"}}
`)
	run := runAction(t, a, rc, map[string]string{
		"manifest":              "arch.py",
		"allow-private-network": "true",
		"platforms":             "linux/x86_64, linux/aarch64\n",
		"symbols":               "MANIFEST\n  EXTRA  \n",
		"env":                   "MIRROR=" + srv.URL + "/m,v=1\n\n  CHANNEL=stable\n",
	})
	if run.failedStep != "" || run.outputs["result"] != "ok" {
		t.Fatalf("failed step %q, result %q; log:\n%s", run.failedStep, run.outputs["result"], run.log)
	}
	got := map[string]int{}
	for _, p := range []string{"/m,v=1/stable/kernel-x86_64", "/m,v=1/stable/kernel-aarch64", "/m,v=1/stable/rootfs", "/m,v=1/ignored/kernel"} {
		got[p] = srv.requests(p)
	}
	want := map[string]int{"/m,v=1/stable/kernel-x86_64": 1, "/m,v=1/stable/kernel-aarch64": 1, "/m,v=1/stable/rootfs": 1, "/m,v=1/ignored/kernel": 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests by path (-want +got):\n%s", diff)
	}
}

// TestActionReleaseModes runs mode auto against a fake GitHub reached
// through the action's defaults (github.api_url, github.server_url,
// github.token): the second run, with the cache file left by the first as
// actions/cache would restore it, downloads nothing, and the token goes to
// the API only.
func TestActionReleaseModes(t *testing.T) {
	root := repoRoot(t)
	a := loadAction(t, filepath.Join(root, "action.yml"))
	gh := ghfake.New(t)
	inst := gh.AddInstallation(ghfake.Installation{ID: 7, Account: "acme"})
	gh.AddRepo(ghfake.Repo{Owner: "acme", Name: "os", InstallationID: inst.ID})
	gh.AddRelease("acme", "os", ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{{Name: "kernel", Content: kernelBytes}}})
	token := gh.NewToken(inst.ID)
	gh.RequireToken()

	workspace := t.TempDir()
	writeFile(t, workspace, "images.py", `MANIFEST = {"kernel": {"url": "`+gh.AssetURL("acme", "os", "v1", "kernel")+`", "sha256": "`+hexSum(kernelBytes)+`"}}`+"\n")
	for i := range 2 {
		rc := newRunContext(t, a)
		rc.workspace = workspace
		rc.github = githubContext(gh.APIURL(), gh.URL())
		rc.github["token"] = token
		run := runAction(t, a, rc, map[string]string{
			"manifest": "images.py", "mode": "auto", "cache": ".pindrift-cache.json", "allow-private-network": "true",
		})
		if run.failedStep != "" || run.outputs["result"] != "ok" {
			t.Fatalf("run %d: failed step %q, result %q; log:\n%s", i+1, run.failedStep, run.outputs["result"], run.log)
		}
	}
	if n := gh.Count("GET", "/acme/os/releases/download/v1/kernel"); n != 1 {
		t.Errorf("%d downloads over two runs, want 1 (the second verified from the cache)", n)
	}
	api := 0
	for _, req := range gh.Requests() {
		switch {
		case req.API:
			api++
			if req.Token != token {
				t.Errorf("API request %s %s with token %q, want the github-token input", req.Method, req.Path, req.Token)
			}
		case req.Token != "":
			t.Errorf("download %s sent a token", req.Path)
		}
	}
	if api == 0 {
		t.Error("mode auto made no API request; the release metadata was never consulted")
	}
}

// TestActionReportLost: when bot check cannot write the JSON report after
// the check ran (here its directory vanishes while the assets download),
// drift still fails the step as drift; otherwise the step fails as an
// error. Either way the report output is empty rather than a path to
// nothing.
func TestActionReportLost(t *testing.T) {
	root := repoRoot(t)
	a := loadAction(t, filepath.Join(root, "action.yml"))
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	tests := map[string]struct {
		rootfsSHA   string
		wantExit    int
		wantOutputs map[string]string
		wantLog     []string
	}{
		"drift stays drift": {
			rootfsSHA: k, wantExit: 1,
			wantOutputs: map[string]string{"result": "drift", "exit-code": "1", "report": ""},
			wantLog: []string{"DRIFT: 1 asset changed", "the JSON report was not written",
				"pindrift: drift (bot check exit 1); no JSON report, see the message above"},
		},
		"ok becomes an error": {
			rootfsSHA: r, wantExit: 3,
			wantOutputs: map[string]string{"result": "error", "exit-code": "3", "report": ""},
			wantLog: []string{"OK: every pin matches", "the JSON report was not written",
				"pindrift: bot check failed (exit 3); its message is above"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rc := newRunContext(t, a)
			var mu sync.Mutex
			removed := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				mu.Lock()
				dirs, _ := filepath.Glob(filepath.Join(rc.runnerTemp, "pindrift.*"))
				for _, d := range dirs {
					if err := os.RemoveAll(d); err == nil {
						removed++
					}
				}
				mu.Unlock()
				if strings.HasSuffix(req.URL.Path, "/rootfs") {
					w.Write(rootfsBytes)
					return
				}
				w.Write(kernelBytes)
			}))
			t.Cleanup(srv.Close)
			writeFile(t, rc.workspace, "images.py", imagesManifest(srv.URL, k, tc.rootfsSHA))
			run := runAction(t, a, rc, map[string]string{"manifest": "images.py", "allow-private-network": "true"})

			if removed != 1 {
				t.Fatalf("removed %d report directories during the run, want 1; log:\n%s", removed, run.log)
			}
			if run.failedStep != "Check pins" || run.exitCode != tc.wantExit {
				t.Errorf("failed step %q with exit %d, want %q with exit %d", run.failedStep, run.exitCode, "Check pins", tc.wantExit)
			}
			got := map[string]string{}
			for k := range tc.wantOutputs {
				got[k] = run.outputs[k]
			}
			if diff := cmp.Diff(tc.wantOutputs, got); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
			for _, w := range tc.wantLog {
				if !strings.Contains(run.log, w) {
					t.Errorf("log lacks %q:\n%s", w, run.log)
				}
			}
		})
	}
}
