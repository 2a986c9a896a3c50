package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-systemd/v22/unit"
)

const (
	unitFile      = "systemd/pindrift.service"
	unitConfig    = "systemd/config.yml"
	unitEnvExampl = "systemd/pindrift.env.example"
)

// serviceOptions are the unit's [Service] settings, by name, in order.
func serviceOptions(t *testing.T) map[string][]string {
	t.Helper()
	f, err := os.Open(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts, err := unit.DeserializeOptions(f)
	if err != nil {
		t.Fatalf("%s: %v", unitFile, err)
	}
	out := map[string][]string{}
	for _, o := range opts {
		if o.Section == "Service" {
			out[o.Name] = append(out[o.Name], o.Value)
		}
	}
	return out
}

func one(t *testing.T, opts map[string][]string, name string) string {
	t.Helper()
	v := opts[name]
	if len(v) != 1 {
		t.Fatalf("%s: %s is set %d times, want once", unitFile, name, len(v))
	}
	return v[0]
}

func TestSystemdUnit(t *testing.T) {
	opts := serviceOptions(t)
	argv := strings.Fields(one(t, opts, "ExecStart"))
	if strings.ContainsAny(one(t, opts, "ExecStart"), `"'\$%`) {
		t.Fatalf("%s: ExecStart uses quoting or specifiers the test does not model", unitFile)
	}

	t.Run("ExecStart is bot serve with flags the binary accepts", func(t *testing.T) {
		if len(argv) < 2 || filepath.Base(argv[0]) != "bot" || argv[1] != "serve" {
			t.Fatalf("ExecStart %q does not run bot serve", argv)
		}
		if cfg, ok := flagValue(argv, "config"); !ok || cfg != "/etc/pindrift/config.yml" {
			t.Errorf("ExecStart --config %q, want /etc/pindrift/config.yml", cfg)
		}
		// --help after the unit's flags: cobra parses them all first, so
		// an unknown flag or a bad value fails here.
		out, err := exec.Command(bot(t), append(slices.Clone(argv[1:]), "--help")...).CombinedOutput()
		if err != nil {
			t.Errorf("bot %s --help: %v\n%s", strings.Join(argv[1:], " "), err, out)
		}
	})

	t.Run("stop within TimeoutStopSec after --grace", func(t *testing.T) {
		if got := one(t, opts, "KillSignal"); got != "SIGTERM" {
			t.Errorf("KillSignal=%s, want SIGTERM", got)
		}
		grace := 30 * time.Second
		if v, ok := flagValue(argv, "grace"); ok {
			var err error
			if grace, err = time.ParseDuration(v); err != nil {
				t.Fatal(err)
			}
		}
		stop, err := time.ParseDuration(one(t, opts, "TimeoutStopSec"))
		if err != nil {
			t.Fatalf("TimeoutStopSec: %v (the test reads Go-style durations such as 45s)", err)
		}
		if stop <= grace {
			t.Errorf("TimeoutStopSec=%s does not exceed --grace %s: running jobs would be killed", stop, grace)
		}
		if got := one(t, opts, "Restart"); got != "on-failure" {
			t.Errorf("Restart=%s, want on-failure", got)
		}
	})

	t.Run("hardening", func(t *testing.T) {
		for name, want := range map[string]string{
			"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes", "ProtectHome": "yes",
			"DynamicUser": "yes", "StateDirectory": "pindrift", "EnvironmentFile": "/etc/pindrift/pindrift.env",
		} {
			if got := opts[name]; !slices.Equal(got, []string{want}) {
				t.Errorf("%s=%q, want %s", name, got, want)
			}
		}
	})

	t.Run("private key from a credential", func(t *testing.T) {
		creds := map[string]string{} // id -> source path
		for _, lc := range opts["LoadCredential"] {
			id, src, ok := strings.Cut(lc, ":")
			if !ok || !filepath.IsAbs(src) {
				t.Errorf("LoadCredential=%s: want ID:/absolute/path", lc)
				continue
			}
			creds[id] = src
		}
		var keyFile string
		for _, e := range opts["Environment"] {
			for _, kv := range strings.Fields(e) {
				if v, ok := strings.CutPrefix(kv, "GITHUB_APP_PRIVATE_KEY_FILE="); ok {
					keyFile = v
				}
			}
		}
		id, ok := strings.CutPrefix(keyFile, "%d/")
		if !ok {
			t.Fatalf("Environment= GITHUB_APP_PRIVATE_KEY_FILE=%q is not in the credentials directory %%d", keyFile)
		}
		if src, ok := creds[id]; !ok || src != "/etc/pindrift/private-key.pem" {
			t.Errorf("credential %q is loaded from %q, want /etc/pindrift/private-key.pem (LoadCredential=%q)", id, src, opts["LoadCredential"])
		}
	})

	t.Run("config keeps its database in the StateDirectory", func(t *testing.T) {
		env := map[string]string{}
		for _, m := range regexp.MustCompile(`(?m)^([A-Z_][A-Z0-9_]*)=`).FindAllStringSubmatch(readFile(t, unitEnvExampl), -1) {
			if !serverEnvNames()[m[1]] {
				t.Errorf("%s sets %s, which bot serve does not read", unitEnvExampl, m[1])
			}
			env[m[1]] = "x"
		}
		for _, name := range []string{"GITHUB_APP_INTEGRATION_ID", "GITHUB_APP_WEBHOOK_SECRET"} {
			if _, ok := env[name]; !ok {
				t.Errorf("%s does not set %s", unitEnvExampl, name)
			}
		}
		if _, ok := env["GITHUB_APP_PRIVATE_KEY"]; ok {
			t.Errorf("%s sets GITHUB_APP_PRIVATE_KEY; the key is the unit's credential", unitEnvExampl)
		}
		cfg, err := loadServer(t, unitConfig, map[string]string{
			"GITHUB_APP_INTEGRATION_ID": "42", "GITHUB_APP_WEBHOOK_SECRET": "s",
			"GITHUB_APP_PRIVATE_KEY_FILE": writeFile(t, "private-key.pem", testKey(t))})
		if err != nil {
			t.Fatalf("%s: %v", unitConfig, err)
		}
		state := "/var/lib/" + one(t, opts, "StateDirectory")
		if p := cfg.Database.SQLitePath(); filepath.Dir(p) != state {
			t.Errorf("%s puts the database at %q, outside the StateDirectory %s (ProtectSystem=strict makes the rest read-only)",
				unitConfig, cfg.Database, state)
		}
	})
}

// TestSystemdAnalyzeVerify runs systemd's own checker on the unit, in a
// root directory holding the built binary at ExecStart's path and the
// host's system units (for the targets it is ordered after). It works
// without systemd as PID 1.
func TestSystemdAnalyzeVerify(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed; TestSystemdUnit still checks the unit")
	}
	const systemUnits = "/usr/lib/systemd/system"
	if _, err := os.Stat(systemUnits); err != nil {
		t.Skipf("no %s to verify the unit against: %v", systemUnits, err)
	}
	root := t.TempDir()
	execStart := strings.Fields(one(t, serviceOptions(t), "ExecStart"))[0]
	if err := copyFile(bot(t), filepath.Join(root, execStart)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, execStart), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(root, systemUnits), os.DirFS(systemUnits)); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(root, "etc/systemd/system", filepath.Base(unitFile))
	if err := copyFile(unitFile, target); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(sa, "verify", "--man=no", "--generators=no", "--root="+root, target).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify %s: %v\n%s", unitFile, err, out)
	}
}
