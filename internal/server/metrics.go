package server

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/pindrift/pindrift/internal/ghhttp"
	"github.com/pindrift/pindrift/internal/verify"
)

// Metrics are what /metrics exports.
type Metrics struct {
	reg         *prometheus.Registry
	deliveries  *prometheus.CounterVec
	jobs        *prometheus.CounterVec
	bytes       prometheus.Counter
	outcomes    *prometheus.CounterVec
	driftOpen   *prometheus.GaugeVec
	apiCalls    *prometheus.CounterVec
	rateRemain  prometheus.Gauge
	mu          sync.Mutex
	openPerRepo map[string]float64
}

// NewMetrics registers pindrift's metrics and the Go runtime's.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), openPerRepo: map[string]float64{}}
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pindrift_webhook_deliveries_total",
		Help: "Webhook deliveries by event and outcome (enqueued, duplicate, ignored, rejected, error)."}, []string{"event", "outcome"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pindrift_jobs_total",
		Help: "Finished job attempts by kind and result (ok, error)."}, []string{"kind", "result"})
	m.bytes = prometheus.NewCounter(prometheus.CounterOpts{Name: "pindrift_verified_bytes_total",
		Help: "Bytes read from the network by verification, whatever became of them (retries, failures, refusals included)."})
	m.outcomes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pindrift_verification_outcomes_total",
		Help: "Verified URLs by outcome."}, []string{"status"})
	m.driftOpen = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "pindrift_drift_open",
		Help: "Drifted assets per repository as of its last verification."}, []string{"repository"})
	m.apiCalls = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pindrift_github_api_calls_total",
		Help: "GitHub API requests by method and status class; 304 for a cached answer GitHub confirmed unchanged, which its rate limit does not count."}, []string{"method", "status"})
	m.rateRemain = prometheus.NewGauge(prometheus.GaugeOpts{Name: "pindrift_github_rate_limit_remaining",
		Help: "X-RateLimit-Remaining of the last GitHub API response."})
	m.reg.MustRegister(m.deliveries, m.jobs, m.bytes, m.outcomes, m.driftOpen, m.apiCalls, m.rateRemain,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is for /metrics and for registering more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Delivery counts one webhook delivery.
func (m *Metrics) Delivery(event, outcome string) { m.deliveries.WithLabelValues(event, outcome).Inc() }

// Job counts one finished job attempt.
func (m *Metrics) Job(kind string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.jobs.WithLabelValues(kind, result).Inc()
}

// Verified records a repository's verification.
func (m *Metrics) Verified(repo string, rep *verify.Report) {
	if rep == nil {
		return
	}
	for _, o := range rep.Outcomes {
		m.outcomes.WithLabelValues(string(o.Status)).Inc()
	}
	m.driftOpen.WithLabelValues(repo).Set(float64(rep.Summary.Drift))
}

// CountBytes counts bytes as verification reads them. Counting the
// reports' Outcome.Bytes instead missed retried attempts, pull request
// checks, and runs that failed after verifying.
func (m *Metrics) CountBytes(n int64) { m.bytes.Add(float64(n)) }

// Transport counts GitHub API calls and records the rate limit left.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		status := "error"
		if resp != nil {
			status = strconv.Itoa(resp.StatusCode/100) + "xx"
			if resp.Header.Get(ghhttp.RevalidatedHeader) != "" {
				status = "304" // GitHub answered Not Modified; not counted against the rate limit
			}
			if v, perr := strconv.ParseFloat(resp.Header.Get("X-RateLimit-Remaining"), 64); perr == nil {
				m.rateRemain.Set(v)
			}
		}
		m.apiCalls.WithLabelValues(req.Method, status).Inc()
		return resp, err
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
