package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// testKeys are generated once: RSA generation is the slow part of the
// suite.
var testKeys = sync.OnceValue(func() (k struct{ pkcs1, pkcs8, ec string }) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	k.pkcs1 = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	k.pkcs8 = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	der, err = x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		panic(err)
	}
	k.ec = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	return k
})

// block indents text as the body of a YAML block scalar.
func block(text, indent string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	return "|\n" + indent + strings.Join(lines, "\n"+indent) + "\n"
}

// writeConfig writes a server configuration file in a fresh directory.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pindrift.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// clearGitHubEnv unsets the GITHUB_* variables read from the process
// environment (go-githubapp's, and GITHUB_APP_PRIVATE_KEY_FILE), restoring
// them when the test ends, so a developer's shell cannot change the
// outcome. Tests using it cannot run in parallel.
func clearGitHubEnv(t *testing.T) {
	t.Helper()
	for _, v := range append(githubEnv, privateKeyFileEnv) {
		t.Setenv(v.Name, "") // registers the restore
		if err := os.Unsetenv(v.Name); err != nil {
			t.Fatal(err)
		}
	}
}

// envMap is an injected environment.
func envMap(m map[string]string) LookupEnv {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}
