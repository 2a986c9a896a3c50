package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/ghrunner"
	"github.com/pindrift/pindrift/internal/sandbox"
	"github.com/pindrift/pindrift/internal/webhook"
)

// Server is the running App.
type Server struct {
	cfg     *config.Server
	metrics *Metrics
	gh      *gitHub
	jobs    *jobs.Jobs
	runner  *runner.Runner
	sandbox *sandbox.Extractor
	http    *http.Server
	// metricsHTTP serves /metrics apart from the public webhook
	// listener, since its labels name private repositories.
	metricsHTTP     *http.Server
	metricsListener net.Listener

	// startupRetry is the first wait before asking GitHub for the App
	// again at start-up.
	startupRetry time.Duration
	// hook is the webhook endpoint, nil until the App knows its login;
	// until then deliveries are answered 503, a temporary failure that
	// can be redelivered (an unready pod gets none behind a Service).
	hook atomic.Pointer[http.Handler]
	// waiting says why the replica is not ready yet (GitHub's last answer
	// to GET /app); empty once it knows its login.
	waiting atomic.Pointer[string]
	// ready is closed once deliveries are taken.
	ready chan struct{}

	readyMu   sync.Mutex
	readyAt   time.Time
	readyErr  error
	readyNote string // why ready is qualified, e.g. GitHub unreachable
	readyTTL  time.Duration
	dbTimeout time.Duration
}

// Options tune a Server beyond its configuration (tests use them).
type Options struct {
	// Jobs overrides the job queue's settings; the handler and schedule
	// come from the server.
	Jobs jobs.Options
	// StartupRetry is the first wait before asking GitHub again when it
	// cannot answer at start-up (default 1 s, doubling up to 30 s).
	StartupRetry time.Duration
	// MetricsListener is where Serve answers /metrics; nil serves no
	// metrics there (ListenAndServe listens on metrics.address:port).
	MetricsListener net.Listener
}

// startupRetryAfter is the Retry-After of /readyz and deliveries while the
// App waits for GitHub at start-up.
const startupRetryAfter = 5 * time.Second

// appLogin learns the App's bot login. A replica started during a GitHub
// outage waits for GitHub rather than exiting, so a restart does not turn
// an outage into a crash loop; a key or id GitHub rejects fails at once.
// waiting is told each failed answer, for /readyz.
func appLogin(ctx context.Context, gh *gitHub, wait time.Duration, waiting func(error)) (string, error) {
	if wait <= 0 {
		wait = time.Second
	}
	const maxWait = 30 * time.Second
	for {
		login, err := gh.AppLogin(ctx)
		if err == nil || credentialsRejected(err) || ctx.Err() != nil {
			return login, err
		}
		waiting(err)
		zerolog.Ctx(ctx).Warn().Err(err).Dur("retry_in", wait).Msg("GitHub API unreachable at start-up; waiting for it")
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("stopped while waiting for GitHub: %w", err)
		case <-time.After(wait):
		}
		wait = min(2*wait, maxWait)
	}
}

// New builds the App: the GitHub clients, the sandbox, the database and
// the HTTP servers. It does not wait for GitHub: Serve answers /healthz at
// once and learns the App's login in the background (see Serve).
func New(ctx context.Context, cfg *config.Server, opts Options) (*Server, error) {
	s := &Server{cfg: cfg, metrics: NewMetrics(), readyTTL: 15 * time.Second, dbTimeout: 3 * time.Second,
		metricsListener: opts.MetricsListener, startupRetry: opts.StartupRetry, ready: make(chan struct{})}
	note := "waiting for GitHub to answer GET /app"
	s.waiting.Store(&note)
	gh, err := newGitHub(cfg.GitHub, s.metrics)
	if err != nil {
		return nil, err
	}
	s.gh = gh

	jo := opts.Jobs
	jo.Handler = &jobWork{s: s}
	if jo.SweepSchedule == "" {
		jo.SweepSchedule = cfg.Sweep.Schedule
	}
	if jo.SweepSpread == 0 {
		// 0 in the configuration means no spread; Options reads 0 as
		// the default.
		jo.SweepSpread = cfg.Sweep.Spread
		if jo.SweepSpread == 0 {
			jo.SweepSpread = -1
		}
	}
	if jo.Workers == 0 {
		jo.Workers = cfg.Jobs.Workers
	}
	if jo.RescueAfter == 0 {
		jo.RescueAfter = cfg.Jobs.RescueAfter
	}
	// Repository content is evaluated only in sandboxed children: a
	// manifest that crashes the evaluator fails its job, not the server.
	box, err := sandbox.New(cfg.SandboxLimits())
	if err != nil {
		return nil, err
	}
	s.sandbox = box
	s.jobs, err = jobs.Open(ctx, databaseURL(cfg), jo)
	if err != nil {
		box.Close()
		return nil, fmt.Errorf("database: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle(webhook.Route, s.countDeliveries(http.HandlerFunc(s.webhook)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", s.readyz)
	s.http = &http.Server{
		Addr: cfg.HTTP.Addr(), Handler: mux,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	metricsMux := http.NewServeMux()
	metricsMux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.Registry(), promhttp.HandlerOpts{}))
	s.metricsHTTP = &http.Server{
		Addr: cfg.Metrics.Addr(), Handler: metricsMux,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	return s, nil
}

// becomeReady builds what needs the App's login (the runner and the
// webhook endpoint), then starts the workers and takes deliveries.
func (s *Server) becomeReady(ctx context.Context, login string) error {
	cfg := s.cfg
	gh, box := s.gh, s.sandbox
	vo := cfg.VerifyOptions()
	vo.CountBytes = s.metrics.CountBytes
	s.runner = runner.New(runner.Deps{
		Installation: ghrunner.Installations(gh.Installation, ghrunner.Options{
			AppLogin: login, WebURL: cfg.GitHub.WebURL, Settings: loadSettings, Anonymous: gh.anon}),
		WebURL: cfg.GitHub.WebURL, Verify: vo, Cache: s.jobs.Cache(), Extract: box.Extract,
		Discoveries: s.jobs.Discoveries(),
		UntrustedPR: runner.Budget{Bytes: cfg.Verify.MaxUntrustedPRBytes, Name: config.UntrustedBudgetName},
		Recheck: func(ctx context.Context, owner, repo string, now time.Time) (runner.RecheckTurn, error) {
			return s.jobs.Recheck(ctx, owner, repo, now, jobs.DefaultRecheckWindow)
		},
	})
	hook, err := webhook.New(webhook.Config{WebhookSecret: cfg.GitHub.App.WebhookSecret,
		AppID: cfg.GitHub.App.IntegrationID, AppLogin: login, MaxBytesInFlight: cfg.HTTP.WebhookBytesInFlight},
		&queue{jobs: s.jobs})
	if err != nil {
		return err
	}
	if err := s.jobs.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	s.hook.Store(&hook)
	s.waiting.Store(nil)
	close(s.ready)
	zerolog.Ctx(ctx).Info().Str("login", login).Msg("GitHub knows the App; taking deliveries")
	return nil
}

// Ready is closed once the App knows its login, its workers run and it
// takes deliveries (tests and the demo wait for it).
func (s *Server) Ready() <-chan struct{} { return s.ready }

// webhook hands deliveries to the endpoint once the App knows its login.
// Before that it answers 503 with Retry-After: GitHub records the delivery
// as failed, and it can be redelivered once the replica is ready; nothing
// could act on it before (the runner needs the login to find its issues).
func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	if h := s.hook.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(startupRetryAfter/time.Second)))
	w.Header().Set("Connection", "close") // the body is not read
	http.Error(w, "not ready: "+s.waitingFor(), http.StatusServiceUnavailable)
}

// waitingFor says why the replica is not ready yet; "" once it is.
func (s *Server) waitingFor() string {
	if p := s.waiting.Load(); p != nil {
		return *p
	}
	return ""
}

func databaseURL(cfg *config.Server) string {
	if cfg.Database.Driver() == config.DriverSQLite {
		return "sqlite://" + cfg.Database.SQLitePath()
	}
	return cfg.Database.URL
}

// Serve answers HTTP on l until ctx ends: /healthz at once, /readyz and
// the webhook 503 until GitHub has told the App its login (asked in the
// background, waiting with backoff while GitHub cannot answer), then the
// workers start and deliveries are taken. When ctx ends it stops taking
// deliveries, lets running jobs finish (or returns them to the queue after
// grace), closes the database and returns nil: a stop signal while GitHub
// is still awaited is a clean stop too. Credentials GitHub rejects end it
// with an error.
func (s *Server) Serve(ctx context.Context, l net.Listener, grace time.Duration) error {
	log := zerolog.Ctx(ctx)
	errc := make(chan error, 3)
	go func() { errc <- s.http.Serve(l) }()
	startCtx, stopStarting := context.WithCancel(ctx)
	started := make(chan struct{})
	go func() {
		defer close(started)
		login, err := appLogin(startCtx, s.gh, s.startupRetry, func(err error) {
			note := "GitHub API unreachable at start-up: " + err.Error()
			s.waiting.Store(&note)
		})
		if err == nil {
			err = s.becomeReady(ctx, login)
		}
		if err != nil && startCtx.Err() == nil {
			errc <- fmt.Errorf("start: %w", err)
		}
	}()
	if s.metricsListener != nil {
		go func() { errc <- s.metricsHTTP.Serve(s.metricsListener) }()
		log.Info().Str("address", s.metricsListener.Addr().String()).Msg("serving /metrics")
	}
	log.Info().Str("address", l.Addr().String()).Msg("pindrift is serving")
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	// The start-up goroutine must be done before the jobs stop, so that
	// it cannot start them after.
	stopStarting()
	<-started
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := errors.Join(
		ignoreClosed(s.http.Shutdown(stopCtx)),
		ignoreClosed(s.metricsHTTP.Shutdown(stopCtx)),
		s.jobs.Stop(stopCtx),
		s.jobs.Close(),
		ignoreClosed(serveErr),
	)
	s.sandbox.Close() // the spare child; the jobs that used children are done
	log.Info().Err(err).Msg("pindrift stopped")
	return err
}

// ListenAndServe listens on the configured addresses: server's for
// webhooks and health, metrics' for /metrics.
func (s *Server) ListenAndServe(ctx context.Context, grace time.Duration) error {
	l, err := net.Listen("tcp", s.http.Addr)
	if err != nil {
		return err
	}
	if s.metricsListener == nil {
		ml, err := net.Listen("tcp", s.metricsHTTP.Addr)
		if err != nil {
			l.Close() // never served: nothing to lose
			return fmt.Errorf("metrics listener: %w", err)
		}
		s.metricsListener = ml
	}
	return s.Serve(ctx, l, grace)
}

func ignoreClosed(err error) error {
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// readyz answers 200 when this replica can take deliveries: the App knows
// its login (503 with Retry-After until GitHub has answered GET /app once),
// the database answers and GitHub has not rejected the App's credentials.
// It is checked at most every readyTTL.
//
// GitHub being unreachable (network error, timeout, 5xx, rate limit) does
// not make the replica unready: deliveries are stored in the database and
// their jobs retry, whereas an unready replica refuses webhooks that GitHub
// does not redeliver by itself. Only a definitive answer about the
// credentials (401, 403 or 404 on GET /app: a wrong key or App id) does,
// since no job can succeed with them.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if why := s.waitingFor(); why != "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(startupRetryAfter/time.Second)))
		http.Error(w, "not ready: "+why, http.StatusServiceUnavailable)
		return
	}
	s.readyMu.Lock()
	defer s.readyMu.Unlock()
	if time.Since(s.readyAt) > s.readyTTL {
		ctx, cancel := context.WithTimeout(r.Context(), s.dbTimeout)
		defer cancel()
		_, dbErr := s.jobs.Stats(ctx)
		if dbErr != nil {
			dbErr = fmt.Errorf("database: %w", dbErr)
		}
		_, ghErr := s.gh.app(ctx)
		s.readyNote = ""
		if ghErr != nil && !credentialsRejected(ghErr) {
			s.readyNote = "GitHub API unreachable: " + ghErr.Error()
			zerolog.Ctx(r.Context()).Warn().Err(ghErr).
				Msg("GitHub API unreachable; staying ready since deliveries are stored and their jobs retry")
			ghErr = nil
		}
		s.readyErr, s.readyAt = errors.Join(dbErr, ghErr), time.Now()
	}
	if s.readyErr != nil {
		http.Error(w, s.readyErr.Error(), http.StatusServiceUnavailable)
		return
	}
	if s.readyNote != "" {
		fmt.Fprintln(w, "ready; "+s.readyNote)
		return
	}
	fmt.Fprintln(w, "ready")
}

// credentialsRejected reports whether GitHub answered GET /app in a way
// that says the App's id or key is wrong, rather than that it could not
// answer. A rate limit is a 403 too, but says nothing about the key.
func credentialsRejected(err error) bool {
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	if errors.As(err, &rl) || errors.As(err, &ab) {
		return false
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch er.Response.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return true
		}
		return false
	}
	// No answer from GitHub at all: a network error or timeout. The one
	// local failure, building the App client from the key, cannot happen
	// here since New already built it.
	return false
}

// countDeliveries records each delivery's event and how it was answered.
func (s *Server) countDeliveries(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		outcome := "handled"
		switch {
		case sw.status == http.StatusAccepted:
			outcome = "ignored"
		case sw.status >= 500:
			outcome = "error"
		case sw.status >= 400:
			outcome = "rejected"
		}
		event := r.Header.Get("X-GitHub-Event")
		if event == "" || outcome == "rejected" {
			event = "unknown"
		}
		s.metrics.Delivery(event, outcome)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Idle reports whether no job is waiting or running (tests and the demo
// wait for it).
func (s *Server) Idle(ctx context.Context) (bool, error) {
	st, err := s.jobs.Stats(ctx)
	if err != nil {
		return false, err
	}
	return st["available"]+st["running"]+st["retryable"]+st["scheduled"]+st["pending"] == 0, nil
}

// JobCounts counts the queue's jobs by River state ("completed",
// "available", ...), every state present even at zero; the webhook load
// benchmark checks with it that each delivery became one job.
func (s *Server) JobCounts(ctx context.Context) (map[string]int64, error) {
	return s.jobs.Stats(ctx)
}
