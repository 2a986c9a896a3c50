package fixpr

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestBodyGolden(t *testing.T) {
	fix := fixFor(t, live('c', 'd'))
	f := facts(fix)
	f.Assets = map[string]issues.AssetFacts{
		kURL: {Name: "vmlinux", UploadedAt: time.Date(2026, 6, 14, 22, 17, 0, 0, time.UTC), Uploader: "release-bot"},
	}
	f.Attestations = map[string]Attestation{hex('c'): {Found: true, FromRepo: true, Workflow: ".github/workflows/kernel.yml"}, hex('d'): {Found: true}}
	got := "# " + patch.Subject(fix) + "\n\n" + Body(f) + "\n---\ncommit message:\n\n" + patch.CommitMessage(fix)
	path := filepath.Join("testdata", "pr.md")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-golden +got); if intended, rerun with -update:\n%s", path, diff)
	}
}
