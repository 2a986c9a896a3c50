package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// keyDir is a folder holding the key files the private_key_file tests
// name, and the configuration file beside them.
func keyDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"app.pem":       testKeys().pkcs1,
		"pkcs8.pem":     testKeys().pkcs8,
		"ec.pem":        testKeys().ec,
		"empty.pem":     "\n",
		"escaped.pem":   strings.ReplaceAll(testKeys().pkcs1, "\n", `\n`),
		"huge.pem":      strings.Repeat("A", MaxPrivateKeyFileBytes+1),
		"keys/team.pem": testKeys().pkcs1,
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o400); err != nil {
			t.Fatal(err)
		}
	}
	// Kubernetes mounts a Secret's keys as symbolic links into a
	// timestamped folder.
	if err := os.Mkdir(filepath.Join(dir, "..2026_11_28"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "..2026_11_28", "private-key"), []byte(testKeys().pkcs1), 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..2026_11_28/private-key", filepath.Join(dir, "private-key")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// appWithout is a github.app block with an id and a secret; the key
// settings are added by the caller at the given indentation.
const appWithout = "github:\n  app:\n    integration_id: 12345\n    webhook_secret: s3cret\n"

func TestPrivateKeyFileValid(t *testing.T) {
	tests := map[string]struct {
		yaml      string // "" for no file; "$DIR" is the key folder
		githubEnv map[string]string
		chdir     bool // run in the key folder
		wantKey   string
		wantFile  string // relative to the key folder; "" for none
	}{
		"relative to the configuration file": {
			yaml:    appWithout + "    private_key_file: keys/team.pem\n",
			wantKey: testKeys().pkcs1, wantFile: "keys/team.pem",
		},
		"absolute": {
			yaml:    appWithout + "    private_key_file: $DIR/pkcs8.pem\n",
			wantKey: testKeys().pkcs8, wantFile: "pkcs8.pem",
		},
		"symbolic link, as a Kubernetes Secret volume has": {
			yaml:    appWithout + "    private_key_file: private-key\n",
			wantKey: testKeys().pkcs1, wantFile: "private-key",
		},
		"environment only, relative to the working directory": {
			githubEnv: map[string]string{"GITHUB_APP_INTEGRATION_ID": "12345", "GITHUB_APP_WEBHOOK_SECRET": "s3cret",
				"GITHUB_APP_PRIVATE_KEY_FILE": "app.pem"},
			chdir:   true,
			wantKey: testKeys().pkcs1, wantFile: "app.pem",
		},
		"environment's file replaces the file's inline key": {
			yaml:      appWithout + "    private_key: " + block(testKeys().pkcs8, "      "),
			githubEnv: map[string]string{"GITHUB_APP_PRIVATE_KEY_FILE": "$DIR/app.pem"},
			wantKey:   testKeys().pkcs1, wantFile: "app.pem",
		},
		"environment's inline key replaces the file's key file, which is not read": {
			yaml:      appWithout + "    private_key_file: does-not-exist.pem\n",
			githubEnv: map[string]string{"GITHUB_APP_PRIVATE_KEY": testKeys().pkcs8},
			wantKey:   testKeys().pkcs8,
		},
		"an empty GITHUB_APP_PRIVATE_KEY is no second key": {
			yaml:      appWithout,
			githubEnv: map[string]string{"GITHUB_APP_PRIVATE_KEY": "", "GITHUB_APP_PRIVATE_KEY_FILE": "$DIR/app.pem"},
			wantKey:   testKeys().pkcs1, wantFile: "app.pem",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearGitHubEnv(t)
			dir := keyDir(t)
			for k, v := range tc.githubEnv {
				t.Setenv(k, strings.ReplaceAll(v, "$DIR", dir))
			}
			if tc.chdir {
				t.Chdir(dir)
			}
			path := ""
			if tc.yaml != "" {
				path = filepath.Join(dir, "pindrift.yml")
				if err := os.WriteFile(path, []byte(strings.ReplaceAll(tc.yaml, "$DIR", dir)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := LoadServer(path, envMap(nil))
			if err != nil {
				t.Fatalf("LoadServer: %v", err)
			}
			if cfg.GitHub.App.PrivateKey != tc.wantKey {
				t.Error("github.app.private_key is not the expected key")
			}
			wantFile := ""
			if tc.wantFile != "" {
				wantFile = filepath.Join(dir, tc.wantFile)
			}
			if cfg.PrivateKeyFile != wantFile {
				t.Errorf("PrivateKeyFile = %q, want %q", cfg.PrivateKeyFile, wantFile)
			}
			if wantFile != "" && !strings.Contains(cfg.String(), `github.app.private_key_file="`+wantFile+`"`) {
				t.Errorf("String() does not show where the key came from: %s", cfg)
			}
		})
	}
}

func TestPrivateKeyFileInvalid(t *testing.T) {
	tests := map[string]struct {
		yaml      string // "$DIR" is the key folder
		githubEnv map[string]string
		want      []Problem // "$DIR" in messages is the key folder
	}{
		"both in the file": {
			yaml: appWithout + "    private_key: " + block(testKeys().pkcs1, "      ") + "    private_key_file: app.pem\n",
			want: []Problem{{Line: 33, Column: 5, Key: "github.app.private_key_file",
				Message: "github.app.private_key is set too (at line 5); give only one of the two"}},
		},
		"both in the environment": {
			yaml: appWithout,
			githubEnv: map[string]string{"GITHUB_APP_PRIVATE_KEY": testKeys().pkcs1,
				"GITHUB_APP_PRIVATE_KEY_FILE": "$DIR/app.pem"},
			want: []Problem{{Env: "GITHUB_APP_PRIVATE_KEY_FILE", Key: "github.app.private_key_file",
				Message: "GITHUB_APP_PRIVATE_KEY is set too; set only one of the two"}},
		},
		"missing file": {
			yaml: appWithout + "    private_key_file: keys/absent.pem\n",
			want: []Problem{{Line: 5, Column: 23, Key: "github.app.private_key_file",
				Message: "$DIR/keys/absent.pem does not exist"}},
		},
		"missing file from the environment": {
			yaml:      appWithout,
			githubEnv: map[string]string{"GITHUB_APP_PRIVATE_KEY_FILE": "/nonexistent/pindrift/key.pem"},
			want: []Problem{{Env: "GITHUB_APP_PRIVATE_KEY_FILE", Key: "github.app.private_key_file",
				Message: "/nonexistent/pindrift/key.pem does not exist"}},
		},
		"a folder": {
			yaml: appWithout + "    private_key_file: keys\n",
			want: []Problem{{Line: 5, Column: 23, Key: "github.app.private_key_file",
				Message: "$DIR/keys is not a regular file (d---------)"}},
		},
		"empty": {
			yaml: appWithout + "    private_key_file: empty.pem\n",
			want: []Problem{{Line: 5, Column: 23, Key: "github.app.private_key_file",
				Message: "$DIR/empty.pem is empty; it must hold the PEM private key generated in the App's settings"}},
		},
		"too large": {
			yaml: appWithout + "    private_key_file: huge.pem\n",
			want: []Problem{{Line: 5, Column: 23, Key: "github.app.private_key_file",
				Message: "$DIR/huge.pem is larger than 65536 bytes, more than any App private key"}},
		},
		"not RSA": {
			yaml: appWithout + "    private_key_file: ec.pem\n",
			want: []Problem{{Line: 5, Column: 23, Key: "github.app.private_key_file",
				Message: "$DIR/ec.pem is a ecdsa key; GitHub App keys are RSA"}},
		},
		"escaped line breaks": {
			yaml: appWithout + "    private_key_file: escaped.pem\n",
			want: []Problem{{Line: 5, Column: 23, Key: "github.app.private_key_file",
				Message: `$DIR/escaped.pem is not a PEM private key: its line breaks are the two characters \n; use real newlines`}},
		},
		"not a string": {
			yaml: appWithout + "    private_key_file: [app.pem]\n",
			want: []Problem{{Line: 5, Column: 23, Key: "github.app.private_key_file", Message: "must be a string"}},
		},
		"misspelled, with the key among the known ones": {
			yaml: appWithout + "    private_key_path: app.pem\n",
			want: []Problem{
				{Line: 5, Column: 5, Key: "github.app.private_key_path",
					Message: "unknown key (known keys in github.app: integration_id, webhook_secret, private_key, private_key_file)"},
			},
		},
		"only where go-githubapp's App is": {
			yaml: "private_key_file: app.pem\n" + appWithout + "    private_key_file: app.pem\n",
			want: []Problem{{Line: 1, Column: 1, Key: "private_key_file",
				Message: "unknown key (known keys here: server, github, database, sweep, verify, jobs, metrics, sandbox, log)"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearGitHubEnv(t)
			dir := keyDir(t)
			for k, v := range tc.githubEnv {
				t.Setenv(k, strings.ReplaceAll(v, "$DIR", dir))
			}
			path := filepath.Join(dir, "pindrift.yml")
			if err := os.WriteFile(path, []byte(strings.ReplaceAll(tc.yaml, "$DIR", dir)), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := LoadServer(path, envMap(nil))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("LoadServer = %v, %v; want an *Error", cfg, err)
			}
			want := make([]Problem, len(tc.want))
			for i, p := range tc.want {
				p.Message = strings.ReplaceAll(p.Message, "$DIR", dir)
				want[i] = p
			}
			if diff := cmp.Diff(want, ce.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if keyLine := strings.Split(testKeys().pkcs1, "\n")[3]; strings.Contains(err.Error(), keyLine) {
				t.Errorf("the error shows the key:\n%s", err)
			}
		})
	}
}

// TestPrivateKeyFileFIFO: a FIFO would block the server's start forever.
func TestPrivateKeyFileFIFO(t *testing.T) {
	clearGitHubEnv(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "key.pem")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	path := filepath.Join(dir, "pindrift.yml")
	if err := os.WriteFile(path, []byte(appWithout+"    private_key_file: key.pem\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Were the FIFO opened, LoadServer would wait for a writer: be one,
	// so that the test fails rather than hangs. The cleanup opens the
	// reading end to release the writer when nothing did.
	written := make(chan struct{})
	go func() {
		defer close(written)
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Write([]byte(testKeys().pkcs1))
			w.Close()
		}
	}()
	t.Cleanup(func() {
		if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			<-written
			r.Close()
		}
	})
	_, err := LoadServer(path, envMap(nil))
	if err == nil || !strings.Contains(err.Error(), fifo+" is not a regular file") {
		t.Errorf("LoadServer = %v, want an error saying %s is not a regular file", err, fifo)
	}
}
