// Package ghhttp holds the HTTP layers between pindrift's GitHub clients
// and the network that make the App cheap and robust against GitHub's
// rules: a cache of GET responses revalidated with conditional requests
// (GitHub does not count a 304 against the rate limit), and an
// installation-token transport that mints a new token when GitHub answers
// 401 to the cached one (a revoked token would otherwise be used until it
// expires, up to an hour).
package ghhttp
