package pindrift_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// This file is a miniature of the Actions runner for composite actions:
// enough to run action.yml's own shell steps as GitHub would, and nothing
// that would let a test pass on a form GitHub treats differently.

// action is the part of action.yml the runner reads. Decoding is strict,
// so a key this miniature does not model (continue-on-error, a step's
// working-directory, ...) fails the tests instead of being ignored.
type action struct {
	Name        string                  `yaml:"name"`
	Description string                  `yaml:"description"`
	Author      string                  `yaml:"author"`
	Branding    map[string]string       `yaml:"branding"`
	Inputs      map[string]actionInput  `yaml:"inputs"`
	Outputs     map[string]actionOutput `yaml:"outputs"`
	Runs        struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionInput struct {
	Description string `yaml:"description"`
	Required    bool   `yaml:"required"`
	Default     string `yaml:"default"`
}

type actionOutput struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	With  map[string]string `yaml:"with"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	Run   string            `yaml:"run"`
}

func (s actionStep) label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}

func loadAction(t *testing.T, path string) *action {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.UnmarshalWithOptions(data, &a, yaml.Strict()); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("%s: runs.using is %q; this runner models composite actions only", path, a.Runs.Using)
	}
	return &a
}

// standIns are the `uses:` steps the test environment stands in for, and
// how: anything else in the action is a step these tests cannot run.
var standIns = map[string]string{
	"actions/setup-go":      "the go on the test's PATH",
	"actions/cache/restore": "no cache: every run starts without the file",
	"actions/cache/save":    "the file is left in the workspace, where the test reads it",
}

// runContext is what an action run sees besides its inputs.
type runContext struct {
	actionPath string // github.action_path
	workspace  string // the working directory, GITHUB_WORKSPACE
	runnerTemp string // runner.temp, RUNNER_TEMP
	github     map[string]string
	// reuse holds the outputs of steps already run once for real, by step
	// id: the build step compiles the bot once for all cases.
	reuse map[string]map[string]string
}

// actionRun is what a run of the action produced.
type actionRun struct {
	failedStep string // "" when every step succeeded
	exitCode   int    // the failed step's exit status
	log        string // every step's stdout and stderr, in order
	summary    string // the job summary, all steps appended
	outputs    map[string]string
	steps      map[string]map[string]string // step id -> outputs
}

// runAction runs a's shell steps in order with the given inputs, as the
// runner does for a composite action, and stops at the first failing step.
func runAction(t *testing.T, a *action, rc runContext, given map[string]string) *actionRun {
	t.Helper()
	inputs := map[string]string{}
	for name := range given {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("the action has no input %q", name)
		}
	}
	ev := &evaluator{rc: rc, inputs: inputs, steps: map[string]map[string]string{}}
	for name, in := range a.Inputs {
		v, ok := given[name]
		if !ok {
			if in.Required {
				t.Fatalf("required input %q not given", name)
			}
			var err error
			if v, err = ev.interpolate(in.Default); err != nil {
				t.Fatalf("default of input %q: %v", name, err)
			}
		}
		inputs[name] = v
	}

	run := &actionRun{steps: ev.steps}
	var log strings.Builder
	for i, st := range a.Runs.Steps {
		if st.Uses != "" {
			ref, _, _ := strings.Cut(st.Uses, "@")
			if _, ok := standIns[ref]; !ok {
				t.Fatalf("step %q uses %s, which the test has no stand-in for", st.label(), st.Uses)
			}
			continue
		}
		if st.If != "" {
			t.Fatalf("step %q: `if:` on a run step is not modelled", st.label())
		}
		if out, ok := rc.reuse[st.ID]; ok {
			ev.steps[st.ID] = out
			continue
		}
		code, out := runStep(t, ev, rc, i, st, run, &log)
		if st.ID != "" {
			ev.steps[st.ID] = out
		}
		if code != 0 {
			run.failedStep, run.exitCode = st.label(), code
			break
		}
	}
	run.log = log.String()
	run.outputs = map[string]string{}
	for name, o := range a.Outputs {
		v, err := ev.interpolate(o.Value)
		if err != nil {
			t.Fatalf("output %q: %v", name, err)
		}
		run.outputs[name] = v
	}
	return run
}

// runStep runs one `run:` step the way the runner does for `shell: bash`:
// the script (with its ${{ }} already substituted) in a file, run by
// `bash --noprofile --norc -eo pipefail {0}`, with fresh GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files.
func runStep(t *testing.T, ev *evaluator, rc runContext, i int, st actionStep, run *actionRun,
	log *strings.Builder) (int, map[string]string) {
	t.Helper()
	if st.Shell != "bash" {
		t.Fatalf("step %q: shell %q; composite run steps must name one, and this runner models bash", st.label(), st.Shell)
	}
	script, err := ev.interpolate(st.Run)
	if err != nil {
		t.Fatalf("step %q: run: %v", st.label(), err)
	}
	dir := t.TempDir()
	scriptPath := filepath.Join(rc.runnerTemp, fmt.Sprintf("step-%d-%s.sh", i, filepath.Base(dir)))
	outputFile := filepath.Join(dir, "output")
	summaryFile := filepath.Join(dir, "summary")
	for _, f := range []string{scriptPath, outputFile, summaryFile} {
		content := ""
		if f == scriptPath {
			content = script
		}
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	env := baseEnv(rc)
	env = append(env, "GITHUB_OUTPUT="+outputFile, "GITHUB_STEP_SUMMARY="+summaryFile)
	for _, name := range sortedKeys(st.Env) {
		v, err := ev.interpolate(st.Env[name])
		if err != nil {
			t.Fatalf("step %q: env %s: %v", st.label(), name, err)
		}
		env = append(env, name+"="+v)
	}

	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", scriptPath)
	cmd.Dir = rc.workspace
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	fmt.Fprintf(log, "##[group]Run %s\n%s##[endgroup]\n", st.label(), out)
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("step %q: %v", st.label(), err)
		}
		code = ee.ExitCode()
	}
	summary, err := os.ReadFile(summaryFile)
	if err != nil {
		t.Fatal(err)
	}
	run.summary += string(summary)
	return code, parseOutputFile(t, outputFile)
}

// baseEnv is the job environment every step starts from: the test
// process's, less anything from a real runner, plus the runner's own.
func baseEnv(rc runContext) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GITHUB_") || strings.HasPrefix(name, "RUNNER_") ||
			strings.HasPrefix(name, "INPUT_") || name == "GH_TOKEN" || name == "CI" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"CI=true",
		"GITHUB_ACTIONS=true",
		"GITHUB_WORKSPACE="+rc.workspace,
		"GITHUB_ACTION_PATH="+rc.actionPath,
		"RUNNER_TEMP="+rc.runnerTemp,
	)
}

// parseOutputFile reads a GITHUB_OUTPUT file: NAME=VALUE lines and
// NAME<<DELIMITER blocks.
func parseOutputFile(t *testing.T, path string) map[string]string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var lines []string
			for sc.Scan() && sc.Text() != delim {
				lines = append(lines, sc.Text())
			}
			out[name] = strings.Join(lines, "\n")
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: line %q is neither NAME=VALUE nor NAME<<DELIMITER", path, line)
		}
		out[name] = value
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// evaluator substitutes ${{ }} expressions of the few forms the action
// uses; any other expression is an error, so the action cannot come to
// depend on one these tests do not model.
type evaluator struct {
	rc     runContext
	inputs map[string]string
	steps  map[string]map[string]string
}

var (
	exprRE     = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	inputRE    = regexp.MustCompile(`^inputs\.([A-Za-z_][A-Za-z0-9_-]*)$`)
	stepOutRE  = regexp.MustCompile(`^steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)$`)
	githubRE   = regexp.MustCompile(`^github\.([a-z_]+)$`)
	runnerTemp = "runner.temp"
)

func (ev *evaluator) interpolate(s string) (string, error) {
	var firstErr error
	out := exprRE.ReplaceAllStringFunc(s, func(m string) string {
		v, err := ev.eval(strings.TrimSpace(exprRE.FindStringSubmatch(m)[1]))
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	})
	if firstErr == nil && strings.Contains(out, "${{") {
		firstErr = fmt.Errorf("unterminated expression in %q", s)
	}
	return out, firstErr
}

func (ev *evaluator) eval(expr string) (string, error) {
	// GitHub's expression language is case-insensitive for context and
	// property names; inputs are declared in lower case here.
	if m := inputRE.FindStringSubmatch(expr); m != nil {
		v, ok := ev.inputs[strings.ToLower(m[1])]
		if !ok {
			return "", fmt.Errorf("${{ %s }}: the action has no such input", expr)
		}
		return v, nil
	}
	if m := stepOutRE.FindStringSubmatch(expr); m != nil {
		// A step that did not run or set nothing yields "", as on GitHub.
		return ev.steps[m[1]][m[2]], nil
	}
	if expr == runnerTemp {
		return ev.rc.runnerTemp, nil
	}
	if m := githubRE.FindStringSubmatch(expr); m != nil {
		if m[1] == "action_path" {
			return ev.rc.actionPath, nil
		}
		if v, ok := ev.rc.github[m[1]]; ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("${{ %s }}: not an expression this test models", expr)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
