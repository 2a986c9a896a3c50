package python_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
)

// callSiteOracle runs real CPython on a build script whose imports are
// stubbed by recorders and lists the (url, sha256) pairs passed to them.
const callSiteOracle = "testdata/oracle/callsites.py"

// TestOracleCallSites: in a Python build script, the keyword arguments of
// a call to a function the evaluator does not know (an imported
// downloader) are a record, and the pins found there are exactly those
// CPython passes to such calls when it runs the script.
func TestOracleCallSites(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skipf("python3 not on PATH, so CPython cannot judge the call-site scripts: %v", err)
	}
	paths, err := filepath.Glob("testdata/callsites/*.py")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no call-site scripts under testdata/callsites (%v)", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), oracleTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, "python3", "-B", callSiteOracle, path)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("oracle %s: %v\n%s", path, err, stderr.Bytes())
			}
			want := []pair{}
			if err := json.Unmarshal(out, &want); err != nil {
				t.Fatalf("oracle output: %v\n%s", err, out)
			}
			if len(want) == 0 {
				t.Fatal("CPython recorded no pins: the script or the oracle is broken")
			}
			sortPairs(want)
			_, res := extract(t, path, pin.Options{})
			if diff := cmp.Diff(want, pairsOf(res)); diff != "" {
				t.Errorf("pins mismatch (-CPython +Extract):\n%s", diff)
			}
			assertNoFindings(t, res)
		})
	}
}
