package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/verify"
)

// The server tests change the process environment (go-githubapp reads the
// GITHUB_* variables from it), so none of them runs in parallel.

// withApp is a configuration whose github block has a valid App; top comes
// first so that its line numbers do not depend on the key's length, and
// gh is added to the github block.
func withApp(top, gh string) string {
	return top + "github:\n" + gh + "  app:\n    integration_id: 12345\n    webhook_secret: s3cret\n    private_key: " +
		block(testKeys().pkcs1, "      ")
}

func wantApp(s *Server) *Server {
	s.GitHub.App.IntegrationID = 12345
	s.GitHub.App.WebhookSecret = "s3cret"
	s.GitHub.App.PrivateKey = testKeys().pkcs1
	return s
}

func TestLoadServerValid(t *testing.T) {
	tests := map[string]struct {
		yaml      string // "" for no file
		env       map[string]string
		githubEnv map[string]string
		want      func(dir string) *Server
	}{
		"full file": {
			yaml: `server: {address: 127.0.0.1, port: 9090, webhook_bytes_in_flight: 52428800}
metrics: {address: 10.0.0.5, port: 9100}
database: {url: "sqlite://data/pindrift.db"}
sweep: {schedule: "5 4 * * 1-5"}
verify: {concurrency: 16, max_asset_bytes: 1048576, max_run_bytes: 2097152, max_untrusted_pr_bytes: 65536, allow_private_network: true,
  min_bytes_per_second: 0, slow_grace: 1m, download_timeout: 1h}
` + withApp("", "  web_url: https://ghe.example.com\n  v3_api_url: https://ghe.example.com/api/v3/\n  v4_api_url: https://ghe.example.com/api/graphql\n"),
			want: func(dir string) *Server {
				s := wantApp(DefaultServer())
				s.HTTP = HTTP{Address: "127.0.0.1", Port: 9090, WebhookBytesInFlight: 50 << 20}
				s.Metrics = Metrics{Address: "10.0.0.5", Port: 9100}
				s.GitHub.WebURL = "https://ghe.example.com"
				s.GitHub.V3APIURL = "https://ghe.example.com/api/v3/"
				s.GitHub.V4APIURL = "https://ghe.example.com/api/graphql"
				s.Database.URL = "sqlite://" + filepath.Join(dir, "data", "pindrift.db")
				s.Sweep.Schedule = "5 4 * * 1-5"
				s.Verify = ServerVerify{Concurrency: 16, MaxAssetBytes: 1 << 20, MaxRunBytes: 2 << 20, MaxUntrustedPRBytes: 64 << 10, AllowPrivateNetwork: true,
					SlowGrace: time.Minute, DownloadTimeout: time.Hour}
				return s
			},
		},
		"minimal file: defaults": {
			yaml: withApp("", ""),
			want: func(dir string) *Server {
				s := wantApp(DefaultServer())
				s.Database.URL = "sqlite://" + filepath.Join(dir, "pindrift.db")
				return s
			},
		},
		"PKCS #8 key and postgres": {
			yaml: "database: {url: 'postgres://pindrift@db.internal:5432/pindrift?sslmode=require'}\ngithub:\n  app:\n    integration_id: 7\n    webhook_secret: w\n    private_key: " +
				block(testKeys().pkcs8, "      "),
			want: func(string) *Server {
				s := DefaultServer()
				s.GitHub.App.IntegrationID, s.GitHub.App.WebhookSecret, s.GitHub.App.PrivateKey = 7, "w", testKeys().pkcs8
				s.Database.URL = "postgres://pindrift@db.internal:5432/pindrift?sslmode=require"
				return s
			},
		},
		"environment only, no file": {
			env: map[string]string{
				"PINDRIFT_SERVER_ADDRESS": "::1", "PINDRIFT_SERVER_PORT": "8443",
				"PINDRIFT_DATABASE_URL":   "postgresql://pindrift@db/pindrift",
				"PINDRIFT_SWEEP_SCHEDULE": "@daily", "PINDRIFT_VERIFY_CONCURRENCY": "64",
				"PINDRIFT_VERIFY_MAX_ASSET_BYTES": "17179869184", "PINDRIFT_VERIFY_ALLOW_PRIVATE_NETWORK": "true",
				"PINDRIFT_VERIFY_MAX_RUN_BYTES": "34359738368", "PINDRIFT_VERIFY_MAX_UNTRUSTED_PR_BYTES": "1073741824",
				"PINDRIFT_SERVER_WEBHOOK_BYTES_IN_FLIGHT": "1073741824",
				"PINDRIFT_METRICS_ADDRESS":                "::1", "PINDRIFT_METRICS_PORT": "9999",
				"PINDRIFT_VERIFY_MIN_BYTES_PER_SECOND": "1048576", "PINDRIFT_VERIFY_SLOW_GRACE": "10s",
				"PINDRIFT_VERIFY_DOWNLOAD_TIMEOUT": "5m",
			},
			githubEnv: map[string]string{
				"GITHUB_APP_INTEGRATION_ID": "99", "GITHUB_APP_WEBHOOK_SECRET": "from-env",
				"GITHUB_APP_PRIVATE_KEY": testKeys().pkcs1, "GITHUB_V3_API_URL": "http://127.0.0.1:3000/api-v3/",
			},
			want: func(string) *Server {
				s := DefaultServer()
				s.HTTP = HTTP{Address: "::1", Port: 8443, WebhookBytesInFlight: 1 << 30}
				s.Metrics = Metrics{Address: "::1", Port: 9999}
				s.GitHub.V3APIURL = "http://127.0.0.1:3000/api-v3/"
				s.GitHub.App.IntegrationID, s.GitHub.App.WebhookSecret, s.GitHub.App.PrivateKey = 99, "from-env", testKeys().pkcs1
				s.Database.URL = "postgresql://pindrift@db/pindrift"
				s.Sweep.Schedule = "@daily"
				s.Verify = ServerVerify{Concurrency: 64, MaxAssetBytes: 16 << 30, MaxRunBytes: 32 << 30, MaxUntrustedPRBytes: 1 << 30, AllowPrivateNetwork: true,
					MinBytesPerSecond: 1 << 20, SlowGrace: 10 * time.Second, DownloadTimeout: 5 * time.Minute}
				return s
			},
		},
		"environment overrides the file": {
			yaml: withApp("server: {port: 9090}\nverify: {allow_private_network: true}\n", ""),
			env: map[string]string{
				"PINDRIFT_SERVER_PORT": "9191", "PINDRIFT_VERIFY_ALLOW_PRIVATE_NETWORK": "false",
				"PINDRIFT_DATABASE_URL": "sqlite://state/jobs.db",
			},
			githubEnv: map[string]string{"GITHUB_APP_WEBHOOK_SECRET": "rotated", "GITHUB_APP_INTEGRATION_ID": "54321"},
			want: func(dir string) *Server {
				s := wantApp(DefaultServer())
				s.HTTP.Port = 9191
				s.GitHub.App.WebhookSecret, s.GitHub.App.IntegrationID = "rotated", 54321
				s.Database.URL = "sqlite://" + filepath.Join(dir, "state", "jobs.db") // beside the file still
				return s
			},
		},
		"empty file": {
			yaml:      "# configured by the environment\n",
			githubEnv: map[string]string{"GITHUB_APP_INTEGRATION_ID": "1", "GITHUB_APP_WEBHOOK_SECRET": "w", "GITHUB_APP_PRIVATE_KEY": testKeys().pkcs8},
			want: func(dir string) *Server {
				s := DefaultServer()
				s.GitHub.App.IntegrationID, s.GitHub.App.WebhookSecret, s.GitHub.App.PrivateKey = 1, "w", testKeys().pkcs8
				s.Database.URL = "sqlite://" + filepath.Join(dir, "pindrift.db")
				return s
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearGitHubEnv(t)
			for k, v := range tc.githubEnv {
				t.Setenv(k, v)
			}
			path, dir := "", cwd(t)
			if tc.yaml != "" {
				path = writeConfig(t, tc.yaml)
				dir = filepath.Dir(path)
			}
			got, err := LoadServer(path, envMap(tc.env))
			if err != nil {
				t.Fatalf("LoadServer: %v", err)
			}
			if diff := cmp.Diff(tc.want(dir), got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func cwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

func TestLoadServerInvalid(t *testing.T) {
	tests := map[string]struct {
		yaml      string // "" for no file
		env       map[string]string
		githubEnv map[string]string
		want      []Problem
	}{
		"unknown keys": {
			yaml: withApp("server: {host: 0.0.0.0}\ndatabse: {url: x}\n", "  webhook_secret: misplaced\n"),
			want: []Problem{
				{Line: 1, Column: 10, Key: "server.host", Message: "unknown key (known keys in server: address, port, webhook_bytes_in_flight)"},
				{Line: 2, Column: 1, Key: "databse", Message: "unknown key (known keys here: server, github, database, sweep, verify, jobs, metrics, sandbox, log)"},
				{Line: 4, Column: 3, Key: "github.webhook_secret", Message: "unknown key (known keys in github: web_url, v3_api_url, v4_api_url, app, oauth)"},
			},
		},
		"listen address and port": {
			yaml: withApp("server:\n  address: 0.0.0.0:80\n  port: 70000\n", ""),
			want: []Problem{
				{Line: 2, Column: 12, Key: "server.address", Message: "must be a host name or IP address without a port; the port is server.port"},
				{Line: 3, Column: 9, Key: "server.port", Message: "must be between 1 and 65535, not 70000"},
			},
		},
		"metrics on the webhook port, a budget below one delivery": {
			yaml: withApp("server: {port: 8080, webhook_bytes_in_flight: 1048576}\nmetrics:\n  address: 127.0.0.1:9464\n  port: 8080\n", ""),
			want: []Problem{
				{Line: 1, Column: 47, Key: "server.webhook_bytes_in_flight",
					Message: "must be at least 26214400 (one delivery of the largest size GitHub sends), not 1048576"},
				{Line: 3, Column: 12, Key: "metrics.address", Message: "must be a host name or IP address without a port; the port is metrics.port"},
				{Line: 4, Column: 9, Key: "metrics.port", Message: "must differ from server.port (8080): /metrics is kept off the public webhook listener"},
			},
		},
		"numbers that are not whole numbers": {
			yaml: withApp("server: {port: 80.5}\nverify: {concurrency: '4', max_asset_bytes: 1e9}\n", ""),
			want: []Problem{
				{Line: 1, Column: 16, Key: "server.port", Message: "must be a whole number"},
				{Line: 2, Column: 23, Key: "verify.concurrency", Message: "must be a whole number"},
				{Line: 2, Column: 45, Key: "verify.max_asset_bytes", Message: "must be a whole number"},
			},
		},
		"GitHub URLs": {
			yaml: withApp("", "  web_url: github.com\n  v3_api_url: ftp://api.github.com/\n  v4_api_url: ''\n"),
			want: []Problem{
				{Line: 2, Column: 12, Key: "github.web_url", Message: "must be an absolute http or https URL, such as https://github.com"},
				{Line: 3, Column: 15, Key: "github.v3_api_url", Message: "must be an absolute http or https URL, such as https://api.github.com/"},
				{Line: 4, Column: 15, Key: "github.v4_api_url", Message: "must be an absolute http or https URL, such as https://api.github.com/graphql"},
			},
		},
		"App credentials missing": {
			yaml: "github:\n  web_url: https://github.com\n",
			want: []Problem{
				{Line: 1, Column: 1, Key: "github.app.integration_id", Message: "is required: the App ID from the App's settings page"},
				{Line: 1, Column: 1, Key: "github.app.webhook_secret", Message: "is required: the webhook secret set in the App's settings"},
				{Line: 1, Column: 1, Key: "github.app.private_key", Message: "is required: the PEM private key generated in the App's settings, inline or as github.app.private_key_file"},
			},
		},
		"App credentials wrong": {
			yaml: "github:\n  app:\n    integration_id: -3\n    webhook_secret: ''\n    private_key: not a key\n",
			want: []Problem{
				{Line: 3, Column: 21, Key: "github.app.integration_id", Message: "must be positive, not -3"},
				{Line: 4, Column: 21, Key: "github.app.webhook_secret", Message: "is required: the webhook secret set in the App's settings"},
				{Line: 5, Column: 18, Key: "github.app.private_key", Message: "is not a PEM private key (-----BEGIN RSA PRIVATE KEY----- ...)"},
			},
		},
		"private key with escaped line breaks": {
			yaml:      "github:\n  app: {integration_id: 1, webhook_secret: w}\n",
			githubEnv: map[string]string{"GITHUB_APP_PRIVATE_KEY": strings.ReplaceAll(testKeys().pkcs1, "\n", `\n`)},
			want: []Problem{{Env: "GITHUB_APP_PRIVATE_KEY", Key: "github.app.private_key",
				Message: `is not a PEM private key: its line breaks are the two characters \n; use real newlines`}},
		},
		"private key not RSA": {
			githubEnv: map[string]string{"GITHUB_APP_INTEGRATION_ID": "1", "GITHUB_APP_WEBHOOK_SECRET": "w", "GITHUB_APP_PRIVATE_KEY": testKeys().ec},
			want:      []Problem{{Env: "GITHUB_APP_PRIVATE_KEY", Key: "github.app.private_key", Message: "is a ecdsa key; GitHub App keys are RSA"}},
		},
		"private key is a certificate": {
			githubEnv: map[string]string{"GITHUB_APP_INTEGRATION_ID": "1", "GITHUB_APP_WEBHOOK_SECRET": "w",
				"GITHUB_APP_PRIVATE_KEY": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
			want: []Problem{{Env: "GITHUB_APP_PRIVATE_KEY", Key: "github.app.private_key", Message: `is a PEM "CERTIFICATE" block, not an RSA private key`}},
		},
		"private key damaged": {
			githubEnv: map[string]string{"GITHUB_APP_INTEGRATION_ID": "1", "GITHUB_APP_WEBHOOK_SECRET": "w",
				"GITHUB_APP_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"},
			want: []Problem{{Env: "GITHUB_APP_PRIVATE_KEY", Key: "github.app.private_key", Message: "is not a valid PKCS #1 RSA private key"}},
		},
		"database URLs": {
			yaml: withApp("database: {url: 'mysql://root@db/pindrift'}\n", ""),
			want: []Problem{{Line: 1, Column: 17, Key: "database.url", Message: `has unsupported scheme "mysql"; use sqlite://PATH, postgres:// or postgresql://`}},
		},
		"sqlite without a path": {
			yaml: withApp("database: {url: 'sqlite://'}\n", ""),
			want: []Problem{{Line: 1, Column: 17, Key: "database.url", Message: "needs a file path, e.g. sqlite://pindrift.db"}},
		},
		"sqlite in memory": {
			yaml: withApp("database:\n  url: 'sqlite://:memory:'\n", ""),
			want: []Problem{{Line: 2, Column: 8, Key: "database.url", Message: "must be a file: an in-memory database loses acknowledged work on restart"}},
		},
		"database path without a scheme": {
			yaml: withApp("database: {url: pindrift.db}\n", ""),
			want: []Problem{{Line: 1, Column: 17, Key: "database.url", Message: "must be sqlite://PATH, postgres://... or postgresql://..."}},
		},
		"sweep schedules": {
			yaml: withApp("sweep: {schedule: '61 3 * * *'}\n", ""),
			want: []Problem{{Line: 1, Column: 19, Key: "sweep.schedule",
				Message: "is not a cron schedule (minute hour day-of-month month day-of-week): end of range (61) above maximum (59): 61"}},
		},
		"sweep schedule with seconds": {
			yaml: withApp("sweep: {schedule: '0 17 3 * * *'}\n", ""),
			want: []Problem{{Line: 1, Column: 19, Key: "sweep.schedule",
				Message: "is not a cron schedule (minute hour day-of-month month day-of-week): expected exactly 5 fields, found 6: [0 17 3 * * *]"}},
		},
		"sweep schedule in a time zone": {
			yaml: withApp("sweep: {schedule: 'CRON_TZ=Europe/Paris 17 3 * * *'}\n", ""),
			want: []Problem{{Line: 1, Column: 19, Key: "sweep.schedule", Message: "is always in UTC; remove the time zone prefix"}},
		},
		"verification limits": {
			yaml: withApp("verify:\n  concurrency: 0\n  max_asset_bytes: -1\n", ""),
			want: []Problem{
				{Line: 2, Column: 16, Key: "verify.concurrency", Message: "must be between 1 and 64, not 0"},
				{Line: 3, Column: 20, Key: "verify.max_asset_bytes", Message: "must be positive, not -1"},
			},
		},
		"download budgets": {
			yaml: withApp("verify:\n  max_run_bytes: 0\n  max_untrusted_pr_bytes: 1\n", ""),
			want: []Problem{{Line: 2, Column: 18, Key: "verify.max_run_bytes", Message: "must be positive, not 0"}},
		},
		"untrusted budget over the run budget": {
			yaml: withApp("verify:\n  max_run_bytes: 1000\n  max_untrusted_pr_bytes: 1001\n", ""),
			want: []Problem{{Line: 3, Column: 27, Key: "verify.max_untrusted_pr_bytes", Message: "must not exceed verify.max_run_bytes (1000), not 1001"}},
		},
		"budgets from the environment": {
			yaml: withApp("", ""),
			env:  map[string]string{"PINDRIFT_VERIFY_MAX_RUN_BYTES": "4GiB", "PINDRIFT_VERIFY_MAX_UNTRUSTED_PR_BYTES": "-5"},
			want: []Problem{
				{Env: "PINDRIFT_VERIFY_MAX_RUN_BYTES", Key: "verify.max_run_bytes", Message: `"4GiB" is not a whole number`},
				{Env: "PINDRIFT_VERIFY_MAX_UNTRUSTED_PR_BYTES", Key: "verify.max_untrusted_pr_bytes", Message: "must be positive, not -5"},
			},
		},
		"bad environment values name the variable": {
			yaml: withApp("", ""),
			env: map[string]string{
				"PINDRIFT_SERVER_PORT": "http", "PINDRIFT_VERIFY_ALLOW_PRIVATE_NETWORK": "maybe",
				"PINDRIFT_VERIFY_MAX_ASSET_BYTES": "16GiB", "PINDRIFT_VERIFY_CONCURRENCY": "100",
				"PINDRIFT_SWEEP_SCHEDULE": "nightly", "PINDRIFT_SERVER_ADDRESS": "localhost:8080",
			},
			githubEnv: map[string]string{"GITHUB_APP_INTEGRATION_ID": "twelve", "GITHUB_WEB_URL": "github.com"},
			want: []Problem{
				{Env: "GITHUB_APP_INTEGRATION_ID", Key: "github.app.integration_id", Message: `"twelve" is not a whole number`},
				{Env: "PINDRIFT_SERVER_PORT", Key: "server.port", Message: `"http" is not a whole number`},
				{Env: "PINDRIFT_VERIFY_MAX_ASSET_BYTES", Key: "verify.max_asset_bytes", Message: `"16GiB" is not a whole number`},
				{Env: "PINDRIFT_VERIFY_ALLOW_PRIVATE_NETWORK", Key: "verify.allow_private_network", Message: `"maybe" is not true or false`},
				{Env: "PINDRIFT_SERVER_ADDRESS", Key: "server.address", Message: "must be a host name or IP address without a port; the port is server.port"},
				{Env: "GITHUB_WEB_URL", Key: "github.web_url", Message: "must be an absolute http or https URL, such as https://github.com"},
				{Env: "PINDRIFT_SWEEP_SCHEDULE", Key: "sweep.schedule",
					Message: "is not a cron schedule (minute hour day-of-month month day-of-week): expected exactly 5 fields, found 1: [nightly]"},
				{Env: "PINDRIFT_VERIFY_CONCURRENCY", Key: "verify.concurrency", Message: "must be between 1 and 64, not 100"},
			},
		},
		"log level and sweep spread": {
			yaml: withApp("", "") + "log: {level: verbose}\nsweep: {spread: -1m}\n",
			env:  map[string]string{},
			want: []Problem{
				{Line: 33, Column: 14, Key: "log.level", Message: `must be one of debug, info, warn, error, not "verbose"`},
				{Line: 34, Column: 17, Key: "sweep.spread", Message: "must be between 0s and 24h0m0s, not -1m0s"},
			},
		},
		"log level from the environment": {
			yaml: withApp("", ""),
			env: map[string]string{"PINDRIFT_LOG_LEVEL": "trace", "PINDRIFT_SWEEP_SPREAD": "half an hour",
				"PINDRIFT_JOBS_RESCUE_AFTER": "10ms"},
			want: []Problem{
				{Env: "PINDRIFT_SWEEP_SPREAD", Key: "sweep.spread", Message: `"half an hour" is not a duration such as 30m`},
				{Env: "PINDRIFT_LOG_LEVEL", Key: "log.level", Message: `must be one of debug, info, warn, error, not "trace"`},
				{Env: "PINDRIFT_JOBS_RESCUE_AFTER", Key: "jobs.rescue_after", Message: "must be between 1s and 1h0m0s, not 10ms"},
			},
		},
		"integration id from the environment that is not a number, and none in the file": {
			githubEnv: map[string]string{"GITHUB_APP_INTEGRATION_ID": "0x1f", "GITHUB_APP_WEBHOOK_SECRET": "w", "GITHUB_APP_PRIVATE_KEY": testKeys().pkcs1},
			want:      []Problem{{Env: "GITHUB_APP_INTEGRATION_ID", Key: "github.app.integration_id", Message: `"0x1f" is not a whole number`}},
		},
		"nothing at all": {
			want: []Problem{
				{Key: "github.app.integration_id", Message: "is required: the App ID from the App's settings page"},
				{Key: "github.app.webhook_secret", Message: "is required: the webhook secret set in the App's settings"},
				{Key: "github.app.private_key", Message: "is required: the PEM private key generated in the App's settings, inline or as github.app.private_key_file"},
			},
		},
		"syntax error": {
			yaml: "server:\n  port: [8080\n",
			want: []Problem{{Line: 2, Column: 9, Message: "sequence end token ']' not found"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearGitHubEnv(t)
			for k, v := range tc.githubEnv {
				t.Setenv(k, v)
			}
			path := ""
			if tc.yaml != "" {
				path = writeConfig(t, tc.yaml)
			}
			cfg, err := LoadServer(path, envMap(tc.env))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("LoadServer = %v, %v; want an *Error", cfg, err)
			}
			if diff := cmp.Diff(tc.want, ce.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("error has %d lines, want %d:\n%s", len(lines), len(tc.want), err)
			}
			for i, p := range tc.want {
				var prefix string
				switch {
				case p.Env != "":
					prefix = "environment variable " + p.Env + ": "
				case p.Line > 0:
					prefix = fmt.Sprintf("%s:%d:%d: ", path, p.Line, p.Column)
				case path != "":
					prefix = path + ": "
				}
				if p.Key != "" {
					prefix += p.Key + ": "
				}
				if !strings.HasPrefix(lines[i], prefix) {
					t.Errorf("error line %q does not start with %q", lines[i], prefix)
				}
			}
		})
	}
}

func TestLoadServerFileErrors(t *testing.T) {
	clearGitHubEnv(t)
	missing := filepath.Join(t.TempDir(), "absent.yaml")
	if _, err := LoadServer(missing, envMap(nil)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
	big := writeConfig(t, strings.Repeat("#\n", MaxServerConfigBytes))
	if _, err := LoadServer(big, envMap(nil)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized file: err = %v, want a size error", err)
	}
}

// TestServerSecretsNeverShown puts recognisable secrets everywhere a
// secret can be and looks for them in every rendering of the configuration
// and in the errors that a mistake near them causes.
func TestServerSecretsNeverShown(t *testing.T) {
	const (
		webhook = "whsec-SENTINEL-webhook"
		oauth   = "SENTINEL-oauth-secret"
		dbPass  = "SENTINEL-db-password"
	)
	key := testKeys().pkcs1
	keyLine := strings.Split(key, "\n")[3] // a line of the key's body
	secrets := []string{webhook, oauth, dbPass, keyLine}
	check := func(t *testing.T, what, text string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows a secret %q:\n%s", what, s, text)
			}
		}
	}
	valid := "database: {url: 'postgres://pindrift:" + dbPass + "@db/pindrift'}\ngithub:\n  oauth: {client_id: id, client_secret: " + oauth +
		"}\n  app:\n    integration_id: 1\n    webhook_secret: " + webhook + "\n    private_key: " + block(key, "      ")

	t.Run("renderings", func(t *testing.T) {
		clearGitHubEnv(t)
		cfg, err := LoadServer(writeConfig(t, valid), envMap(nil))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "String", cfg.String())
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			check(t, verb+" of *Server", fmt.Sprintf(verb, cfg))
			check(t, verb+" of Server", fmt.Sprintf(verb, *cfg))
		}
		j, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "JSON", string(j))
		y, err := yaml.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "YAML", string(y))
		if want := `database.url="postgres://pindrift:xxxxx@db/pindrift"`; !strings.Contains(cfg.String(), want) {
			t.Errorf("String() = %s\nwant it to contain %s", cfg, want)
		}
		if !strings.Contains(cfg.String(), `github.app.webhook_secret="[redacted]"`) {
			t.Errorf("String() = %s\nwant the webhook secret shown as set", cfg)
		}
		// The configuration itself still holds the secrets.
		if cfg.GitHub.App.WebhookSecret != webhook || cfg.GitHub.App.PrivateKey != key {
			t.Error("redaction changed the configuration")
		}
	})

	errorCases := map[string]struct {
		yaml string
		env  map[string]string
	}{
		"invalid setting beside the secrets": {yaml: "server: {port: 0}\n" + valid},
		"secret of the wrong kind":           {yaml: "github:\n  app:\n    webhook_secret: [" + webhook + "]\n"},
		"unterminated secret":                {yaml: "github:\n  app:\n    webhook_secret: \"" + webhook + "\n    integration_id: 1\n"},
		"private key damaged": {yaml: "github:\n  app:\n    private_key: " +
			block(strings.Replace(key, keyLine, keyLine[:10]+"!!"+keyLine[12:], 1), "      ")},
		"unparseable postgres URL": {yaml: "database: {url: 'postgres://u:" + dbPass + "@db:port/x'}\n" + valid[strings.Index(valid, "github:"):]},
		"unparseable postgres URL from the environment": {yaml: valid,
			env: map[string]string{"PINDRIFT_DATABASE_URL": "postgres://u:" + dbPass + "@db:port/x"}},
		"duplicate secret": {yaml: "github:\n  app:\n    webhook_secret: " + webhook + "\n    webhook_secret: " + webhook + "\n"},
	}
	for name, tc := range errorCases {
		t.Run(name, func(t *testing.T) {
			clearGitHubEnv(t)
			_, err := LoadServer(writeConfig(t, tc.yaml), envMap(tc.env))
			if err == nil {
				t.Fatal("LoadServer succeeded; want an error")
			}
			check(t, "error", err.Error())
		})
	}
}

func TestServerHelpers(t *testing.T) {
	clearGitHubEnv(t)
	cfg, err := LoadServer(writeConfig(t, withApp("server: {address: '::1', port: 8443}\nverify: {concurrency: 9, max_asset_bytes: 1000, allow_private_network: true}\n", "")), envMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.HTTP.Addr(), "[::1]:8443"; got != want {
		t.Errorf("Addr() = %q, want %q", got, want)
	}
	wantOpts := verify.Options{Concurrency: 9, MaxAssetBytes: 1000, MaxTotalBytes: DefaultMaxRunBytes,
		BudgetName: "download budget verify.max_run_bytes", AllowPrivateNetwork: true,
		MinBytesPerSecond: DefaultMinBytesPerSecond, SlowGrace: DefaultSlowGrace, DownloadTimeout: DefaultDownloadTimeout}
	if diff := cmp.Diff(wantOpts, cfg.VerifyOptions()); diff != "" {
		t.Errorf("VerifyOptions (-want +got):\n%s", diff)
	}
	if got, want := cfg.Database.Driver(), DriverSQLite; got != want {
		t.Errorf("Driver() = %q, want %q", got, want)
	}
	if got := cfg.Database.SQLitePath(); !filepath.IsAbs(got) || filepath.Base(got) != "pindrift.db" {
		t.Errorf("SQLitePath() = %q, want an absolute path to pindrift.db", got)
	}

	sch, err := cfg.Sweep.Cron()
	if err != nil {
		t.Fatal(err)
	}
	// 03:17 UTC whatever zone the clock reads in.
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("UTC+5", 5*3600))
	if got, want := sch.Next(now), time.Date(2024, 5, 2, 3, 17, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next(%v) = %v, want %v", now, got, want)
	}
}

func TestSQLitePathResolution(t *testing.T) {
	clearGitHubEnv(t)
	abs := filepath.Join(t.TempDir(), "elsewhere", "jobs.db")
	tests := map[string]struct {
		url     string
		envURL  string
		noFile  bool
		wantRel string // relative to the file's directory, or the working directory without one
		wantAbs string
	}{
		"relative to the file":           {url: "sqlite://pindrift.db", wantRel: "pindrift.db"},
		"relative subdirectory":          {url: "sqlite://state/../data/p.db", wantRel: "data/p.db"},
		"absolute":                       {url: "sqlite://" + abs, wantAbs: abs},
		"from the environment, relative": {envURL: "sqlite://env.db", wantRel: "env.db"},
		"no file: the working directory": {envURL: "sqlite://wd.db", noFile: true, wantRel: "wd.db"},
		"no file, default":               {noFile: true, wantRel: "pindrift.db"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var env map[string]string
			if tc.envURL != "" {
				env = map[string]string{"PINDRIFT_DATABASE_URL": tc.envURL}
			}
			path, base := "", cwd(t)
			if tc.noFile {
				for k, v := range map[string]string{"GITHUB_APP_INTEGRATION_ID": "1", "GITHUB_APP_WEBHOOK_SECRET": "w", "GITHUB_APP_PRIVATE_KEY": testKeys().pkcs1} {
					t.Setenv(k, v)
				}
			} else {
				top := ""
				if tc.url != "" {
					top = "database: {url: '" + tc.url + "'}\n"
				}
				path = writeConfig(t, withApp(top, ""))
				base = filepath.Dir(path)
			}
			cfg, err := LoadServer(path, envMap(env))
			if err != nil {
				t.Fatal(err)
			}
			want := tc.wantAbs
			if want == "" {
				want = filepath.Join(base, filepath.FromSlash(tc.wantRel))
			}
			if got := cfg.Database.SQLitePath(); got != want {
				t.Errorf("SQLitePath() = %q, want %q", got, want)
			}
			if got := cfg.Database.URL; got != "sqlite://"+want {
				t.Errorf("URL = %q, want %q", got, "sqlite://"+want)
			}
		})
	}
}

// TestGitHubEnvMatchesGoGitHubApp keeps githubEnv, which says which
// variable set which setting, in step with what go-githubapp really reads:
// every variable sets the setting it is listed for, and every setting of
// githubapp.Config has its variable.
func TestGitHubEnvMatchesGoGitHubApp(t *testing.T) {
	clearGitHubEnv(t)
	want := map[string]string{}
	for i, v := range githubEnv {
		val := fmt.Sprint(1000 + i) // a number suits the integration id and any string
		t.Setenv(v.Name, val)
		want[v.Key] = val
	}
	var c githubapp.Config
	c.SetValuesFromEnv("")
	got := map[string]string{}
	leaves(reflect.ValueOf(c), "github", got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("settings from GITHUB_* variables (-githubEnv +go-githubapp):\n%s", diff)
	}
}

// leaves collects a struct's scalar settings by YAML key path.
func leaves(v reflect.Value, path string, out map[string]string) {
	if v.Kind() != reflect.Struct {
		out[path] = fmt.Sprint(v.Interface())
		return
	}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		leaves(v.Field(i), path+"."+name, out)
	}
}

func TestServerEnvList(t *testing.T) {
	t.Parallel()
	var names []string
	for _, v := range ServerEnv() {
		names = append(names, v.Name)
	}
	want := []string{
		"GITHUB_WEB_URL", "GITHUB_V3_API_URL", "GITHUB_V4_API_URL", "GITHUB_APP_INTEGRATION_ID", "GITHUB_APP_WEBHOOK_SECRET",
		"GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_PRIVATE_KEY_FILE", "GITHUB_OAUTH_CLIENT_ID", "GITHUB_OAUTH_CLIENT_SECRET",
		"PINDRIFT_SERVER_ADDRESS", "PINDRIFT_SERVER_PORT", "PINDRIFT_SERVER_WEBHOOK_BYTES_IN_FLIGHT",
		"PINDRIFT_METRICS_ADDRESS", "PINDRIFT_METRICS_PORT", "PINDRIFT_DATABASE_URL", "PINDRIFT_SWEEP_SCHEDULE", "PINDRIFT_SWEEP_SPREAD", "PINDRIFT_LOG_LEVEL",
		"PINDRIFT_VERIFY_CONCURRENCY", "PINDRIFT_VERIFY_MAX_ASSET_BYTES", "PINDRIFT_VERIFY_MAX_RUN_BYTES",
		"PINDRIFT_VERIFY_MAX_UNTRUSTED_PR_BYTES", "PINDRIFT_VERIFY_ALLOW_PRIVATE_NETWORK",
		"PINDRIFT_VERIFY_MIN_BYTES_PER_SECOND", "PINDRIFT_VERIFY_SLOW_GRACE", "PINDRIFT_VERIFY_DOWNLOAD_TIMEOUT",
		"PINDRIFT_JOBS_WORKERS", "PINDRIFT_JOBS_RESCUE_AFTER", "PINDRIFT_SANDBOX_CPU_SECONDS", "PINDRIFT_SANDBOX_MEMORY_BYTES", "PINDRIFT_SANDBOX_TIMEOUT",
		"PINDRIFT_SANDBOX_MAX_CHILDREN",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("ServerEnv (-want +got):\n%s", diff)
	}
}

// TestJobWorkers: the worker count defaults to the queue's, comes from the
// file or PINDRIFT_JOBS_WORKERS, and is bounded.
func TestJobWorkers(t *testing.T) {
	clearGitHubEnv(t)
	cases := map[string]struct {
		yaml    string
		env     map[string]string
		want    int
		wantErr string
	}{
		"default":          {want: DefaultJobWorkers},
		"from the file":    {yaml: "jobs: {workers: 16}\n", want: 16},
		"environment wins": {yaml: "jobs: {workers: 16}\n", env: map[string]string{"PINDRIFT_JOBS_WORKERS": "8"}, want: 8},
		"zero refused":     {yaml: "jobs: {workers: 0}\n", wantErr: "jobs.workers: must be between 1 and 64, not 0"},
		"bad environment":  {env: map[string]string{"PINDRIFT_JOBS_WORKERS": "many"}, wantErr: "PINDRIFT_JOBS_WORKERS"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := LoadServer(writeConfig(t, c.yaml+withApp("", "")), envMap(c.env))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil || s.Jobs.Workers != c.want {
				t.Fatalf("workers %v (err %v), want %d", s, err, c.want)
			}
		})
	}
}
