// Package server builds the GitHub App from its configuration: the GitHub
// clients, the job queue, the runner that does the work, the webhook
// endpoint and the health and metrics endpoints. It is the only place that
// knows how the pieces fit.
//
// It owns that wiring and what belongs to no single piece: the GitHub
// clients per installation with their HTTP layers (ghhttp), the App's
// login, the repository settings loader, the readiness rules and the
// Prometheus metrics. It may import every layer below it (config, webhook,
// jobs, runner, verify, ghrelease, sandbox, ghhttp) and nothing above it:
// only cmd/bot, the demo and the benchmarks import it. It must not import
// the fake GitHub outside its tests.
package server
