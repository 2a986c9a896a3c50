// Package deploy_test checks the deployment files under deploy/ against
// the code they deploy: the Dockerfile's build is run, the manifests are
// decoded strictly into their real types, every configuration they ship is
// loaded by config.LoadServer, and the Kubernetes probes are asked of a
// running `bot serve`.
package deploy_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pindrift/pindrift/internal/config"
)

// repoRoot is the build context of deploy/Dockerfile and the root of the
// main module, which this module replaces its requirement with (go.mod).
const repoRoot = ".."

// scratch holds what the tests share across the package: the binary that
// the Dockerfile's build command produced.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pindrift-deploy-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var testKeyOnce = sync.OnceValue(func() string {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
})

// testKey is an App private key for configurations under test.
func testKey(t *testing.T) string {
	t.Helper()
	return testKeyOnce()
}

// testPublicKey is testKey's public half, for the fake GitHub to check the
// App's JWTs with: a server that did not read the key it was given fails.
func testPublicKey(t *testing.T) *rsa.PublicKey {
	t.Helper()
	block, _ := pem.Decode([]byte(testKey(t)))
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return &key.PublicKey
}

// serverEnvNames are the variables `bot serve` reads (config.ServerEnv).
func serverEnvNames() map[string]bool {
	names := map[string]bool{}
	for _, v := range config.ServerEnv() {
		names[v.Name] = true
	}
	return names
}

// loadServer runs config.LoadServer on the file at path ("" for none) as a
// process whose environment is exactly env, as far as the server's
// variables go. go-githubapp reads the GITHUB_* variables from the process
// environment itself, so they are set (or unset) there: callers cannot run
// in parallel.
func loadServer(t *testing.T, path string, env map[string]string) (*config.Server, error) {
	t.Helper()
	for _, v := range config.ServerEnv() {
		if !strings.HasPrefix(v.Name, "GITHUB_") {
			continue
		}
		if value, ok := env[v.Name]; ok {
			t.Setenv(v.Name, value)
		} else {
			t.Setenv(v.Name, "") // restored after the test
			os.Unsetenv(v.Name)
		}
	}
	return config.LoadServer(path, func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	})
}

// writeFile writes data to a new file under t.TempDir() and returns its path.
func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// flagValue is the value of --name in args ("--name v" or "--name=v").
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if a == "--"+name && i+1 < len(args) {
			return args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}
