package pindrift_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

const exampleWorkflow = "examples/workflows/pindrift-check.yml"

// actionlintCmd is run with `go run`, in its own module: actionlint
// v1.7.12 is written against go.yaml.in/yaml/v4 v4.0.0-rc.3, whose API
// later release candidates (required by other dependencies of this
// module) changed, so it cannot be linked into this module's tests.
const actionlintCmd = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

// lint runs actionlint on files (relative to dir, which it takes as the
// repository for local actions when dir has .git and .github/workflows)
// and returns its findings as "file:line:col: message [kind]".
func lint(t *testing.T, dir string, files ...string) []string {
	t.Helper()
	args := append([]string{"run", actionlintCmd, "-format", "{{json .}}", "-no-color", "-shellcheck=", "-pyflakes="}, files...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	// Exit 1 means "found problems"; anything else is actionlint failing.
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var found []struct {
		Message  string `json:"message"`
		Filepath string `json:"filepath"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Kind     string `json:"kind"`
	}
	if out := bytes.TrimSpace(stdout.Bytes()); len(out) > 0 {
		if err := json.Unmarshal(out, &found); err != nil {
			t.Fatalf("actionlint output is not its JSON: %v\n%s", err, out)
		}
	}
	if err != nil && len(found) == 0 {
		t.Fatalf("actionlint failed without a finding:\n%s", stderr.String())
	}
	var msgs []string
	for _, f := range found {
		msgs = append(msgs, fmt.Sprintf("%s:%d:%d: %s [%s]", f.Filepath, f.Line, f.Column, f.Message, f.Kind))
	}
	return msgs
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// project lays out a throwaway repository for actionlint: .git, this
// checkout's action.yml at its root (what `uses: ./` resolves to) and the
// given workflows under .github/workflows.
func project(t *testing.T, workflows map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	wfDir := filepath.Join(dir, ".github", "workflows")
	for _, d := range []string{filepath.Join(dir, ".git"), wfDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, dir, "action.yml", string(readFile(t, filepath.Join(repoRoot(t), "action.yml"))))
	for name, content := range workflows {
		writeFile(t, wfDir, name, content)
	}
	return dir
}

func TestExampleWorkflowLints(t *testing.T) {
	root := repoRoot(t)
	if errs := lint(t, root, exampleWorkflow); len(errs) != 0 {
		t.Errorf("actionlint:\n%s", strings.Join(errs, "\n"))
	}
}

// TestActionMetadataLints points the example workflow at this checkout's
// action.yml (uses: ./), so actionlint checks the metadata (name,
// description, branding, runs) and the workflow's with: and outputs
// against it. The broken variants prove it really reads action.yml.
func TestActionMetadataLints(t *testing.T) {
	src := string(readFile(t, filepath.Join(repoRoot(t), exampleWorkflow)))
	if n := strings.Count(src, "uses: pindrift/pindrift@v1\n"); n != 1 {
		t.Fatalf("the example uses pindrift/pindrift@v1 %d times, want once", n)
	}
	local := strings.Replace(src, "uses: pindrift/pindrift@v1\n", "uses: ./\n", 1)
	tests := map[string]struct {
		workflow string
		wantErr  string // "" for no finding at all
	}{
		"the example against action.yml": {workflow: local},
		"a misspelled input": {
			workflow: strings.Replace(local, "manifest: src/images.py", "manifset: src/images.py", 1),
			wantErr:  `input "manifset" is not defined in action "pindrift check"`,
		},
		"an output the action does not have": {
			workflow: strings.Replace(local, "steps.pindrift.outputs.report", "steps.pindrift.outputs.reprot", 1),
			wantErr:  `property "reprot" is not defined`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := project(t, map[string]string{"check.yml": tc.workflow})
			errs := lint(t, dir, filepath.Join(".github", "workflows", "check.yml"))
			joined := strings.Join(errs, "\n")
			switch {
			case tc.wantErr == "" && len(errs) != 0:
				t.Errorf("actionlint:\n%s", joined)
			case tc.wantErr != "" && !strings.Contains(joined, tc.wantErr):
				t.Errorf("actionlint did not report %q; it said:\n%s", tc.wantErr, joined)
			}
		})
	}
}

// TestCompositeStepsLint checks what actionlint leaves unchecked inside an
// action: the composite steps themselves (expression syntax, contexts, the
// inputs of actions/setup-go and actions/cache). The steps are wrapped in
// a reusable workflow whose inputs are the action's.
func TestCompositeStepsLint(t *testing.T) {
	var doc struct {
		Inputs map[string]struct {
			Required bool `yaml:"required"`
		} `yaml:"inputs"`
		Runs struct {
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(readFile(t, filepath.Join(repoRoot(t), "action.yml")), &doc); err != nil {
		t.Fatal(err)
	}
	wrap := func(steps []map[string]any) string {
		inputs := map[string]any{}
		for name, in := range doc.Inputs {
			inputs[name] = map[string]any{"type": "string", "required": in.Required}
		}
		b, err := yaml.Marshal(map[string]any{
			"name": "composite steps of action.yml",
			"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
			"jobs": map[string]any{"action": map[string]any{"runs-on": "ubuntu-latest", "steps": steps}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// The control: the same wrapping with a misspelled setup-go input.
	var broken []map[string]any
	for _, st := range doc.Runs.Steps {
		c := map[string]any{}
		for k, v := range st {
			c[k] = v
		}
		if uses, _ := st["uses"].(string); strings.HasPrefix(uses, "actions/setup-go@") {
			with := map[string]any{}
			for k, v := range st["with"].(map[string]any) {
				with[k] = v
			}
			with["go-version-fil"] = with["go-version-file"]
			delete(with, "go-version-file")
			c["with"] = with
		}
		broken = append(broken, c)
	}

	dir := project(t, map[string]string{"steps.yml": wrap(doc.Runs.Steps), "broken.yml": wrap(broken)})
	var steps, control []string
	for _, e := range lint(t, dir, filepath.Join(".github", "workflows", "steps.yml"), filepath.Join(".github", "workflows", "broken.yml")) {
		if strings.Contains(e, "broken.yml") {
			control = append(control, e)
		} else {
			steps = append(steps, e)
		}
	}
	if len(steps) != 0 {
		t.Errorf("actionlint on action.yml's steps:\n%s", strings.Join(steps, "\n"))
	}
	if !strings.Contains(strings.Join(control, "\n"), `input "go-version-fil" is not defined`) {
		t.Errorf("the control went unreported; actionlint said:\n%s", strings.Join(control, "\n"))
	}
}
