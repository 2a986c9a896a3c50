package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/githubtest"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/server"
)

// A replica (re)started while GitHub cannot answer waits for it instead of
// exiting, so an outage does not become a crash loop; a key GitHub rejects
// still fails at once.
func TestStartupAndGitHub(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		breakIt  func(gh *githubtest.Server)
		timeout  time.Duration
		wantErr  string // "" means New succeeds
		wantGets int    // GET /app requests New made
	}{
		"GitHub answers": {breakIt: func(*githubtest.Server) {}, wantGets: 1},
		"two 503s, then GitHub answers": {
			breakIt: func(gh *githubtest.Server) {
				gh.Fail(githubtest.Failure{Method: http.MethodGet, Path: "/app", Status: http.StatusServiceUnavailable, Times: 2})
			},
			wantGets: 3,
		},
		"rate limited, then GitHub answers": {
			breakIt:  func(gh *githubtest.Server) { gh.RetryAfter(http.MethodGet, "/app", 1, time.Second) },
			wantGets: 2,
		},
		"key rejected (401) fails at once": {
			breakIt:  func(gh *githubtest.Server) { gh.SetAppKey(&otherKey.PublicKey) },
			wantErr:  "401",
			wantGets: 1,
		},
		"still down when stopped": {
			breakIt: func(gh *githubtest.Server) {
				gh.Fail(githubtest.Failure{Method: http.MethodGet, Path: "/app", Status: http.StatusBadGateway, Times: 1000})
			},
			timeout: 300 * time.Millisecond,
			wantErr: "stopped while waiting for GitHub",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a := newAppGitHubOnly(t)
			dbURL, schema := databaseURL(t)
			cfgFile := filepath.Join(t.TempDir(), "pindrift.yml")
			writeConfig(t, cfgFile, a.gh, dbURL, 8080)
			cfg, err := config.LoadServer(cfgFile, func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			tc.breakIt(a.gh)
			ctx, cancel := context.WithCancel(t.Context())
			if tc.timeout > 0 {
				ctx, cancel = context.WithTimeout(t.Context(), tc.timeout)
			}
			defer cancel()
			ctx = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel).WithContext(ctx)
			srv, err := server.New(ctx, cfg, server.Options{StartupRetry: 10 * time.Millisecond,
				Jobs: jobs.Options{Schema: schema, PollInterval: 50 * time.Millisecond}})
			if srv != nil {
				// Never served: closing the database is all there is to stop.
				t.Cleanup(func() { _ = srv.CloseDatabase() })
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("server.New: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("server.New error = %v, want one containing %q", err, tc.wantErr)
			}
			if got := a.gh.Count(http.MethodGet, "/app"); tc.wantGets > 0 && got != tc.wantGets {
				t.Errorf("New asked GitHub for the App %d times, want %d", got, tc.wantGets)
			}
		})
	}
}
