package benchapp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/ghfake"
)

// ServerConfig writes a configuration for an App on gh with webhook
// secret, a fresh key, SQLite in dir and the sweep at schedule (a cron
// expression or descriptor), and loads it as bot serve would.
func ServerConfig(dir string, gh *ghfake.Server, secret, schedule string) (*config.Server, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	yml := fmt.Sprintf(`server: {address: 127.0.0.1, port: 8080}
github:
  web_url: %s
  v3_api_url: %s
  app: {integration_id: 42, webhook_secret: %q, private_key: %q}
database: {url: %q}
sweep: {schedule: %q, spread: 0s}   # every run at once: the benchmarks count them
verify: {allow_private_network: true}
`, gh.URL(), gh.APIURL(), secret, keyPEM, "sqlite://"+filepath.Join(dir, "pindrift.db"), schedule)
	path := filepath.Join(dir, "pindrift.yml")
	if err := os.WriteFile(path, []byte(yml), 0o600); err != nil {
		return nil, err
	}
	// No environment: a GITHUB_* variable in the shell must not redirect
	// the benchmark to a real GitHub.
	return config.LoadServer(path, func(string) (string, bool) { return "", false })
}
