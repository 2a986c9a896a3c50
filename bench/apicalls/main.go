package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/bench/internal/benchapp"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/sandbox"
	"github.com/pindrift/pindrift/internal/server"
)

const (
	benchOwner  = "bench"
	benchSecret = "webhook-secret-for-the-benchmark"
	tag         = "v1"
)

type flags struct {
	repos, installations int
	modes                string
	interval, timeout    time.Duration
	logLevel             string
	trace                string
}

func main() {
	sandbox.Main() // the server it starts re-executes this binary to evaluate manifests
	var f flags
	flag.IntVar(&f.repos, "repos", 50, "repositories, spread over the installations")
	flag.IntVar(&f.installations, "installations", 5, "installations of the App")
	flag.StringVar(&f.modes, "modes", "full,metadata,auto", "verify modes to measure, comma-separated")
	flag.DurationVar(&f.interval, "interval", 15*time.Second, "sweep schedule (@every); longer than one sweep takes")
	flag.DurationVar(&f.timeout, "timeout", 5*time.Minute, "how long to wait for each sweep")
	flag.StringVar(&f.logLevel, "log-level", "error", "server log level")
	flag.StringVar(&f.trace, "trace", "", "print every request of this repository (e.g. repo-000)")
	flag.Parse()
	if f.repos <= 0 || f.installations <= 0 || f.installations > f.repos || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	level, err := zerolog.ParseLevel(f.logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apicalls:", err)
		os.Exit(2)
	}
	fmt.Printf("pindrift API requests per repository: %d repositories, %d installations, 2 pinned assets each, sweep @every %s\n",
		f.repos, f.installations, f.interval)
	fmt.Printf("%-9s %-5s %8s %8s %8s %8s %10s\n", "mode", "sweep", "counted", "304", "app", "verified", "downloads")
	ok := true
	for _, mode := range strings.Split(f.modes, ",") {
		good, err := measure(f, level, strings.TrimSpace(mode))
		if err != nil {
			fmt.Fprintf(os.Stderr, "apicalls: %s: %v\n", mode, err)
			os.Exit(2)
		}
		ok = ok && good
	}
	if !ok {
		os.Exit(1)
	}
}

// sweep is what one sweep cost, from the fake's request log.
type sweep struct {
	counted, notModified, app, downloads int
	verified                             int // repositories whose manifest was read
}

func (s sweep) row(mode, name string, repos int) string {
	per := func(n int) string { return fmt.Sprintf("%.2f", float64(n)/float64(repos)) }
	return fmt.Sprintf("%-9s %-5s %8s %8s %8s %8d %10s", mode, name, per(s.counted), per(s.notModified), per(s.app),
		s.verified, per(s.downloads))
}

func measure(f flags, level zerolog.Level, mode string) (_ bool, err error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx = zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).Level(level).With().Timestamp().Logger().WithContext(ctx)

	tb := ghfake.Standalone(os.Stderr)
	defer tb.Close()
	defer tb.Recover(&err)
	gh := ghfake.New(tb)
	// Tokens expire an hour after the fake's clock: on the real clock the
	// App keeps its tokens, as against GitHub.
	gh.SetNow(time.Now())
	for i := range f.installations {
		gh.AddInstallation(ghfake.Installation{ID: int64(i + 1), Account: benchOwner})
	}
	for i := range f.repos {
		name := fmt.Sprintf("repo-%03d", i)
		gh.AddRepo(ghfake.Repo{Owner: benchOwner, Name: name, InstallationID: int64(i%f.installations + 1)})
		kernel := []byte(fmt.Sprintf("kernel of %s\n", name))
		rootfs := []byte(fmt.Sprintf("root filesystem of %s\n", name))
		gh.AddRelease(benchOwner, name, ghfake.Release{Tag: tag, Assets: []ghfake.Asset{
			{Name: "vmlinux", Content: kernel}, {Name: "rootfs.ext4", Content: rootfs}}})
		base := fmt.Sprintf("%s/%s/%s/releases/download/%s", gh.URL(), benchOwner, name, tag)
		gh.SetFiles(benchOwner, name, "main", map[string]string{
			".github/pindrift.yml": "manifests:\n  - path: images.py\nverify: {mode: " + mode + "}\n",
			"images.py": fmt.Sprintf("BASE = %q\nMANIFEST = {\n    \"vm\": {\n        \"kernel_url\": f\"{BASE}/vmlinux\",\n        \"kernel_sha256\": %q,\n"+
				"        \"rootfs_url\": f\"{BASE}/rootfs.ext4\",\n        \"rootfs_sha256\": %q,\n    },\n}\n", base, sum(kernel), sum(rootfs)),
		}, "bench")
	}

	dir, err := os.MkdirTemp("", "pindrift-apicalls-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	cfg, err := benchapp.ServerConfig(dir, gh, benchSecret, "@every "+f.interval.String())
	if err != nil {
		return false, err
	}
	srv, err := server.New(ctx, cfg, server.Options{Jobs: jobs.Options{PollInterval: 50 * time.Millisecond}})
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
	defer func() {
		stop()
		if err := <-served; err != nil {
			fmt.Fprintln(os.Stderr, "Serve:", err)
		}
	}()

	gh.Reset() // start-up's GET /app is not the sweep's
	ok := true
	for _, name := range []string{"cold", "warm"} {
		s, err := nextSweep(ctx, gh, srv, f.timeout, f.trace)
		if err != nil {
			return false, fmt.Errorf("%s sweep: %w", name, err)
		}
		fmt.Println(s.row(mode, name, f.repos))
		ok = ok && s.verified == f.repos
	}
	if errs := tb.Failures(); len(errs) > 0 {
		fmt.Printf("fake GitHub reported %d problems, first: %s\n", len(errs), errs[0])
		ok = false
	}
	return ok, nil
}

// nextSweep waits for the periodic sweep to start (it lists the App's
// installations) and for the queue to drain, then reads and clears the
// request log.
func nextSweep(ctx context.Context, gh *ghfake.Server, srv *server.Server, timeout time.Duration, trace string) (sweep, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for gh.Count(http.MethodGet, "/app/installations") == 0 {
		if err := pause(ctx); err != nil {
			return sweep{}, errors.New("no sweep started")
		}
	}
	for quiet := 0; quiet < 5; {
		idle, err := srv.Idle(ctx)
		if err != nil {
			return sweep{}, err
		}
		quiet++
		if !idle {
			quiet = 0
		}
		if err := pause(ctx); err != nil {
			return sweep{}, errors.New("the sweep's jobs did not finish")
		}
	}
	reqs := gh.Requests()
	gh.Reset()
	var s sweep
	for _, r := range reqs {
		if trace != "" && strings.Contains(r.Path, "/"+trace+"/") || strings.HasSuffix(r.Path, "/"+trace) {
			fmt.Printf("  %d %s %s?%s\n", r.Status, r.Method, r.Path, r.Query.Encode())
		}
		switch {
		case !r.API:
			s.downloads++
		case r.Installation == 0: // the App's JWT
			s.app++
		case r.NotModified():
			s.notModified++
		default:
			s.counted++
		}
		if r.API && strings.HasSuffix(r.Path, "/contents/images.py") {
			s.verified++
		}
	}
	return s, nil
}

func pause(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(100 * time.Millisecond):
		return nil
	}
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
