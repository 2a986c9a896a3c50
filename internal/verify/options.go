package verify

import "time"

// Defaults for Options fields left zero.
const (
	DefaultConcurrency   = 4
	DefaultPerHost       = 4
	DefaultTries         = 3
	DefaultBackoffBase   = 500 * time.Millisecond
	DefaultBackoffMax    = 30 * time.Second
	DefaultMaxRetryAfter = 2 * time.Minute
	DefaultStallTimeout  = 30 * time.Second
	// DefaultMinBytesPerSecond is the slowest transfer tolerated after
	// DefaultSlowGrace: a trickle must not hold a worker for its whole
	// job timeout.
	DefaultMinBytesPerSecond = int64(256) << 10
	DefaultSlowGrace         = 30 * time.Second
	// DefaultDownloadTimeout bounds one download attempt, however fast:
	// 16 GiB at 20 MiB/s.
	DefaultDownloadTimeout = 15 * time.Minute
	DefaultConnectTimeout  = 15 * time.Second
	DefaultTLSTimeout      = 15 * time.Second
	DefaultHeaderTimeout   = 60 * time.Second
	DefaultMaxRedirects    = 5
	DefaultMaxAssetBytes   = int64(16) << 30
	DefaultMaxTotalBytes   = int64(1) << 40
	DefaultUserAgent       = "pindrift-verify"
	defaultCopyBufferBytes = 256 << 10
	defaultReadBufferBytes = 64 << 10
)

// Mode chooses how release assets with API metadata are judged.
type Mode string

const (
	// ModeFull always downloads and hashes; the API is not consulted.
	ModeFull Mode = "full"
	// ModeMetadata trusts the release host's digest and downloads only the
	// assets that have none, or pins of another algorithm than the
	// host's SHA-256.
	ModeMetadata Mode = "metadata"
	// ModeAuto downloads unless the cache holds a download-verified digest
	// for the asset's current identity (id, size, updated_at).
	ModeAuto Mode = "auto"
)

// ParseMode accepts "full", "metadata" or "auto".
func ParseMode(s string) (Mode, bool) {
	switch m := Mode(s); m {
	case ModeFull, ModeMetadata, ModeAuto:
		return m, true
	}
	return "", false
}

// Options tune a Verifier. The zero value is the safe default: https only,
// public addresses only, full downloads.
type Options struct {
	// Concurrency bounds transfers in flight; PerHost bounds them per host.
	Concurrency int
	PerHost     int
	// Tries is the number of attempts for transient failures (5xx, 429,
	// timeouts, resets, short bodies).
	Tries       int
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MaxRetryAfter caps how long a Retry-After header may make us wait;
	// a longer one ends the retries.
	MaxRetryAfter time.Duration
	// StallTimeout fails an attempt that receives no byte for this long.
	StallTimeout time.Duration
	// MinBytesPerSecond fails an attempt that reads fewer bytes per second
	// than this over any SlowGrace period (the first one counted from the
	// answer); the URL is then unreachable, "too slow", without a retry.
	// Negative turns the check off.
	MinBytesPerSecond int64
	SlowGrace         time.Duration
	// DownloadTimeout fails an attempt that has not finished after this
	// long, without a retry.
	DownloadTimeout time.Duration
	ConnectTimeout  time.Duration
	TLSTimeout      time.Duration
	HeaderTimeout   time.Duration
	MaxRedirects    int
	// MaxAssetBytes refuses a single asset larger than this; MaxTotalBytes
	// refuses transfers once the run has read this many bytes in total.
	// Every byte read counts, whatever becomes of its transfer (retries,
	// failures, HTML answers).
	MaxAssetBytes int64
	MaxTotalBytes int64
	// BudgetName names MaxTotalBytes in the reason given for a pin left
	// unverified when it runs out, e.g. the configuration key that set it.
	BudgetName string
	// PreferDigest takes the release host's digest when it has one, in
	// every mode, instead of downloading: for runs whose downloads an
	// outsider can trigger.
	PreferDigest bool
	// CountBytes, if set, is told of every body byte read from the
	// network, from many goroutines.
	CountBytes func(n int64)
	// AllowPrivateNetwork lifts the https-only and public-address rules,
	// for tests and private mirrors.
	AllowPrivateNetwork bool

	Mode Mode
	// Resolver supplies release metadata in ModeMetadata and ModeAuto;
	// nil means every URL is downloaded.
	Resolver AssetResolver
	// Cache remembers download-verified digests for ModeAuto.
	Cache Cache
	// Observer, if set, is told about transfers as they progress.
	Observer Observer
	// UserAgent is sent with every download.
	UserAgent string
}

func (o Options) withDefaults() Options {
	setInt := func(p *int, d int) {
		if *p <= 0 {
			*p = d
		}
	}
	setDur := func(p *time.Duration, d time.Duration) {
		if *p <= 0 {
			*p = d
		}
	}
	setInt(&o.Concurrency, DefaultConcurrency)
	setInt(&o.PerHost, DefaultPerHost)
	setInt(&o.Tries, DefaultTries)
	setInt(&o.MaxRedirects, DefaultMaxRedirects)
	setDur(&o.BackoffBase, DefaultBackoffBase)
	setDur(&o.BackoffMax, DefaultBackoffMax)
	setDur(&o.MaxRetryAfter, DefaultMaxRetryAfter)
	setDur(&o.StallTimeout, DefaultStallTimeout)
	setDur(&o.SlowGrace, DefaultSlowGrace)
	setDur(&o.DownloadTimeout, DefaultDownloadTimeout)
	if o.MinBytesPerSecond == 0 {
		o.MinBytesPerSecond = DefaultMinBytesPerSecond
	}
	setDur(&o.ConnectTimeout, DefaultConnectTimeout)
	setDur(&o.TLSTimeout, DefaultTLSTimeout)
	setDur(&o.HeaderTimeout, DefaultHeaderTimeout)
	if o.MaxAssetBytes <= 0 {
		o.MaxAssetBytes = DefaultMaxAssetBytes
	}
	if o.MaxTotalBytes <= 0 {
		o.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if o.BudgetName == "" {
		o.BudgetName = "run's download budget"
	}
	if o.Mode == "" {
		o.Mode = ModeFull
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	return o
}

// Observer hears about transfers, e.g. to draw progress bars. Its methods
// are called from many goroutines.
type Observer interface {
	// Transfer announces an attempt at url; size is -1 when unknown.
	Transfer(url string, size int64) Transfer
}

// Transfer is one attempt's progress.
type Transfer interface {
	Add(n int)
	// Done ends the attempt; err is nil when the body was read completely.
	Done(err error)
}
