package config

import (
	"cmp"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/sandbox"
	"github.com/pindrift/pindrift/internal/strictyaml"
	"github.com/pindrift/pindrift/internal/verify"
	"github.com/pindrift/pindrift/internal/webhook"
)

// Defaults for the server configuration, used for settings that neither the
// file nor the environment gives.
const (
	DefaultAddress       = "0.0.0.0"
	DefaultPort          = 8080
	DefaultWebURL        = "https://github.com"
	DefaultV3APIURL      = "https://api.github.com/"
	DefaultV4APIURL      = "https://api.github.com/graphql"
	DefaultDatabaseURL   = "sqlite://pindrift.db" // beside the config file
	DefaultSweepSchedule = "17 3 * * *"           // 03:17 UTC, off the hour most jobs pick
	// DefaultSweepSpread spreads a sweep's repository runs over 30 minutes
	// rather than one burst against GitHub's rate limits.
	DefaultSweepSpread = jobs.DefaultSweepSpread
	MaxSweepSpread     = 24 * time.Hour
	// DefaultLogLevel is log.level; River's own lines are logged at warn
	// and above unless the level is debug.
	DefaultLogLevel      = "info"
	DefaultConcurrency   = verify.DefaultConcurrency
	DefaultMaxAssetBytes = verify.DefaultMaxAssetBytes
	// DefaultMaxRunBytes is verify.max_run_bytes: 4 GiB.
	DefaultMaxRunBytes = int64(4) << 30
	// DefaultMaxUntrustedPRBytes is verify.max_untrusted_pr_bytes: 512 MiB.
	DefaultMaxUntrustedPRBytes = int64(512) << 20
	MaxConcurrency             = 64
	DefaultMinBytesPerSecond   = verify.DefaultMinBytesPerSecond
	DefaultSlowGrace           = verify.DefaultSlowGrace
	DefaultDownloadTimeout     = verify.DefaultDownloadTimeout
	DefaultJobWorkers          = jobs.DefaultWorkers
	MaxJobWorkers              = 64
	DefaultRescueAfter         = jobs.DefaultRescueAfter
	MaxRescueAfter             = time.Hour
	// DefaultWebhookBytesInFlight bounds the webhook bodies held at once.
	DefaultWebhookBytesInFlight = webhook.DefaultMaxBytesInFlight
	// DefaultMetricsAddress keeps /metrics on loopback: its labels name
	// repositories, private ones included.
	DefaultMetricsAddress = "127.0.0.1"
	DefaultMetricsPort    = 9464 // OpenTelemetry's Prometheus exporter's; 9090 is Prometheus's own

	DefaultSandboxCPUSeconds  = sandbox.DefaultCPUSeconds
	DefaultSandboxMemoryBytes = sandbox.DefaultMemoryBytes
	DefaultSandboxTimeout     = sandbox.DefaultTimeout
	DefaultSandboxMaxChildren = sandbox.DefaultMaxChildren
	MaxSandboxCPUSeconds      = 600
	MaxSandboxTimeout         = 10 * time.Minute
	MaxSandboxChildren        = 64
)

// MaxServerConfigBytes bounds the server configuration file.
const MaxServerConfigBytes = 1 << 20

// Server is the configuration of `bot serve`, read from a YAML file and the
// environment by LoadServer.
type Server struct {
	HTTP HTTP `yaml:"server"`
	// GitHub is go-githubapp's own configuration, so the App's client
	// creator and webhook handler take it as is.
	GitHub githubapp.Config `yaml:"github"`
	// PrivateKeyFile is github.app.private_key_file (go-githubapp's struct
	// has no place for it): the file GitHub.App.PrivateKey was read from,
	// made absolute; "" when the key was given inline.
	PrivateKeyFile string        `yaml:"-"`
	Database       Database      `yaml:"database"`
	Sweep          Sweep         `yaml:"sweep"`
	Verify         ServerVerify  `yaml:"verify"`
	Jobs           ServerJobs    `yaml:"jobs"`
	Metrics        Metrics       `yaml:"metrics"`
	Sandbox        ServerSandbox `yaml:"sandbox"`
	Log            Log           `yaml:"log"`
}

// Log sets what the server logs.
type Log struct {
	// Level is the least severe level logged: debug, info, warn or error.
	Level string `yaml:"level"`
}

// LogLevels are the values log.level accepts, least severe first.
var LogLevels = []string{"debug", "info", "warn", "error"}

// ServerSandbox bounds each child process that evaluates a repository's
// manifest (see package sandbox). A manifest that meets a limit fails its
// job and gets a failing check run; the server carries on.
type ServerSandbox struct {
	// CPUSeconds is each child's CPU time.
	CPUSeconds int `yaml:"cpu_seconds"`
	// MemoryBytes is each child's private writable memory (RLIMIT_DATA);
	// a child of bot needs about 150 MiB of it to start and evaluate.
	// MaxChildren times this, plus the server, must fit in the memory
	// limit of the container or unit: a child killed by the kernel's OOM
	// killer may take the whole replica with it.
	MemoryBytes int64 `yaml:"memory_bytes"`
	// Timeout is each child's wall-clock time, as a Go duration ("30s").
	Timeout time.Duration `yaml:"timeout"`
	// MaxChildren bounds the children running at once in this process.
	MaxChildren int `yaml:"max_children"`
}

// SandboxLimits are the sandbox.Limits this configuration decides.
func (s *Server) SandboxLimits() sandbox.Limits {
	return sandbox.Limits{CPUSeconds: s.Sandbox.CPUSeconds, MemoryBytes: s.Sandbox.MemoryBytes,
		Timeout: s.Sandbox.Timeout, MaxChildren: s.Sandbox.MaxChildren}
}

// ServerJobs sizes the job workers of this process. On SQLite each worker
// takes about 0.1 s to pick up its next job, so 4 workers run about 40 jobs
// a second; raise it for repositories that push often.
type ServerJobs struct {
	Workers int `yaml:"workers"`
	// RescueAfter (jobs.rescue_after) is how long a running job may miss
	// its heartbeat before it counts as abandoned by a dead process and
	// runs again; a job of a killed replica runs again within it plus
	// about 30 s.
	RescueAfter time.Duration `yaml:"rescue_after"`
}

// HTTP is where the server listens for webhooks and health checks.
type HTTP struct {
	Address string `yaml:"address"`
	Port    int    `yaml:"port"`
	// WebhookBytesInFlight bounds the webhook request bodies held at once
	// across all deliveries; a delivery beyond it is answered 503 with
	// Retry-After. A body without Content-Length counts as the 25 MiB cap.
	WebhookBytesInFlight int64 `yaml:"webhook_bytes_in_flight"`
}

// Metrics is the listener of /metrics, apart from the webhook port: its
// series are labelled with repository names, which must not be public.
type Metrics struct {
	Address string `yaml:"address"`
	Port    int    `yaml:"port"`
}

// Addr is the host:port to listen on.
func (m Metrics) Addr() string { return net.JoinHostPort(m.Address, strconv.Itoa(m.Port)) }

// Addr is the host:port to listen on.
func (h HTTP) Addr() string { return net.JoinHostPort(h.Address, strconv.Itoa(h.Port)) }

// Sweep schedules the nightly verification of every configured repository.
type Sweep struct {
	// Schedule is a standard 5-field cron expression (or a descriptor such
	// as "@daily"), always in UTC.
	Schedule string `yaml:"schedule"`
	// Spread is the window, as a Go duration ("30m"), over which a sweep's
	// repository runs start; 0 starts them all at once.
	Spread time.Duration `yaml:"spread"`
}

// ServerVerify bounds the work of verification across all repositories.
type ServerVerify struct {
	Concurrency   int   `yaml:"concurrency"`
	MaxAssetBytes int64 `yaml:"max_asset_bytes"`
	// MaxRunBytes (verify.max_run_bytes) bounds the bytes one run reads
	// from the network, whatever becomes of them; a pin not verified
	// because it ran out is reported as refused, naming the key.
	MaxRunBytes int64 `yaml:"max_run_bytes"`
	// MaxUntrustedPRBytes (verify.max_untrusted_pr_bytes) replaces it for
	// the check of a pull request whose author cannot write to the
	// repository, since anyone can open one; such a check also takes
	// GitHub's digest of an asset rather than downloading it when the
	// release has one. At most MaxRunBytes.
	MaxUntrustedPRBytes int64 `yaml:"max_untrusted_pr_bytes"`
	AllowPrivateNetwork bool  `yaml:"allow_private_network"`
	// MinBytesPerSecond (verify.min_bytes_per_second) is the slowest
	// download tolerated over any SlowGrace period (verify.slow_grace);
	// a slower one frees its worker and the pin is unreachable, "too
	// slow". 0 turns the minimum off.
	MinBytesPerSecond int64         `yaml:"min_bytes_per_second"`
	SlowGrace         time.Duration `yaml:"slow_grace"`
	// DownloadTimeout (verify.download_timeout) bounds one download
	// attempt, however fast.
	DownloadTimeout time.Duration `yaml:"download_timeout"`
}

// Budget names, as a pin left unverified by them says.
const (
	RunBudgetName       = "download budget verify.max_run_bytes"
	UntrustedBudgetName = "download budget verify.max_untrusted_pr_bytes (pull requests by authors without write access)"
)

// VerifyOptions are the verify.Options this configuration decides; the
// caller adds the per-repository mode, resolver and cache.
func (s *Server) VerifyOptions() verify.Options {
	return verify.Options{
		Concurrency:         s.Verify.Concurrency,
		MaxAssetBytes:       s.Verify.MaxAssetBytes,
		MaxTotalBytes:       s.Verify.MaxRunBytes,
		BudgetName:          RunBudgetName,
		AllowPrivateNetwork: s.Verify.AllowPrivateNetwork,
		MinBytesPerSecond:   cmp.Or(s.Verify.MinBytesPerSecond, -1), // verify's zero is its default
		SlowGrace:           s.Verify.SlowGrace,
		DownloadTimeout:     s.Verify.DownloadTimeout,
	}
}

// DefaultServer is the configuration with nothing set.
func DefaultServer() *Server {
	s := &Server{
		HTTP:     HTTP{Address: DefaultAddress, Port: DefaultPort, WebhookBytesInFlight: DefaultWebhookBytesInFlight},
		Metrics:  Metrics{Address: DefaultMetricsAddress, Port: DefaultMetricsPort},
		Database: Database{URL: DefaultDatabaseURL},
		Sweep:    Sweep{Schedule: DefaultSweepSchedule, Spread: DefaultSweepSpread},
		Log:      Log{Level: DefaultLogLevel},
		Verify: ServerVerify{Concurrency: DefaultConcurrency, MaxAssetBytes: DefaultMaxAssetBytes,
			MaxRunBytes: DefaultMaxRunBytes, MaxUntrustedPRBytes: DefaultMaxUntrustedPRBytes,
			MinBytesPerSecond: DefaultMinBytesPerSecond, SlowGrace: DefaultSlowGrace, DownloadTimeout: DefaultDownloadTimeout},
		Jobs: ServerJobs{Workers: DefaultJobWorkers, RescueAfter: DefaultRescueAfter},
		Sandbox: ServerSandbox{CPUSeconds: DefaultSandboxCPUSeconds, MemoryBytes: DefaultSandboxMemoryBytes,
			Timeout: DefaultSandboxTimeout, MaxChildren: DefaultSandboxMaxChildren},
	}
	s.GitHub.WebURL = DefaultWebURL
	s.GitHub.V3APIURL = DefaultV3APIURL
	s.GitHub.V4APIURL = DefaultV4APIURL
	return s
}

// LookupEnv reads an environment variable, as os.LookupEnv does.
type LookupEnv func(name string) (string, bool)

// LoadServer reads the server configuration: defaults, then the YAML file
// at path (optional: "" means none, for containers configured entirely by
// the environment), then the environment, then validation.
//
// The github block is overridden by go-githubapp's own GITHUB_* variables,
// which it reads from the process environment; everything else by the
// PINDRIFT_* variables listed in ServerEnv, looked up with env (nil:
// os.LookupEnv). A relative sqlite path is made absolute against the
// file's directory, or the working directory without a file.
//
// An invalid configuration is an *Error listing every problem, each with
// the key and its line or environment variable, and never a secret.
func LoadServer(path string, env LookupEnv) (*Server, error) {
	if env == nil {
		env = os.LookupEnv
	}
	s := DefaultServer()
	ps := &strictyaml.Problems{}
	name, dir := "", "."
	if path != "" {
		data, err := readFile(path, MaxServerConfigBytes)
		if err != nil {
			return nil, fmt.Errorf("read server configuration: %w", err)
		}
		doc, list := strictyaml.Decode(data, s, map[string]*string{keyPrivateKeyFile: &s.PrivateKeyFile})
		if len(list) > 0 {
			return nil, &Error{File: path, Problems: list}
		}
		name, dir, ps.Doc = path, filepath.Dir(path), doc
	}
	applyEnv(s, env, ps)
	s.validate(ps, dir)
	if len(ps.List) > 0 {
		return nil, &Error{File: name, Problems: ps.Sorted()}
	}
	return s, nil
}

// readFile reads at most limit bytes, refusing a larger file rather than
// parsing part of it.
func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read-only: a close error loses nothing
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return data, nil
}
