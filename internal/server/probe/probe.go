// Package probe is the client side of bot serve's /readyz: it asks a
// running server whether it is ready, for `bot healthcheck` (Docker's
// HEALTHCHECK and exec probes; the image has no shell or curl). It is a
// probe, not a fetcher: by default it accepts only http:// URLs whose
// address is loopback, checked again when connecting, after name
// resolution; it follows no redirect and uses no proxy.
//
// It imports config (for the port bot serve listens on) and the standard
// library only; never the server itself, so the check costs nothing to
// build and cannot drift into serving.
package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pindrift/pindrift/internal/config"
)

// PortEnv is the variable that moves bot serve's port; the default URL
// follows it so that one setting moves both.
const PortEnv = "PINDRIFT_SERVER_PORT"

// bodyLimit caps what is read of the answer: /readyz says a line.
const bodyLimit = 4 << 10

// DefaultURL is /readyz on loopback at the port bot serve takes from the
// environment (config.DefaultPort when PortEnv is unset).
func DefaultURL(env config.LookupEnv) (string, error) {
	port := config.DefaultPort
	if v, ok := env(PortEnv); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("environment variable %s: %q is not a port number (1-65535)", PortEnv, v)
		}
		port = n
	}
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) + "/readyz", nil
}

// ParseURL refuses what a probe has no business asking: anything but
// http:// (https too with allowRemote), credentials, and a literal address
// that is not loopback unless allowRemote. A name's address is checked
// again by Get, where it has resolved.
func ParseURL(raw string, allowRemote bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("--url %q: %w", raw, err)
	}
	switch {
	case u.Scheme == "https" && allowRemote, u.Scheme == "http":
	default:
		return nil, fmt.Errorf("--url %q: want an http:// URL (https too with --allow-remote)", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("--url %q: no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("--url: credentials in the URL are not supported")
	}
	if !allowRemote {
		if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !ip.Unmap().IsLoopback() {
			return nil, fmt.Errorf("--url %q: %s is not a loopback address; a health check asks its own container (or pass --allow-remote)", raw, ip)
		}
	}
	return u, nil
}

// ErrNotLoopback is returned when a name resolved to an address that is
// not loopback.
var ErrNotLoopback = errors.New("not a loopback address")

// Get GETs u within timeout and returns the answer's body on one line when
// the status is 2xx, or why it is not a healthy answer.
func Get(ctx context.Context, u *url.URL, timeout time.Duration, allowRemote bool) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dialer := &net.Dialer{}
	if !allowRemote {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip, err := netip.ParseAddr(host); err != nil || !ip.Unmap().IsLoopback() {
				return fmt.Errorf("%s: %w", host, ErrNotLoopback)
			}
			return nil
		}
	}
	client := &http.Client{
		// No proxy: HTTP_PROXY in a container must not route a probe of
		// the container itself elsewhere.
		Transport: &http.Transport{Proxy: nil, DialContext: dialer.DialContext, DisableKeepAlives: true},
		// A redirect is not a health answer.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", u.Redacted(), err)
	}
	req.Header.Set("User-Agent", "pindrift-healthcheck")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "", fmt.Errorf("GET %s: no answer within %s", u.Redacted(), timeout)
		}
		return "", fmt.Errorf("GET %s: %w", u.Redacted(), unwrapURLError(err))
	}
	defer resp.Body.Close() // read-only: nothing to lose on close
	data, err := io.ReadAll(io.LimitReader(resp.Body, bodyLimit))
	body := oneLine(string(data))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
			body = "redirects to " + loc
		}
		return "", fmt.Errorf("GET %s: %s: %s", u.Redacted(), resp.Status, body)
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "", fmt.Errorf("GET %s: %s, but the body did not arrive within %s", u.Redacted(), resp.Status, timeout)
		}
		return "", fmt.Errorf("GET %s: %s, but reading the body: %w", u.Redacted(), resp.Status, err)
	}
	return body, nil
}

// unwrapURLError drops net/http's `Get "URL": ` prefix, which the caller
// already gives.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// oneLine keeps an answer's text to one line for a log.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "(empty body)"
	}
	return strings.Join(strings.Fields(s), " ")
}
