// Package config reads the server's configuration file (`bot serve
// --config FILE`, with environment overrides). A repository's
// .github/pindrift.yml is package repoconfig's.
//
// The file is read strictly (package strictyaml, which repoconfig shares):
// an unknown key, a duplicate key or a value of the wrong kind is an
// error, and every problem is reported at once with its line, column and
// key (or the environment variable it came from), as an *Error. Absent
// settings take the Default* constants; the result holds the effective
// values.
//
// It takes its option types from the packages it configures (jobs,
// webhook, sandbox, verify), so it sits high, just under server: nothing
// below server may import it.
//
// Download budgets of the server (ServerVerify): verify.max_run_bytes
// (PINDRIFT_VERIFY_MAX_RUN_BYTES, default 4 GiB) bounds the bytes one run
// reads from the network, counted whatever becomes of them;
// verify.max_untrusted_pr_bytes (PINDRIFT_VERIFY_MAX_UNTRUSTED_PR_BYTES,
// default 512 MiB, at most verify.max_run_bytes) replaces it for the check
// of a pull request whose author cannot write to the repository, which
// also takes GitHub's digest of an asset instead of downloading it when
// the release has one. A pin left unverified by a budget is refused with a
// reason naming the key.
//
// Slow downloads (ServerVerify): verify.min_bytes_per_second
// (PINDRIFT_VERIFY_MIN_BYTES_PER_SECOND, default 262144, 256 KiB/s; 0 for
// no minimum) over every verify.slow_grace period (PINDRIFT_VERIFY_SLOW_GRACE,
// default 30s), and verify.download_timeout (PINDRIFT_VERIFY_DOWNLOAD_TIMEOUT,
// default 15m) for one download attempt. A download below the minimum or
// past the timeout is stopped without a retry, freeing its worker, and the
// pin is unreachable: "too slow: N KiB/s over the last 30s, below the
// minimum 256 KiB/s".
package config
