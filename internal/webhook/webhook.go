// Package webhook turns GitHub App deliveries into jobs. Its handlers are
// thin: they read the payload, drop the events and actions pindrift does
// not act on, and enqueue a job through Queue, so GitHub hears back within
// milliseconds and the work survives a restart. A delivery is acknowledged
// only after Queue accepted its job; an enqueue error answers 500 so that
// GitHub redelivers.
//
// It builds the runner's requests (runner.VerifyRequest,
// runner.PRRequest) and hands them to Queue as they are. Each handler's
// prologue adds the delivery, installation and repository to the
// context's logger once, with go-githubapp's githubapp.LogKey* names. In
// the layering (cmd/bot, server, webhook, jobs, runner, ...) webhook may
// import jobs, runner and what is below them, never server or config.
package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/runner"
)

// Route is where GitHub delivers the App's webhooks.
const Route = githubapp.DefaultWebhookRoute

// RecheckCommand, alone in a comment on the tracking issue, asks for a new
// verification (compared trimmed and case-insensitively).
const RecheckCommand = "/pindrift recheck"

// MaxPayloadBytes is the largest delivery read; GitHub caps payloads at
// 25 MB and anything larger is refused with 413, before it is read when
// its Content-Length says so.
const MaxPayloadBytes = 25 << 20

// Queue takes the jobs deliveries ask for. It must return only once the
// job is durable: the delivery is acknowledged as soon as it returns nil.
// duplicate reports that an equivalent job was already waiting, which is
// logged and otherwise not an error.
type Queue interface {
	VerifyRepo(ctx context.Context, r runner.VerifyRequest) (duplicate bool, err error)
	CheckPR(ctx context.Context, r runner.PRRequest) (duplicate bool, err error)
	// SetInstallation records whether an installation's work may run,
	// for every replica; it must be durable when it returns nil.
	SetInstallation(ctx context.Context, id int64, s jobs.InstallationState) error
}

// Config is what the handlers need to know about the App.
type Config struct {
	// WebhookSecret signs every delivery; required, because go-github
	// accepts unsigned deliveries when the secret is empty.
	WebhookSecret string
	// AppID is the App's integration id, to recognise its own check runs.
	AppID int64
	// AppLogin is the App's bot login ("<slug>[bot]"), the author of
	// tracking issues; compared case-insensitively.
	AppLogin string
	// MaxBytesInFlight bounds the delivery bodies held at once across all
	// requests (DefaultMaxBytesInFlight when 0); a delivery beyond it is
	// answered 503 with Retry-After. At least MaxPayloadBytes, so that
	// any delivery GitHub may send fits on its own.
	MaxBytesInFlight int64
}

// New returns the handler for POST Route: it checks each delivery's
// HMAC-SHA256 signature (X-Hub-Signature-256; the SHA-1 one alone is not
// enough) and dispatches it to the event handlers. A missing or wrong
// signature answers 401 and enqueues nothing, a body over MaxPayloadBytes
// 413, a delivery beyond the in-flight budget 503, ping 200, events
// pindrift does not handle 202. A signed payload the handler cannot use
// (not JSON, no repository, a field it reads of another type) is
// answered 202 and logged at warn, since GitHub would redeliver the same
// bytes; handlers read only the fields they use, so timestamps in any
// form and odd types elsewhere never fail a delivery.
func New(cfg Config, q Queue) (http.Handler, error) {
	h, err := newEndpoint(cfg, q)
	if err != nil {
		return nil, err
	}
	return h, nil
}

func newEndpoint(cfg Config, q Queue) (*endpoint, error) {
	if cfg.MaxBytesInFlight == 0 {
		cfg.MaxBytesInFlight = DefaultMaxBytesInFlight
	}
	switch {
	case cfg.MaxBytesInFlight < MaxPayloadBytes:
		return nil, fmt.Errorf("webhook: a budget of %d bytes in flight cannot hold one delivery of %d bytes",
			cfg.MaxBytesInFlight, MaxPayloadBytes)
	case cfg.WebhookSecret == "":
		return nil, errors.New("webhook: no webhook secret: deliveries could not be authenticated")
	case cfg.AppID <= 0:
		return nil, errors.New("webhook: no App id: the App's own check runs could not be recognised")
	case cfg.AppLogin == "":
		return nil, errors.New("webhook: no App login: tracking issues could not be recognised")
	case q == nil:
		return nil, errors.New("webhook: no queue")
	}
	e := &endpoint{secret: []byte(cfg.WebhookSecret), handlers: map[string]githubapp.EventHandler{},
		budget: &budget{max: cfg.MaxBytesInFlight}}
	for _, h := range Handlers(cfg, q) {
		for _, event := range h.Handles() {
			if _, dup := e.handlers[event]; dup {
				return nil, fmt.Errorf("webhook: two handlers for %s", event)
			}
			e.handlers[event] = h
		}
	}
	return e, nil
}

// Handlers returns one handler per event pindrift acts on.
func Handlers(cfg Config, q Queue) []githubapp.EventHandler {
	return []githubapp.EventHandler{
		&Release{Queue: q},
		&Push{Queue: q},
		&PullRequest{Queue: q},
		&CheckRun{Queue: q, AppID: cfg.AppID},
		&Installation{Queue: q},
		&InstallationRepositories{Queue: q},
		&IssueComment{Queue: q, AppLogin: cfg.AppLogin},
	}
}
