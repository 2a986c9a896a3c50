package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/bench/internal/benchapp"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/sandbox"
	"github.com/pindrift/pindrift/internal/server"
	"github.com/pindrift/pindrift/internal/webhook"
)

const (
	benchOwner        = "bench"
	benchInstallation = 1
	benchSecret       = "webhook-secret-for-the-benchmark"
)

type flags struct {
	rate       float64
	duration   time.Duration
	repos      int
	conns      int
	fixture    string
	drain      time.Duration
	logLevel   string
	cpuProfile string
	workers    int
}

func main() {
	sandbox.Main() // the server it starts re-executes this binary to evaluate manifests
	var f flags
	flag.Float64Var(&f.rate, "rate", 200, "deliveries per second")
	flag.DurationVar(&f.duration, "duration", 30*time.Second, "how long to send")
	flag.IntVar(&f.repos, "repos", 20, "repositories the pushes are spread over")
	flag.IntVar(&f.conns, "conns", 64, "most HTTP connections (kept alive) to the server")
	flag.StringVar(&f.fixture, "fixture", filepath.Join("..", "shared", "fixtures", "webhooks", "push.payload.json"),
		"GitHub push payload to build deliveries from (an inline minimal one when absent)")
	flag.DurationVar(&f.drain, "drain-timeout", 10*time.Minute, "how long to wait for the queue to drain")
	flag.StringVar(&f.logLevel, "log-level", "warn", "server log level")
	flag.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the sending phase (server, fake GitHub and client share the process)")
	flag.IntVar(&f.workers, "workers", 0, "job workers (0: the server's default, as `bot serve` runs)")
	flag.Parse()
	if f.rate <= 0 || f.duration <= 0 || f.repos <= 0 || f.conns <= 0 || f.workers < 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	ok, err := run(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhooks:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func run(f flags) (_ bool, err error) {
	level, err := zerolog.ParseLevel(f.logLevel)
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx = zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).Level(level).With().Timestamp().Logger().WithContext(ctx)

	tb := ghfake.Standalone(os.Stderr)
	defer tb.Close()
	defer tb.Recover(&err) // a seeding mistake, before the load starts
	gh := ghfake.New(tb)
	// The fake's clock starts in 2024, and installation tokens expire an
	// hour after it: left there, every API call would mint a new token with
	// an RSA-signed JWT, a cost a real GitHub does not impose.
	gh.SetNow(time.Now())
	gh.AddInstallation(ghfake.Installation{ID: benchInstallation, Account: benchOwner})
	repos := make([]string, f.repos)
	for i := range repos {
		repos[i] = fmt.Sprintf("repo-%03d", i)
		gh.AddRepo(ghfake.Repo{Owner: benchOwner, Name: repos[i], InstallationID: benchInstallation})
		// A default branch without .github/pindrift.yml: each job reads
		// the branch, finds no configuration and stops.
		gh.SetFiles(benchOwner, repos[i], "main", map[string]string{"README.md": "benchmark\n"}, "bench")
	}

	dir, err := os.MkdirTemp("", "pindrift-webhooks-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	cfg, err := benchapp.ServerConfig(dir, gh, benchSecret, "@yearly")
	if err != nil {
		return false, err
	}
	srv, err := server.New(ctx, cfg, server.Options{Jobs: jobs.Options{Workers: f.workers}})
	if err != nil {
		return false, fmt.Errorf("server.New: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return false, err
	}
	serveCtx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(serveCtx, l, 10*time.Second) }()
	// Serve learns the App's login from GitHub before it takes deliveries.
	select {
	case <-srv.Ready():
	case err := <-served:
		stop()
		if err == nil {
			err = errors.New("stopped before it was ready")
		}
		return false, fmt.Errorf("serve: %w", err)
	}
	defer func() {
		stop()
		if err := <-served; err != nil {
			fmt.Fprintln(os.Stderr, "Serve:", err)
		}
	}()

	tmpl, source, err := pushTemplate(f.fixture)
	if err != nil {
		return false, err
	}
	n := int(f.rate * f.duration.Seconds())
	ds, err := deliveries(tmpl, n, repos, benchSecret)
	if err != nil {
		return false, err
	}
	client := &http.Client{Transport: &http.Transport{
		MaxConnsPerHost: f.conns, MaxIdleConnsPerHost: f.conns, MaxIdleConns: f.conns,
		IdleConnTimeout: time.Minute, DisableCompression: true,
	}}
	url := "http://" + l.Addr().String() + webhook.Route

	fmt.Printf("pindrift webhook load: %d signed push deliveries at %g/s for %s over %d repositories, ≤%d connections\n",
		n, f.rate, f.duration, f.repos, f.conns)
	workers := f.workers
	if workers == 0 {
		workers = jobs.DefaultWorkers
	}
	fmt.Printf("server: SQLite, %d job workers\n", workers)
	fmt.Printf("payload: %s (%d bytes each)\n", source, len(ds[0].body))
	fmt.Printf("machine: %s\n", machine())
	fmt.Printf("load average before: %s\n", loadavg())

	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			return false, err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return false, err
		}
	}
	began := time.Now()
	res, lag := fire(ctx, client, url, ds, f.rate)
	sent := time.Since(began)
	if f.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	loadAfter := loadavg()

	acked, non2xx, failed := 0, 0, 0
	codes := map[int]int{}
	var firstErr error
	for _, r := range res {
		switch {
		case r.err != nil:
			failed++
			if firstErr == nil {
				firstErr = r.err
			}
		case r.status >= 200 && r.status < 300:
			acked++
		default:
			non2xx++
			codes[r.status]++
		}
	}
	all := sortedLatencies(res, func(r result) bool { return r.err == nil })
	ok := sortedLatencies(res, func(r result) bool { return r.err == nil && r.status/100 == 2 })

	fmt.Printf("sent: %d in %s (%.1f/s), scheduler late by at most %s\n",
		n, sent.Round(time.Millisecond), float64(n)/sent.Seconds(), lag.Round(time.Microsecond))
	fmt.Printf("acknowledged (2xx): %d, non-2xx: %d %v, failed: %d\n", acked, non2xx, codes, failed)
	if firstErr != nil {
		fmt.Printf("first failure: %v\n", firstErr)
	}
	fmt.Printf("ack latency (2xx, from scheduled send): p50 %s  p90 %s  p99 %s  max %s\n",
		ms(percentile(ok, 50)), ms(percentile(ok, 90)), ms(percentile(ok, 99)), ms(percentile(ok, 100)))
	if len(all) != len(ok) {
		fmt.Printf("latency (all answered): p50 %s  p99 %s  max %s\n", ms(percentile(all, 50)), ms(percentile(all, 99)), ms(percentile(all, 100)))
	}
	fmt.Printf("load average after sending: %s\n", loadAfter)

	drainStart := time.Now()
	if err := waitIdle(ctx, srv, f.drain); err != nil {
		return false, err
	}
	drained := time.Since(drainStart)
	counts, err := srv.JobCounts(ctx)
	if err != nil {
		return false, err
	}
	var created int64
	for _, c := range counts {
		created += c
	}
	fmt.Printf("queue drained %s after the last send (jobs ran at %.1f/s over the whole run)\n",
		drained.Round(time.Millisecond), float64(counts["completed"])/(sent+drained).Seconds())
	fmt.Printf("jobs created: %d, completed: %d, by state: %s\n", created, counts["completed"], nonZero(counts))

	exact := created == int64(acked) && counts["completed"] == created
	fmt.Printf("every acknowledged delivery became exactly one job: %v (%d deliveries acknowledged, %d jobs)\n",
		exact, acked, created)
	target := percentile(ok, 99) < 25*time.Millisecond
	fmt.Printf("p99 under 25 ms: %v\n", target)
	if errs := tb.Failures(); len(errs) > 0 {
		fmt.Printf("fake GitHub reported %d problems, first: %s\n", len(errs), errs[0])
		exact = false
	}
	return exact && failed == 0 && non2xx == 0, nil
}

// waitIdle waits until the queue has been idle for three polls in a row.
func waitIdle(ctx context.Context, srv *server.Server, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	quiet := 0
	for quiet < 3 {
		idle, err := srv.Idle(ctx)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("the queue did not drain within %s", timeout)
			}
			return err
		}
		if idle {
			quiet++
		} else {
			quiet = 0
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the queue did not drain within %s", timeout)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

func nonZero(m map[string]int64) string {
	var parts []string
	for _, s := range []string{"available", "pending", "scheduled", "running", "retryable", "completed", "cancelled", "discarded"} {
		if m[s] != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", s, m[s]))
		}
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// machine is the CPU count and model, and the Go version.
func machine() string {
	model := "unknown CPU"
	if fh, err := os.Open("/proc/cpuinfo"); err == nil {
		defer fh.Close()
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs (GOMAXPROCS %d), %s, %s %s/%s", runtime.NumCPU(), runtime.GOMAXPROCS(0), model,
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
