package pindrift_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestActionFormatInputs: format, url-fields and digest-fields reach bot
// check, so a JSON manifest with a name that says nothing and keys of its
// own is checked; a bad value is the bot's usage error naming the flag.
func TestActionFormatInputs(t *testing.T) {
	root := repoRoot(t)
	a := loadAction(t, filepath.Join(root, "action.yml"))
	srv := newAssetServer(t)
	manifest := `{"kernel": {"download": "` + srv.URL + `/fmt/kernel", "kernel_sum": "` + strings.ToUpper(hexSum(kernelBytes)) + `"},
 "rootfs": {"link": "` + srv.URL + `/fmt/rootfs", "digest": "sha256:` + hexSum(rootfsBytes) + `"}}
`
	tests := map[string]struct {
		inputs     map[string]string
		wantResult string
		wantLog    string
	}{
		"json under a .txt name with its own keys": {
			inputs:     map[string]string{"format": "json", "url-fields": "download\n link ", "digest-fields": "*_sum, digest"},
			wantResult: "ok",
		},
		"no format: the name says nothing": {
			inputs: map[string]string{}, wantResult: "error", wantLog: "pins.txt",
		},
		"an unknown format": {
			inputs: map[string]string{"format": "xml"}, wantResult: "error", wantLog: `--format: unknown format "xml"`,
		},
		"a pattern matching every key": {
			inputs: map[string]string{"format": "json", "url-fields": "*"}, wantResult: "error", wantLog: "--url-field",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rc := newRunContext(t, a)
			writeFile(t, rc.workspace, "pins.txt", manifest)
			inputs := map[string]string{"manifest": "pins.txt", "allow-private-network": "true"}
			for k, v := range tc.inputs {
				inputs[k] = v
			}
			run := runAction(t, a, rc, inputs)
			if run.outputs["result"] != tc.wantResult {
				t.Fatalf("result %q, want %q; log:\n%s", run.outputs["result"], tc.wantResult, run.log)
			}
			if !strings.Contains(run.log, tc.wantLog) {
				t.Errorf("log lacks %q:\n%s", tc.wantLog, run.log)
			}
			if tc.wantResult == "ok" {
				if got := readReport(t, run).Summary.OK; got != 2 {
					t.Errorf("%d URLs ok, want 2 (both records paired through the extra keys)", got)
				}
			}
		})
	}
}
