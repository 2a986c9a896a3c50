package ghhttp

import (
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/bradleyfalzon/ghinstallation/v2"
)

// InstallationTransport authenticates requests as one installation of the
// App. Its token is kept until it nears expiry, as ghinstallation does;
// when GitHub answers 401 the token was revoked (or the clock is wrong),
// so the transport forgets it, mints a new one and sends the request once
// more. A second 401 is the answer.
type InstallationTransport struct {
	appID          int64
	key            *rsa.PrivateKey
	installationID int64
	baseURL        string
	next           http.RoundTripper

	mu  sync.Mutex
	cur *ghinstallation.Transport
}

// NewInstallationTransport returns a transport for installationID that
// sends requests, and the token requests signed with the App's key, through
// next; v3BaseURL is the API root.
func NewInstallationTransport(appID int64, key *rsa.PrivateKey, installationID int64, v3BaseURL string, next http.RoundTripper) *InstallationTransport {
	t := &InstallationTransport{appID: appID, key: key, installationID: installationID,
		baseURL: strings.TrimSuffix(v3BaseURL, "/"), next: next}
	t.cur = t.fresh()
	return t
}

// fresh is a generation without a token. Each has its own apps
// transport: ghinstallation writes the apps transport's fields when it
// mints a token, so one shared between generations would race.
func (t *InstallationTransport) fresh() *ghinstallation.Transport {
	apps := ghinstallation.NewAppsTransportFromPrivateKey(t.next, t.appID, t.key)
	apps.BaseURL = t.baseURL
	itr := ghinstallation.NewFromAppsTransport(apps, t.installationID)
	itr.BaseURL = t.baseURL
	return itr
}

func (t *InstallationTransport) current() *ghinstallation.Transport {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur
}

// RoundTrip implements http.RoundTripper.
func (t *InstallationTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// The body is consumed by the first try: keep a way to send it again.
	// A 401 means GitHub did nothing, so any method may be replayed.
	replay := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	used := t.current()
	resp, err := used.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !replay {
		return resp, err
	}
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		body, berr := req.GetBody()
		if berr != nil {
			// The first answer stands: the request cannot be sent again.
			return resp, nil
		}
		again.Body = body
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	next := t.renew(used)
	resp, err = next.RoundTrip(again)
	if err != nil {
		return nil, fmt.Errorf("installation %d, with a new token after 401: %w", t.installationID, err)
	}
	return resp, nil
}

// renew replaces the generation that saw a 401 with one holding no
// token, which mints one on first use. Requests that saw the same 401
// concurrently share the one new generation, so a revocation costs one
// token request, not one per request in flight.
func (t *InstallationTransport) renew(used *ghinstallation.Transport) *ghinstallation.Transport {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur == used {
		t.cur = t.fresh()
	}
	return t.cur
}
