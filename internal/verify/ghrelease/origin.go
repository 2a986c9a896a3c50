package ghrelease

import (
	"net/http"
	"net/url"
	"strings"
)

// SameOrigin reports whether a and b have the same origin: scheme, host
// and port, the port defaulting by scheme.
func SameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// OriginGuard returns a transport that removes Authorization from every
// request whose origin is not api's before next sends it. It goes under
// whatever adds credentials (ghinstallation adds the token to every
// request, redirects included, and net/http forwards Authorization on a
// redirect to the same host whatever the port), so the credentials of
// the API reach no other server.
func OriginGuard(api *url.URL, next http.RoundTripper) http.RoundTripper {
	return &originGuard{api: api, next: next}
}

type originGuard struct {
	api  *url.URL
	next http.RoundTripper
}

func (g *originGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if !SameOrigin(req.URL, g.api) && req.Header.Get("Authorization") != "" {
		// A RoundTripper must not modify the request it was given.
		req = req.Clone(req.Context())
		req.Header.Del("Authorization")
	}
	return g.next.RoundTrip(req)
}

// tokenTransport adds the token to requests for the API's origin and
// nothing else, so a redirect elsewhere (or a download URL) never
// carries it.
type tokenTransport struct {
	base  http.RoundTripper
	api   *url.URL
	token string
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Del("Authorization")
	if t.token != "" && SameOrigin(req.URL, t.api) {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	return t.base.RoundTrip(req)
}
