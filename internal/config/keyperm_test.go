//go:build unix

package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrivateKeyFileMode: a key file others can read is refused at load,
// naming the file, its mode and the fix; the modes Kubernetes, systemd
// and a careful admin give are accepted.
func TestPrivateKeyFileMode(t *testing.T) {
	const otherGroup = 4242 // a group this process is not in
	tests := map[string]struct {
		mode    os.FileMode
		gid     int // -1: the process's own group
		symlink bool
		want    string // "" when accepted
	}{
		"0400":                           {mode: 0o400, gid: -1},
		"0600":                           {mode: 0o600, gid: -1},
		"0440, our group (fsGroup)":      {mode: 0o440, gid: -1},
		"0440 behind a symlink (Secret)": {mode: 0o440, gid: -1, symlink: true},
		"0644":                           {mode: 0o644, gid: -1, want: "is accessible to every user (mode 0644)"},
		"0604":                           {mode: 0o604, gid: -1, want: "is accessible to every user (mode 0604)"},
		"0644 behind a symlink":          {mode: 0o644, gid: -1, symlink: true, want: "(mode 0644)"},
		"0660":                           {mode: 0o660, gid: -1, want: "is writable by its group (mode 0660)"},
		"0440, another group":            {mode: 0o440, gid: otherGroup, want: "is readable by group 4242 (mode 0440), which this process"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearGitHubEnv(t)
			dir := t.TempDir()
			key := filepath.Join(dir, "data", "key.pem")
			if err := os.Mkdir(filepath.Dir(key), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(key, []byte(testKeys().pkcs1), 0o600); err != nil {
				t.Fatal(err)
			}
			if tc.gid >= 0 {
				if err := os.Chown(key, -1, tc.gid); err != nil {
					t.Skipf("cannot give the key another group: %v", err)
				}
			}
			if err := os.Chmod(key, tc.mode); err != nil {
				t.Fatal(err)
			}
			named := key
			if tc.symlink {
				named = filepath.Join(dir, "private-key.pem")
				if err := os.Symlink("data/key.pem", named); err != nil {
					t.Fatal(err)
				}
			}
			cfg := writeConfig(t, appWithout+"    private_key_file: "+named+"\n")
			s, err := LoadServer(cfg, envMap(nil))
			if tc.want == "" {
				if err != nil || s.GitHub.App.PrivateKey != testKeys().pkcs1 {
					t.Fatalf("LoadServer: %v", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) || len(ce.Problems) != 1 {
				t.Fatalf("LoadServer = %v, want one problem", err)
			}
			p := ce.Problems[0]
			if p.Key != keyPrivateKeyFile || !strings.Contains(p.Message, named) || !strings.Contains(p.Message, tc.want) ||
				!strings.Contains(p.Message, "chmod 600") {
				t.Errorf("problem %+v, want the file, %q and the fix", p, tc.want)
			}
		})
	}
}
