package config

import (
	"encoding/json"
	"fmt"
	"strings"
)

// redactedMark stands in for a secret that is set.
const redactedMark = "[redacted]"

// Redacted is a copy safe to log: the webhook secret, private key, OAuth
// client secret and database password are masked.
func (s Server) Redacted() Server {
	mask := func(p *string) {
		if *p != "" {
			*p = redactedMark
		}
	}
	mask(&s.GitHub.App.WebhookSecret)
	mask(&s.GitHub.App.PrivateKey)
	mask(&s.GitHub.OAuth.ClientSecret)
	s.Database.URL = s.Database.String()
	return s
}

// String lists the effective settings on one line, secrets masked, for the
// startup log.
func (s Server) String() string {
	r := s.Redacted()
	var b strings.Builder
	add := func(key string, v any) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if str, ok := v.(string); ok {
			v = quote(str)
		}
		fmt.Fprintf(&b, "%s=%v", key, v)
	}
	add("server.address", r.HTTP.Address)
	add("server.port", r.HTTP.Port)
	add("server.webhook_bytes_in_flight", r.HTTP.WebhookBytesInFlight)
	add("github.web_url", r.GitHub.WebURL)
	add("github.v3_api_url", r.GitHub.V3APIURL)
	add("github.v4_api_url", r.GitHub.V4APIURL)
	add("github.app.integration_id", r.GitHub.App.IntegrationID)
	add("github.app.webhook_secret", r.GitHub.App.WebhookSecret)
	add("github.app.private_key", r.GitHub.App.PrivateKey)
	add("github.app.private_key_file", r.PrivateKeyFile)
	add("github.oauth.client_id", r.GitHub.OAuth.ClientID)
	add("github.oauth.client_secret", r.GitHub.OAuth.ClientSecret)
	add("database.url", r.Database.URL)
	add("sweep.schedule", r.Sweep.Schedule)
	add("sweep.spread", r.Sweep.Spread)
	add("log.level", r.Log.Level)
	add("verify.concurrency", r.Verify.Concurrency)
	add("verify.max_asset_bytes", r.Verify.MaxAssetBytes)
	add("verify.allow_private_network", r.Verify.AllowPrivateNetwork)
	add("verify.min_bytes_per_second", r.Verify.MinBytesPerSecond)
	add("verify.slow_grace", r.Verify.SlowGrace)
	add("verify.download_timeout", r.Verify.DownloadTimeout)
	add("jobs.workers", r.Jobs.Workers)
	add("jobs.rescue_after", r.Jobs.RescueAfter)
	add("metrics.address", r.Metrics.Address)
	add("metrics.port", r.Metrics.Port)
	return b.String()
}

// GoString keeps %#v from printing the secrets.
func (s Server) GoString() string { return "config.Server{" + s.String() + "}" }

// serverFields has Server's fields without its methods, so that encoding
// the redacted copy does not recurse.
type serverFields Server

// MarshalJSON encodes the redacted configuration, for loggers that encode
// values as JSON.
func (s Server) MarshalJSON() ([]byte, error) { return json.Marshal(serverFields(s.Redacted())) }

// MarshalYAML encodes the redacted configuration.
func (s Server) MarshalYAML() (any, error) { return serverFields(s.Redacted()), nil }
