// Package ghhttp holds the HTTP layers between pindrift's GitHub clients
// and the network that make the App cheap and robust against GitHub's
// rules: a cache of GET responses revalidated with conditional requests
// (GitHub does not count a 304 against the rate limit), an
// installation-token transport that mints a new token when GitHub answers
// 401 to the cached one (a revoked token would otherwise be used until it
// expires, up to an hour), and a transport that waits out GitHub's
// secondary rate limits in place (WaitOutSecondaryLimits) instead of
// failing the job.
//
// Each layer is an http.RoundTripper that knows HTTP and GitHub's headers,
// not pindrift: the package must import no pindrift package, and
// internal/server, its only importer, stacks the layers under its
// go-github clients.
package ghhttp
