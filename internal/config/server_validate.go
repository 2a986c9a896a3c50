package config

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/sandbox"
	"github.com/pindrift/pindrift/internal/strictyaml"
	"github.com/pindrift/pindrift/internal/webhook"
)

// validate reports every invalid setting and resolves the database path
// against dir.
func (s *Server) validate(ps *strictyaml.Problems, dir string) {
	if strings.ContainsAny(s.HTTP.Address, " \t\n") {
		ps.At("server.address", "must be a host name or IP address")
	} else if _, _, err := net.SplitHostPort(s.HTTP.Address); err == nil {
		ps.At("server.address", "must be a host name or IP address without a port; the port is server.port")
	}
	if s.HTTP.Port < 1 || s.HTTP.Port > 65535 {
		ps.At("server.port", "must be between 1 and 65535, not %d", s.HTTP.Port)
	}
	if n := s.HTTP.WebhookBytesInFlight; n < webhook.MaxPayloadBytes {
		ps.At("server.webhook_bytes_in_flight", "must be at least %d (one delivery of the largest size GitHub sends), not %d",
			webhook.MaxPayloadBytes, n)
	}
	s.validateMetrics(ps)

	gh := &s.GitHub
	for _, u := range []struct{ key, value, example string }{
		{"github.web_url", gh.WebURL, DefaultWebURL},
		{"github.v3_api_url", gh.V3APIURL, DefaultV3APIURL},
		{"github.v4_api_url", gh.V4APIURL, DefaultV4APIURL},
	} {
		if !httpURL(u.value) {
			ps.At(u.key, "must be an absolute http or https URL, such as %s", u.example)
		}
	}
	switch id := gh.App.IntegrationID; {
	case id == 0:
		ps.At("github.app.integration_id", "is required: the App ID from the App's settings page")
	case id < 0:
		ps.At("github.app.integration_id", "must be positive, not %d", id)
	}
	if gh.App.WebhookSecret == "" {
		ps.At("github.app.webhook_secret", "is required: the webhook secret set in the App's settings")
	}
	if s.PrivateKeyFile != "" {
		s.loadKeyFile(ps, dir)
	} else if msg := checkPrivateKey(gh.App.PrivateKey); msg != "" {
		ps.At(keyPrivateKey, "%s", msg)
	}

	if msg := resolveDatabase(&s.Database, dir); msg != "" {
		ps.At("database.url", "%s", msg)
	}
	if _, err := parseSchedule(s.Sweep.Schedule); err != nil {
		ps.At("sweep.schedule", "%v", err)
	}
	if d := s.Sweep.Spread; d < 0 || d > MaxSweepSpread {
		ps.At("sweep.spread", "must be between 0s and %s, not %s", MaxSweepSpread, d)
	}
	if !slices.Contains(LogLevels, s.Log.Level) {
		ps.At("log.level", "must be one of %s, not %q", strings.Join(LogLevels, ", "), s.Log.Level)
	}
	if c := s.Verify.Concurrency; c < 1 || c > MaxConcurrency {
		ps.At("verify.concurrency", "must be between 1 and %d, not %d", MaxConcurrency, c)
	}
	if s.Verify.MaxAssetBytes <= 0 {
		ps.At("verify.max_asset_bytes", "must be positive, not %d", s.Verify.MaxAssetBytes)
	}
	if s.Verify.MinBytesPerSecond < 0 {
		ps.At("verify.min_bytes_per_second", "must be 0 (no minimum) or more, not %d", s.Verify.MinBytesPerSecond)
	}
	if s.Verify.SlowGrace <= 0 {
		ps.At("verify.slow_grace", "must be positive, not %s", s.Verify.SlowGrace)
	}
	if s.Verify.DownloadTimeout <= 0 {
		ps.At("verify.download_timeout", "must be positive, not %s", s.Verify.DownloadTimeout)
	}
	if s.Verify.MaxRunBytes <= 0 {
		ps.At("verify.max_run_bytes", "must be positive, not %d", s.Verify.MaxRunBytes)
	}
	switch n := s.Verify.MaxUntrustedPRBytes; {
	case n <= 0:
		ps.At("verify.max_untrusted_pr_bytes", "must be positive, not %d", n)
	case s.Verify.MaxRunBytes > 0 && n > s.Verify.MaxRunBytes:
		ps.At("verify.max_untrusted_pr_bytes", "must not exceed verify.max_run_bytes (%d), not %d", s.Verify.MaxRunBytes, n)
	}
	if w := s.Jobs.Workers; w < 1 || w > MaxJobWorkers {
		ps.At("jobs.workers", "must be between 1 and %d, not %d", MaxJobWorkers, w)
	}
	if d := s.Jobs.RescueAfter; d < jobs.MinRescueAfter || d > MaxRescueAfter {
		ps.At("jobs.rescue_after", "must be between %s and %s, not %s", jobs.MinRescueAfter, MaxRescueAfter, d)
	}
	s.Sandbox.validate(ps)
}

func (sb ServerSandbox) validate(ps *strictyaml.Problems) {
	if c := sb.CPUSeconds; c < 1 || c > MaxSandboxCPUSeconds {
		ps.At("sandbox.cpu_seconds", "must be between 1 and %d, not %d", MaxSandboxCPUSeconds, c)
	}
	if m := sb.MemoryBytes; m < sandbox.MinMemoryBytes {
		ps.At("sandbox.memory_bytes", "must be at least %d (%d MiB: the Go runtime and the parser need that much to start), not %d",
			int64(sandbox.MinMemoryBytes), sandbox.MinMemoryBytes>>20, m)
	}
	if d := sb.Timeout; d < time.Second || d > MaxSandboxTimeout {
		ps.At("sandbox.timeout", "must be between 1s and %s, not %s", MaxSandboxTimeout, d)
	}
	if n := sb.MaxChildren; n < 1 || n > MaxSandboxChildren {
		ps.At("sandbox.max_children", "must be between 1 and %d, not %d", MaxSandboxChildren, n)
	}
}

// validateMetrics checks the metrics listener, which must not be the
// webhook's: that one is public.
func (s *Server) validateMetrics(ps *strictyaml.Problems) {
	m := s.Metrics
	if strings.ContainsAny(m.Address, " \t\n") {
		ps.At("metrics.address", "must be a host name or IP address")
	} else if _, _, err := net.SplitHostPort(m.Address); err == nil {
		ps.At("metrics.address", "must be a host name or IP address without a port; the port is metrics.port")
	}
	switch {
	case m.Port < 1 || m.Port > 65535:
		ps.At("metrics.port", "must be between 1 and 65535, not %d", m.Port)
	case m.Port == s.HTTP.Port:
		ps.At("metrics.port", "must differ from server.port (%d): /metrics is kept off the public webhook listener", s.HTTP.Port)
	}
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// checkPrivateKey says what is wrong with an App private key, or "". It
// accepts what ghinstallation accepts: RSA in PKCS #1 or PKCS #8 PEM. The
// messages describe the key, never quote it.
func checkPrivateKey(text string) string {
	if strings.TrimSpace(text) == "" {
		return "is required: the PEM private key generated in the App's settings, inline or as " + keyPrivateKeyFile
	}
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		if strings.Contains(text, `\n`) {
			return `is not a PEM private key: its line breaks are the two characters \n; use real newlines`
		}
		return "is not a PEM private key (-----BEGIN RSA PRIVATE KEY----- ...)"
	}
	if _, encrypted := block.Headers["DEK-Info"]; encrypted || block.Type == "ENCRYPTED PRIVATE KEY" {
		return "is encrypted; give the unencrypted key GitHub generated"
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			return "is not a valid PKCS #1 RSA private key"
		}
	case "PRIVATE KEY":
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return "is not a valid PKCS #8 private key"
		}
		if _, ok := key.(*rsa.PrivateKey); !ok {
			return fmt.Sprintf("is a %s key; GitHub App keys are RSA", keyKind(key))
		}
	default:
		return fmt.Sprintf("is a PEM %q block, not an RSA private key", block.Type)
	}
	return ""
}

func keyKind(key any) string {
	name := fmt.Sprintf("%T", key) // e.g. *ecdsa.PrivateKey
	name = strings.TrimPrefix(name, "*")
	name, _, _ = strings.Cut(name, ".")
	return name
}

// parseSchedule reads a standard 5-field cron expression or descriptor.
// Time zone prefixes are refused: the schedule is in UTC by contract.
func parseSchedule(spec string) (cron.Schedule, error) {
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, fmt.Errorf("is always in UTC; remove the time zone prefix")
	}
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("is required, e.g. %q", DefaultSweepSchedule)
	}
	sch, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("is not a cron schedule (minute hour day-of-month month day-of-week): %v", err)
	}
	return sch, nil
}

// Cron is the sweep's schedule; its Next works in UTC whatever the zone of
// the time it is given.
func (s Sweep) Cron() (cron.Schedule, error) {
	sch, err := parseSchedule(s.Schedule)
	if err != nil {
		return nil, fmt.Errorf("sweep.schedule %w", err)
	}
	return utcSchedule{sch}, nil
}

type utcSchedule struct{ cron.Schedule }

func (u utcSchedule) Next(t time.Time) time.Time { return u.Schedule.Next(t.UTC()) }

func quote(s string) string { return strconv.Quote(s) }
