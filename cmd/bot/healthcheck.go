package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/config"
)

// portEnv is the variable that moves bot serve's port; the health check's
// default URL follows it so that one setting moves both.
const portEnv = "PINDRIFT_SERVER_PORT"

// exitUnhealthy is what Docker's HEALTHCHECK and exec probes read as
// "unhealthy".
const exitUnhealthy = 1

// healthBodyLimit caps what is read of the answer: /readyz says a line.
const healthBodyLimit = 4 << 10

func newHealthcheckCmd() *cobra.Command {
	var (
		rawURL      string
		timeout     time.Duration
		allowRemote bool
	)
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Ask a running bot serve whether it is ready (for Docker HEALTHCHECK; the image has no shell or curl)",
		Long: `healthcheck GETs --url (default http://127.0.0.1:$PINDRIFT_SERVER_PORT/readyz,
port 8080 when the variable is unset) and exits 0 when the answer is 2xx,
printing its body, and 1 otherwise, with the reason on stderr. Redirects are
not followed and proxies are not used.

It is a probe, not a fetcher: only http:// URLs whose address is loopback are
accepted (checked when connecting, after name resolution), unless
--allow-remote. An unusable --url or PINDRIFT_SERVER_PORT exits 3.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("url") {
				u, err := defaultHealthURL(os.LookupEnv)
				if err != nil {
					return badInput(err)
				}
				rawURL = u
			}
			if timeout <= 0 {
				return badInput(fmt.Errorf("--timeout must be positive, not %s", timeout))
			}
			u, err := checkHealthURL(rawURL, allowRemote)
			if err != nil {
				return badInput(err)
			}
			body, err := probe(cmd.Context(), u, timeout, allowRemote)
			if err != nil {
				return &exitError{code: exitUnhealthy, err: err}
			}
			fmt.Fprintln(cmd.OutOrStdout(), body)
			return nil
		},
	}
	cmd.Flags().StringVar(&rawURL, "url", "http://127.0.0.1:8080/readyz",
		"URL to GET; the default's port is $"+portEnv+" when set")
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "give up after this long (connect, answer and body)")
	cmd.Flags().BoolVar(&allowRemote, "allow-remote", false, "also accept https and non-loopback addresses")
	return cmd
}

// defaultHealthURL is /readyz on loopback at the port bot serve takes from
// the environment.
func defaultHealthURL(env config.LookupEnv) (string, error) {
	port := config.DefaultPort
	if v, ok := env(portEnv); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("environment variable %s: %q is not a port number (1-65535)", portEnv, v)
		}
		port = n
	}
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) + "/readyz", nil
}

// checkHealthURL refuses what a probe has no business asking. The address
// itself is checked again when connecting, where a name has resolved.
func checkHealthURL(raw string, allowRemote bool) (*url.URL, error) {
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

// errNotLoopback is returned when a name resolved to an address that is not
// loopback.
var errNotLoopback = errors.New("not a loopback address")

// probe GETs u and returns the answer's first line, or why it is not a
// healthy answer.
func probe(ctx context.Context, u *url.URL, timeout time.Duration, allowRemote bool) (string, error) {
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
				return fmt.Errorf("%s: %w", host, errNotLoopback)
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
	data, err := io.ReadAll(io.LimitReader(resp.Body, healthBodyLimit))
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
