package deploy_test

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/pindrift/pindrift/internal/config"
)

const dockerfilePath = "Dockerfile"

// image is what the tests need to know of deploy/Dockerfile.
type image struct {
	buildBase, runtimeBase string
	build                  goBuild
	// Runtime stage.
	user       string   // USER
	binary     string   // where the build output is copied
	entrypoint []string // exec form
	cmd        []string
	workdir    string
	volumes    []string
	exposed    []string
	stateOwner string // --chown of the COPY into the working directory
	health     *dockerspec.HealthcheckConfig
}

// goBuild is the builder stage's `go build` command, as the shell in the
// builder would run it.
type goBuild struct {
	line    string   // the RUN line, for messages
	env     []string // ENV of the stage, then the command's own assignments
	args    []string // after "go"
	output  string   // the -o path inside the builder
	workdir string   // where `COPY . .` put the build context
}

// parseImage reads deploy/Dockerfile with BuildKit's own parser.
func parseImage(t *testing.T) image {
	t.Helper()
	f, err := os.Open(dockerfilePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("%s does not parse: %v", dockerfilePath, err)
	}
	for _, w := range res.Warnings {
		t.Errorf("%s: BuildKit warns: %s", dockerfilePath, w.Short)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		t.Fatalf("%s: %v", dockerfilePath, err)
	}
	if len(stages) != 2 {
		t.Fatalf("%s has %d stages; the tests expect a builder and a runtime stage", dockerfilePath, len(stages))
	}
	lex := shell.NewLex(res.EscapeToken)
	args := map[string]string{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Value != nil {
				args[kv.Key] = *kv.Value
			}
		}
	}
	expand := func(env map[string]string, word string) string {
		t.Helper()
		out, _, err := lex.ProcessWord(word, shell.EnvsFromSlice(envSlice(env)))
		if err != nil {
			t.Fatalf("%s: expand %q: %v", dockerfilePath, word, err)
		}
		return out
	}

	var img image
	builder, runtime := stages[0], stages[1]
	img.buildBase = expand(args, builder.BaseName)
	img.runtimeBase = expand(args, runtime.BaseName)
	img.build = builderCommand(t, builder, args, lex, expand)

	for _, c := range runtime.Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			img.user = c.User
		case *instructions.WorkdirCommand:
			img.workdir = c.Path
		case *instructions.VolumeCommand:
			img.volumes = append(img.volumes, c.Volumes...)
		case *instructions.ExposeCommand:
			img.exposed = append(img.exposed, c.Ports...)
		case *instructions.HealthCheckCommand:
			img.health = c.Health
		case *instructions.EntrypointCommand:
			if c.PrependShell {
				t.Errorf("%s: ENTRYPOINT is in shell form; distroless has no shell", dockerfilePath)
			}
			img.entrypoint = c.CmdLine
		case *instructions.CmdCommand:
			if c.PrependShell {
				t.Errorf("%s: CMD is in shell form; distroless has no shell", dockerfilePath)
			}
			img.cmd = c.CmdLine
		case *instructions.CopyCommand:
			if c.From != builder.Name {
				continue
			}
			for _, src := range c.SourcePaths {
				switch src {
				case img.build.output:
					img.binary = c.DestPath
				default:
					img.stateOwner = c.Chown
				}
			}
		}
	}
	return img
}

// builderCommand finds the builder stage's `go build` and the stage state
// it runs in.
func builderCommand(t *testing.T, st instructions.Stage, args map[string]string, lex *shell.Lex,
	expand func(map[string]string, string) string) goBuild {
	t.Helper()
	env := map[string]string{}
	for k, v := range args {
		env[k] = v
	}
	var stageEnv []string
	workdir, contextAt := "/", ""
	var found *goBuild
	for _, c := range st.Commands {
		switch c := c.(type) {
		case *instructions.WorkdirCommand:
			workdir = path.Join(workdir, expand(env, c.Path))
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				v := expand(env, kv.Value)
				env[kv.Key] = v
				stageEnv = append(stageEnv, kv.Key+"="+v)
			}
		case *instructions.CopyCommand:
			if c.From == "" && slices.Equal(c.SourcePaths, []string{"."}) {
				contextAt = path.Join(workdir, c.DestPath)
			}
		case *instructions.RunCommand:
			if !c.PrependShell || len(c.CmdLine) != 1 {
				continue
			}
			words, err := lex.ProcessWords(c.CmdLine[0], shell.EnvsFromSlice(envSlice(env)))
			if err != nil {
				t.Fatalf("%s: RUN %s: %v", dockerfilePath, c.CmdLine[0], err)
			}
			// Leading NAME=value words are the command's own environment.
			var inline []string
			for len(words) > 0 && regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`).MatchString(words[0]) {
				inline, words = append(inline, words[0]), words[1:]
			}
			if len(words) < 2 || words[0] != "go" || words[1] != "build" {
				continue
			}
			if found != nil {
				t.Fatalf("%s: two RUN lines run go build; the test reproduces one", dockerfilePath)
			}
			for _, w := range words {
				if strings.ContainsAny(w, ";|&`") || w == "$(" {
					t.Fatalf("%s: RUN %s: the go build line must be one command (found %q) for the test to reproduce it",
						dockerfilePath, c.CmdLine[0], w)
				}
			}
			b := goBuild{line: c.CmdLine[0], env: append(slices.Clone(stageEnv), inline...), args: words[1:], workdir: workdir}
			found = &b
		}
	}
	if found == nil {
		t.Fatalf("%s: the builder stage %q has no RUN go build", dockerfilePath, st.Name)
	}
	if contextAt == "" || contextAt != found.workdir {
		t.Fatalf("%s: go build runs in %s, but the build context is copied (COPY . .) to %q", dockerfilePath, found.workdir, contextAt)
	}
	out, ok := shortFlag(found.args, "o")
	if !ok {
		t.Fatalf("%s: go build has no -o, so the runtime stage cannot know where the binary is", dockerfilePath)
	}
	found.output = out
	return *found
}

func envSlice(env map[string]string) []string {
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

// shortFlag is the value of a go-style flag -name (or --name), given as
// "-name v" or "-name=v".
func shortFlag(args []string, name string) (string, bool) {
	for i, a := range args {
		for _, p := range []string{"-" + name, "--" + name} {
			if a == p && i+1 < len(args) {
				return args[i+1], true
			}
			if v, ok := strings.CutPrefix(a, p+"="); ok {
				return v, true
			}
		}
	}
	return "", false
}

// The Dockerfile's `go build`, run once for the package: on a copy of the
// build context as .dockerignore filters it, with the stage's environment
// and flags, the output redirected into scratch.
var (
	botOnce sync.Once
	botPath string
	botErr  error
	botLog  string
)

// bot returns the binary built by the Dockerfile's command, building it on
// first use; a build failure fails every test that needs the binary.
func bot(t *testing.T) string {
	t.Helper()
	botOnce.Do(func() {
		botErr = fmt.Errorf("%s did not parse", dockerfilePath) // until it does
		img := parseImage(t)
		botPath, botLog, botErr = runDockerBuild(img.build)
	})
	if botErr != nil {
		t.Fatalf("the Dockerfile's go build failed: %v\n%s", botErr, botLog)
	}
	return botPath
}

func runDockerBuild(b goBuild) (binary, log string, err error) {
	ctxDir := filepath.Join(scratch, "context")
	if err := copyContext(repoRoot, ctxDir); err != nil {
		return "", "", fmt.Errorf("copy the build context: %w", err)
	}
	binary = filepath.Join(scratch, "bin", path.Base(b.output))
	args := slices.Clone(b.args)
	for i, a := range args {
		switch {
		case (a == "-o" || a == "--o") && i+1 < len(args):
			args[i+1] = binary
		case strings.HasPrefix(a, "-o="), strings.HasPrefix(a, "--o="):
			args[i] = "-o=" + binary
		}
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = ctxDir
	cmd.Env = append(os.Environ(), b.env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Sprintf("RUN %s\n(run as: go %s, env %q)\n%s", b.line, strings.Join(args, " "), b.env, out), err
	}
	return binary, string(out), nil
}

// copyContext copies the files of src that .dockerignore lets into the
// build context to dst.
func copyContext(src, dst string) error {
	var patterns []string
	if f, err := os.Open(filepath.Join(src, ".dockerignore")); err == nil {
		patterns, err = ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf(".dockerignore: %w", err)
		}
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return fmt.Errorf(".dockerignore: %w", err)
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || rel == "." {
			return err
		}
		ignored, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		if ignored {
			if d.IsDir() && !pm.Exclusions() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			return copyFile(p, target)
		}
		return nil
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TestDockerfileBuilds runs the builder stage's go build on the filtered
// build context and then the binary it made.
func TestDockerfileBuilds(t *testing.T) {
	img := parseImage(t)
	for _, want := range []string{"CGO_ENABLED=1"} {
		if !slices.Contains(img.build.env, want) {
			t.Errorf("%s: go build runs without %s (tree-sitter is compiled by cgo); env %q", dockerfilePath, want, img.build.env)
		}
	}
	if !slices.Contains(img.build.args, "-trimpath") {
		t.Errorf("%s: go build without -trimpath: %q", dockerfilePath, img.build.args)
	}
	if pkg := img.build.args[len(img.build.args)-1]; pkg != "./cmd/bot" {
		t.Errorf("%s: go build builds %q, not ./cmd/bot", dockerfilePath, pkg)
	}

	bin := bot(t)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "pins", "internal/pin/python/testdata/synthetic/records.py")
	cmd.Dir = repoRoot
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bot pins: %v\n%s", err, stderr.String())
	}
	const summary = "15 pins (12 unique), 3 unresolved, 0 invalid"
	if !strings.Contains(stdout.String(), summary) {
		t.Errorf("bot pins on records.py does not say %q:\n%s", summary, stdout.String())
	}

	// The image's build stamps no VCS information (.git is not in the
	// context), and `bot version` says so rather than inventing one.
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("bot version: %v", err)
	}
	if !strings.HasPrefix(string(out), "pindrift ") || !strings.Contains(string(out), " go1.") {
		t.Errorf("bot version printed %q, want pindrift's version and the Go version", out)
	}
	if slices.Contains(img.build.args, "-buildvcs=false") && !strings.Contains(string(out), "unknown revision") {
		t.Errorf("bot version printed %q for a -buildvcs=false build, want \"unknown revision\"", out)
	}
}

// glibcLibraries are the shared libraries Debian's libc6 package holds,
// which distroless/base ships; anything else would be missing at run time.
var glibcLibraries = map[string]bool{
	"libc.so.6": true, "libm.so.6": true, "libpthread.so.0": true, "libdl.so.2": true,
	"libresolv.so.2": true, "librt.so.1": true,
}

func TestDockerfileBinaryNeedsOnlyGlibc(t *testing.T) {
	f, err := elf.Open(bot(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) == 0 {
		t.Fatal("the binary is static: cgo was off, so tree-sitter was not compiled in as the runtime image expects")
	}
	for _, l := range libs {
		if !glibcLibraries[l] {
			t.Errorf("the binary needs %s, which the glibc-only runtime image does not have", l)
		}
	}
}

// debianRelease maps a Debian code name or "debianN" in an image name to
// the release number.
func debianRelease(image string) (int, bool) {
	for name, n := range map[string]int{"bullseye": 11, "bookworm": 12, "trixie": 13, "forky": 14} {
		if strings.Contains(image, name) {
			return n, true
		}
	}
	if m := regexp.MustCompile(`debian(\d+)`).FindStringSubmatch(image); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, true
	}
	return 0, false
}

func TestDockerfileRuntimeStage(t *testing.T) {
	img := parseImage(t)

	t.Run("base images pinned, same Debian release", func(t *testing.T) {
		for _, ref := range []string{img.buildBase, img.runtimeBase} {
			if !strings.Contains(ref, ":") || strings.HasSuffix(ref, ":latest") {
				t.Errorf("%s: %q is not pinned by a tag", dockerfilePath, ref)
			}
		}
		b, okB := debianRelease(img.buildBase)
		r, okR := debianRelease(img.runtimeBase)
		if !okB || !okR {
			t.Fatalf("%s: cannot tell the Debian release of %q and %q", dockerfilePath, img.buildBase, img.runtimeBase)
		}
		// The binary links the builder's glibc: an older runtime glibc
		// fails at start with "GLIBC_2.xx not found".
		if b > r {
			t.Errorf("%s: the builder is Debian %d but the runtime is Debian %d", dockerfilePath, b, r)
		}
	})

	t.Run("non-root numeric user", func(t *testing.T) {
		uid, _, _ := strings.Cut(img.user, ":")
		n, err := strconv.Atoi(uid)
		switch {
		case img.user == "":
			t.Errorf("%s: the runtime stage has no USER and runs as root", dockerfilePath)
		case err != nil:
			t.Errorf("%s: USER %s is a name; Kubernetes' runAsNonRoot can only check a numeric user", dockerfilePath, img.user)
		case n == 0:
			t.Errorf("%s: USER %s is root", dockerfilePath, img.user)
		}
		if img.stateOwner != img.user {
			t.Errorf("%s: the state directory is owned by %q, not the USER %q", dockerfilePath, img.stateOwner, img.user)
		}
	})

	t.Run("runs the built binary", func(t *testing.T) {
		if img.binary == "" {
			t.Fatalf("%s: the runtime stage copies nothing from the build output %s", dockerfilePath, img.build.output)
		}
		if len(img.entrypoint) == 0 || img.entrypoint[0] != img.binary {
			t.Errorf("%s: ENTRYPOINT %q does not run %s", dockerfilePath, img.entrypoint, img.binary)
		}
		// The default command must be one the binary accepts.
		args := append(slices.Clone(img.entrypoint[1:]), img.cmd...)
		out, err := exec.Command(bot(t), append(args, "--help")...).CombinedOutput()
		if err != nil {
			t.Errorf("bot %s --help: %v\n%s", strings.Join(args, " "), err, out)
		}
		if !slices.Equal(img.cmd, []string{"serve"}) {
			t.Errorf("%s: CMD is %q, want [serve]", dockerfilePath, img.cmd)
		}
	})

	t.Run("state in a volume, default database there", func(t *testing.T) {
		if !slices.Contains(img.volumes, img.workdir) {
			t.Errorf("%s: WORKDIR %s is not a VOLUME (%q); the default database would land on the read-only root", dockerfilePath, img.workdir, img.volumes)
		}
		// Without --config, a relative sqlite path resolves against the
		// working directory.
		t.Chdir(t.TempDir())
		cfg, err := loadServer(t, "", map[string]string{
			"GITHUB_APP_INTEGRATION_ID": "1", "GITHUB_APP_WEBHOOK_SECRET": "s", "GITHUB_APP_PRIVATE_KEY": testKey(t)})
		if err != nil {
			t.Fatal(err)
		}
		wd, _ := os.Getwd()
		if got, want := cfg.Database.SQLitePath(), filepath.Join(wd, "pindrift.db"); got != want {
			t.Errorf("the default database is %s, not in the working directory (%s)", got, want)
		}
	})

	t.Run("health check asks the server with bot healthcheck", func(t *testing.T) {
		if img.health == nil {
			t.Fatalf("%s: the runtime stage has no HEALTHCHECK", dockerfilePath)
		}
		args := healthArgs(t, dockerfilePath, img.health.Test, img.binary)
		// Without --config the server listens on the default port, and
		// nothing in the image sets PINDRIFT_SERVER_PORT.
		port, timeout := healthTarget(t, args, nil)
		if port != config.DefaultPort {
			t.Errorf("%s: HEALTHCHECK asks port %d, the server listens on %d", dockerfilePath, port, config.DefaultPort)
		}
		if img.health.Timeout <= timeout {
			t.Errorf("%s: HEALTHCHECK --timeout=%s does not exceed bot healthcheck's own %s", dockerfilePath, img.health.Timeout, timeout)
		}
		if img.health.StartPeriod < 30*time.Second {
			t.Errorf("%s: HEALTHCHECK --start-period=%s leaves too little for migrating the database", dockerfilePath, img.health.StartPeriod)
		}
	})

	t.Run("exposes the default port", func(t *testing.T) {
		want := strconv.Itoa(config.DefaultPort)
		if !slices.ContainsFunc(img.exposed, func(p string) bool { return strings.TrimSuffix(p, "/tcp") == want }) {
			t.Errorf("%s: EXPOSE %q does not include the server's default port %s", dockerfilePath, img.exposed, want)
		}
	})
}

// TestDockerignoreKeepsBuildInputs guards the other direction: a
// .dockerignore that drops a needed file makes the build test fail, and
// one that keeps secrets or databases would ship them in the context.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	bot(t) // the copy exists once the binary is built
	ctxDir := filepath.Join(scratch, "context")
	for _, p := range []string{"go.mod", "go.sum", "cmd/bot/main.go"} {
		if _, err := os.Stat(filepath.Join(ctxDir, p)); err != nil {
			t.Errorf("the build context lacks %s: %v", p, err)
		}
	}
	for _, p := range []string{".git", "deploy/.env"} {
		if _, err := os.Stat(filepath.Join(ctxDir, p)); err == nil {
			t.Errorf("the build context holds %s", p)
		}
	}
	// The secrets an operator puts beside the deployment files must stay
	// out of the context even when they exist.
	patterns, err := ignorefile.ReadAll(strings.NewReader(readFile(t, filepath.Join(repoRoot, ".dockerignore"))))
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"deploy/.env", "deploy/secrets/private-key.pem"} {
		if ignored, err := pm.MatchesOrParentMatches(p); err != nil || !ignored {
			t.Errorf(".dockerignore lets %s into the build context", p)
		}
	}
}
