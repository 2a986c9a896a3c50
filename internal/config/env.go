package config

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/pindrift/pindrift/internal/strictyaml"
)

// EnvVar is an environment variable that overrides a server setting.
type EnvVar struct {
	Name string // e.g. "PINDRIFT_SERVER_PORT"
	Key  string // the setting, e.g. "server.port"
}

// ServerEnv lists every environment variable LoadServer reads: the GITHUB_*
// ones go-githubapp reads itself (and GITHUB_APP_PRIVATE_KEY_FILE beside
// GITHUB_APP_PRIVATE_KEY), then pindrift's own.
func ServerEnv() []EnvVar {
	var out []EnvVar
	for _, v := range githubEnv {
		out = append(out, v)
		if v.Name == envPrivateKey {
			out = append(out, privateKeyFileEnv)
		}
	}
	for _, v := range pindriftEnv {
		out = append(out, EnvVar{Name: v.name, Key: v.key})
	}
	return out
}

// githubEnv mirrors the variables githubapp.Config.SetValuesFromEnv reads,
// to say which setting came from where; a test keeps the two in step.
var githubEnv = []EnvVar{
	{"GITHUB_WEB_URL", "github.web_url"},
	{"GITHUB_V3_API_URL", "github.v3_api_url"},
	{"GITHUB_V4_API_URL", "github.v4_api_url"},
	{"GITHUB_APP_INTEGRATION_ID", "github.app.integration_id"},
	{"GITHUB_APP_WEBHOOK_SECRET", "github.app.webhook_secret"},
	{"GITHUB_APP_PRIVATE_KEY", "github.app.private_key"},
	{"GITHUB_OAUTH_CLIENT_ID", "github.oauth.client_id"},
	{"GITHUB_OAUTH_CLIENT_SECRET", "github.oauth.client_secret"},
}

// envSetting parses one PINDRIFT_* variable into its setting.
type envSetting struct {
	name, key string
	set       func(s *Server, v string) error
}

var pindriftEnv = []envSetting{
	{"PINDRIFT_SERVER_ADDRESS", "server.address", func(s *Server, v string) error { s.HTTP.Address = v; return nil }},
	{"PINDRIFT_SERVER_PORT", "server.port", func(s *Server, v string) error { return parseInt(v, &s.HTTP.Port) }},
	{"PINDRIFT_SERVER_WEBHOOK_BYTES_IN_FLIGHT", "server.webhook_bytes_in_flight", func(s *Server, v string) error {
		return parseInt64(v, &s.HTTP.WebhookBytesInFlight)
	}},
	{"PINDRIFT_METRICS_ADDRESS", "metrics.address", func(s *Server, v string) error { s.Metrics.Address = v; return nil }},
	{"PINDRIFT_METRICS_PORT", "metrics.port", func(s *Server, v string) error { return parseInt(v, &s.Metrics.Port) }},
	{"PINDRIFT_DATABASE_URL", "database.url", func(s *Server, v string) error { s.Database.URL = v; return nil }},
	{"PINDRIFT_SWEEP_SCHEDULE", "sweep.schedule", func(s *Server, v string) error { s.Sweep.Schedule = v; return nil }},
	{"PINDRIFT_SWEEP_SPREAD", "sweep.spread", func(s *Server, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 30m", v)
		}
		s.Sweep.Spread = d
		return nil
	}},
	{"PINDRIFT_LOG_LEVEL", "log.level", func(s *Server, v string) error { s.Log.Level = v; return nil }},
	{"PINDRIFT_VERIFY_CONCURRENCY", "verify.concurrency", func(s *Server, v string) error { return parseInt(v, &s.Verify.Concurrency) }},
	{"PINDRIFT_VERIFY_MAX_ASSET_BYTES", "verify.max_asset_bytes", func(s *Server, v string) error {
		return parseInt64(v, &s.Verify.MaxAssetBytes)
	}},
	{"PINDRIFT_VERIFY_MAX_RUN_BYTES", "verify.max_run_bytes", func(s *Server, v string) error { return parseInt64(v, &s.Verify.MaxRunBytes) }},
	{"PINDRIFT_VERIFY_MAX_UNTRUSTED_PR_BYTES", "verify.max_untrusted_pr_bytes", func(s *Server, v string) error {
		return parseInt64(v, &s.Verify.MaxUntrustedPRBytes)
	}},
	{"PINDRIFT_VERIFY_ALLOW_PRIVATE_NETWORK", "verify.allow_private_network", func(s *Server, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		s.Verify.AllowPrivateNetwork = b
		return nil
	}},
	{"PINDRIFT_VERIFY_MIN_BYTES_PER_SECOND", "verify.min_bytes_per_second", func(s *Server, v string) error {
		return parseInt64(v, &s.Verify.MinBytesPerSecond)
	}},
	{"PINDRIFT_VERIFY_SLOW_GRACE", "verify.slow_grace", func(s *Server, v string) error { return parseDuration(v, &s.Verify.SlowGrace) }},
	{"PINDRIFT_VERIFY_DOWNLOAD_TIMEOUT", "verify.download_timeout", func(s *Server, v string) error {
		return parseDuration(v, &s.Verify.DownloadTimeout)
	}},
	{"PINDRIFT_JOBS_WORKERS", "jobs.workers", func(s *Server, v string) error { return parseInt(v, &s.Jobs.Workers) }},
	{"PINDRIFT_JOBS_RESCUE_AFTER", "jobs.rescue_after", func(s *Server, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 1m", v)
		}
		s.Jobs.RescueAfter = d
		return nil
	}},
	{"PINDRIFT_SANDBOX_CPU_SECONDS", "sandbox.cpu_seconds", func(s *Server, v string) error { return parseInt(v, &s.Sandbox.CPUSeconds) }},
	{"PINDRIFT_SANDBOX_MEMORY_BYTES", "sandbox.memory_bytes", func(s *Server, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		s.Sandbox.MemoryBytes = n
		return nil
	}},
	{"PINDRIFT_SANDBOX_TIMEOUT", "sandbox.timeout", func(s *Server, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 30s", v)
		}
		s.Sandbox.Timeout = d
		return nil
	}},
	{"PINDRIFT_SANDBOX_MAX_CHILDREN", "sandbox.max_children", func(s *Server, v string) error { return parseInt(v, &s.Sandbox.MaxChildren) }},
}

func parseDuration(v string, dst *time.Duration) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 30s", v)
	}
	*dst = d
	return nil
}

func parseInt64(v string, dst *int64) error {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", v)
	}
	*dst = n
	return nil
}

func parseInt(v string, dst *int) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", v)
	}
	*dst = n
	return nil
}

// applyEnv is the one place the environment overrides the configuration.
// It records in ps which variable set which setting, so that validation
// names the variable rather than a line of the file, and reports
// variables that do not parse.
func applyEnv(s *Server, env LookupEnv, ps *strictyaml.Problems) {
	ps.Env = map[string]string{}
	fileKey, fileKeyFile := s.GitHub.App.PrivateKey != "", s.PrivateKeyFile != ""
	// go-githubapp reads the process environment itself and ignores an
	// integration id that is not a number, keeping the file's; that silent
	// fallback is refused here.
	s.GitHub.SetValuesFromEnv("")
	for _, v := range githubEnv {
		if _, ok := os.LookupEnv(v.Name); ok {
			ps.Env[v.Key] = v.Name
		}
	}
	applyKeyEnv(s, ps, fileKey, fileKeyFile)
	if v, ok := os.LookupEnv("GITHUB_APP_INTEGRATION_ID"); ok {
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			ps.At("github.app.integration_id", "%q is not a whole number", v)
		}
	}
	for _, e := range pindriftEnv {
		v, ok := env(e.name)
		if !ok {
			continue
		}
		ps.Env[e.key] = e.name
		if err := e.set(s, v); err != nil {
			ps.At(e.key, "%v", err)
		}
	}
}
