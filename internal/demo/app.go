package demo

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/server"
)

// app is the real App (internal/server) serving on loopback, configured
// against the fake GitHub with credentials made up for the run.
type app struct {
	url    string // http://127.0.0.1:PORT
	secret string // the webhook secret deliveries are signed with
	srv    *server.Server
	done   chan error
	stop   context.CancelFunc
}

// serverConfig writes the App's configuration into dir as an operator
// would (a fresh private key and webhook secret, the fake's URLs, SQLite
// beside the file) and loads it the way `bot serve` does.
func serverConfig(dir string, gh *ghfake.Server) (*config.Server, string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, "", fmt.Errorf("generate the App's private key: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	secret := make([]byte, 20)
	if _, err := rand.Read(secret); err != nil {
		return nil, "", fmt.Errorf("generate the webhook secret: %w", err)
	}
	// The yearly sweep keeps a nightly run out of a demo that may start
	// at 03:17 UTC; fetching from loopback needs the private-network
	// opt-in, as for any private mirror.
	yml := fmt.Sprintf(`server: {address: 127.0.0.1, port: 8080}
github:
  web_url: %s
  v3_api_url: %s
  app: {integration_id: 42, webhook_secret: %q, private_key: %q}
sweep: {schedule: "@yearly"}
verify: {allow_private_network: true}
`, gh.URL(), gh.APIURL(), hex.EncodeToString(secret), keyPEM)
	path := filepath.Join(dir, "pindrift.yml")
	if err := os.WriteFile(path, []byte(yml), 0o600); err != nil {
		return nil, "", err
	}
	// No environment: a GITHUB_* variable in the user's shell must not
	// point the demo at a real GitHub.
	cfg, err := config.LoadServer(path, func(string) (string, bool) { return "", false })
	if err != nil {
		return nil, "", err
	}
	return cfg, hex.EncodeToString(secret), nil
}

// startApp builds the App and serves it on a loopback port until stop.
func startApp(ctx context.Context, cfg *config.Server, secret string) (*app, error) {
	// Jobs are polled often so the story does not wait, and tried once:
	// a failing job is the demo's failure, reported at once rather than
	// retried with backoff.
	srv, err := server.New(ctx, cfg, server.Options{Jobs: jobs.Options{
		PollInterval: 50 * time.Millisecond, LockRetry: 100 * time.Millisecond, MaxAttempts: 1}})
	if err != nil {
		return nil, fmt.Errorf("start the App: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	serveCtx, stop := context.WithCancel(ctx)
	a := &app{url: "http://" + l.Addr().String(), secret: secret, srv: srv, done: make(chan error, 1), stop: stop}
	go func() { a.done <- srv.Serve(serveCtx, l, 5*time.Second) }()
	// Serve learns the App's login from GitHub before it takes deliveries.
	select {
	case <-srv.Ready():
		return a, nil
	case err := <-a.done:
		stop()
		if err == nil {
			err = cmp.Or(ctx.Err(), errors.New("stopped before it was ready"))
		}
		return nil, fmt.Errorf("start the App: %w", err)
	}
}

// close stops the App and waits for its database to close.
func (a *app) close() error {
	a.stop()
	if err := <-a.done; err != nil {
		return fmt.Errorf("stop the App: %w", err)
	}
	return nil
}

// settled polls the job queue until every job is done. It fails at once
// when a job failed (the demo tries each once) and after timeout when the
// queue does not drain.
func (a *app) settled(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	var counts map[string]int64
	for {
		var err error
		counts, err = a.srv.JobCounts(ctx)
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("read the job queue: %w", err)
		}
		if err == nil {
			if failed := counts["retryable"] + counts["discarded"] + counts["cancelled"]; failed > 0 {
				return fmt.Errorf("a job of the App failed (%s)", jobStates(counts))
			}
			if counts["available"]+counts["running"]+counts["scheduled"]+counts["pending"] == 0 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("the App's jobs did not finish within %s (%s)", timeout, jobStates(counts))
			}
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// jobStates lists the non-zero job counts, e.g. "completed=2 running=1".
func jobStates(counts map[string]int64) string {
	var parts []string
	for _, s := range []string{"available", "pending", "scheduled", "running", "retryable", "completed", "cancelled", "discarded"} {
		if counts[s] != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", s, counts[s]))
		}
	}
	if len(parts) == 0 {
		return "no jobs"
	}
	return "jobs: " + strings.Join(parts, " ")
}
