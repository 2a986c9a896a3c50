package pindrift_test

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayering keeps imports pointing down the layering: cmd/bot, server,
// webhook, jobs, runner, remedy, issues and patch, verify, pin. A package
// that reached up (runner importing jobs for a type, say) would tie the
// work to the queue that schedules it; each package below says what it
// defines for the layers above instead.
func TestLayering(t *testing.T) {
	t.Parallel()
	const mod = "github.com/pindrift/pindrift/internal/"
	above := map[string][]string{
		"webhook":    {"server", "config"},
		"jobs":       {"server", "config", "webhook"},
		"runner":     {"server", "config", "webhook", "jobs"},
		"repoconfig": {"server", "config", "webhook", "jobs", "runner"},
		"strictyaml": {"server", "config", "webhook", "jobs", "runner", "repoconfig"},
		"shortsha":   {"server", "config", "webhook", "jobs", "runner"},
	}
	var pkgs []string
	for p := range above {
		pkgs = append(pkgs, "./internal/"+p)
	}
	out, err := exec.Command("go", append([]string{"list", "-json=ImportPath,Deps"}, pkgs...)...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Deps       []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(p.ImportPath, mod)
		for _, up := range above[name] {
			if slices.Contains(p.Deps, mod+up) {
				t.Errorf("%s depends on %s, which is above it", name, up)
			}
		}
	}
}
