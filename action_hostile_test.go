package pindrift_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pwned reports where a `touch pwned` from an input ran, if it did: the
// steps run in the workspace, and the build step in the action's checkout.
func pwned(rc runContext) []string {
	var found []string
	for _, dir := range []string{rc.workspace, rc.runnerTemp, rc.actionPath} {
		if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
			found = append(found, dir)
		}
	}
	return found
}

// TestHostileInputsAreNotExecuted feeds inputs a workflow might take from
// an untrusted source (a branch name, a PR title, a dispatch form) and
// checks that each reaches bot check as literal text and runs nothing.
func TestHostileInputsAreNotExecuted(t *testing.T) {
	root := repoRoot(t)
	a := loadAction(t, filepath.Join(root, "action.yml"))
	srv := newAssetServer(t)
	manifest := imagesManifest(srv.URL, hexSum(kernelBytes), hexSum(rootfsBytes))
	tests := map[string]struct {
		file         string // the manifest's name in the workspace
		content      string // the manifest, if not the shared one
		inputs       map[string]string
		wantResult   string
		wantLog      []string
		wantRequests []string // paths the asset host must have seen, proving the value arrived verbatim
	}{
		"command substitution in the manifest path": {
			file: "$(touch pwned).py", inputs: map[string]string{"manifest": "$(touch pwned).py"}, wantResult: "ok",
		},
		"quotes and a semicolon in the manifest path": {
			file: `x"; touch pwned; echo ".py`, inputs: map[string]string{"manifest": `x"; touch pwned; echo ".py`}, wantResult: "ok",
		},
		"a manifest path that looks like a flag": {
			file: "--json.py", inputs: map[string]string{"manifest": "--json.py"}, wantResult: "ok",
		},
		"command substitution in an env value": {
			file: "images.py", inputs: map[string]string{"manifest": "images.py", "env": "MIRROR=" + srv.URL + "/$(touch pwned)"},
			wantResult: "ok", wantRequests: []string{"/$(touch pwned)/kernel", "/$(touch pwned)/rootfs"},
		},
		"backticks in an env value": {
			file: "images.py", inputs: map[string]string{"manifest": "images.py", "env": "MIRROR=" + srv.URL + "/`touch pwned`"},
			wantResult: "ok", wantRequests: []string{"/`touch pwned`/kernel"},
		},
		"a mode that closes its quotes": {
			file: "images.py", inputs: map[string]string{"manifest": "images.py", "mode": `full"; touch pwned; echo "`},
			wantResult: "error", wantLog: []string{`bot: --mode "full\"; touch pwned; echo \"": want full, metadata or auto`},
		},
		"command substitution in platforms": {
			file: "images.py", inputs: map[string]string{"manifest": "images.py", "platforms": "linux, $(touch pwned)"},
			wantResult: "error", wantLog: []string{"$(touch pwned)"},
		},
		"command substitution in a format": {
			file: "images.py", inputs: map[string]string{"manifest": "images.py", "format": "$(touch pwned)"},
			wantResult: "error", wantLog: []string{`--format: unknown format "$(touch pwned)"`},
		},
		"backticks in digest-fields": {
			file: "images.py", inputs: map[string]string{"manifest": "images.py", "digest-fields": "sum\n`touch pwned`"},
			wantResult: "error", wantLog: []string{"--digest-field: field pattern \"`touch pwned`\" contains a space"},
		},
		"backticks in symbols": {
			file: "images.py", inputs: map[string]string{"manifest": "images.py", "symbols": "MANIFEST\n`touch pwned`"},
			wantResult: "unverifiable", wantLog: []string{"`touch pwned` is not defined at module level"},
		},
		"a workflow command smuggled into a boolean": {
			file: "images.py", inputs: map[string]string{"manifest": "images.py", "allow-private-network": "maybe\n::error::injected"},
			wantResult: "error",
			// Escaped, so the runner shows one annotation with the value in it.
			wantLog: []string{`must be true or false, got "maybe%0A::error::injected"`},
		},
		"a workflow command smuggled into the manifest's URL and key": {
			// A manifest from a pull request is as untrusted as its title;
			// its text reaches the log through the human report.
			file:    "images.py",
			content: `MANIFEST = {"k\n::error::injected": {"url": "https://x.invalid/a\n::error::injected", "sha256": "` + hexSum(kernelBytes) + `"}}` + "\n",
			inputs:  map[string]string{"manifest": "images.py"}, wantResult: "unverifiable",
			wantLog: []string{`REFUSED "https://x.invalid/a\n::error::injected"`, `MANIFEST["k\n::error::injected"]`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rc := newRunContext(t, a)
			content := manifest
			if tc.content != "" {
				content = tc.content
			}
			writeFile(t, rc.workspace, tc.file, content)
			inputs := map[string]string{"allow-private-network": "true"}
			for k, v := range tc.inputs {
				inputs[k] = v
			}
			run := runAction(t, a, rc, inputs)
			if dirs := pwned(rc); len(dirs) != 0 {
				t.Fatalf("an input was executed as shell: pwned created in %q\nlog:\n%s", dirs, run.log)
			}
			if run.outputs["result"] != tc.wantResult {
				t.Errorf("result %q, want %q; log:\n%s", run.outputs["result"], tc.wantResult, run.log)
			}
			for _, w := range tc.wantLog {
				if !strings.Contains(run.log, w) {
					t.Errorf("log lacks %q:\n%s", w, run.log)
				}
			}
			for _, line := range strings.Split(run.log, "\n") {
				if strings.HasPrefix(line, "::error::injected") {
					t.Errorf("an input started a workflow command of its own: %q", line)
				}
			}
			for _, p := range tc.wantRequests {
				if srv.requests(p) == 0 {
					t.Errorf("the asset host never saw %q", p)
				}
			}
		})
	}
}

// TestPwnedDetectorCatchesInterpolation is the control for the test above:
// an action that writes ${{ inputs.* }} into its script, as action.yml must
// never do, does run the hostile input, and the detector sees it.
func TestPwnedDetectorCatchesInterpolation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "action.yml")
	writeFile(t, filepath.Dir(path), "action.yml", `name: vulnerable
description: interpolates an input into its script
inputs:
  manifest:
    description: a path
    required: true
runs:
  using: composite
  steps:
    - name: Check
      shell: bash
      run: echo "checking ${{ inputs.manifest }}"
`)
	a := loadAction(t, path)
	rc := runContext{actionPath: t.TempDir(), workspace: t.TempDir(), runnerTemp: t.TempDir(), github: githubContext("", "")}
	run := runAction(t, a, rc, map[string]string{"manifest": "$(touch pwned).py"})
	if dirs := pwned(rc); len(dirs) != 1 || dirs[0] != rc.workspace {
		t.Fatalf("pwned found in %q, want the workspace; log:\n%s", dirs, run.log)
	}
}
