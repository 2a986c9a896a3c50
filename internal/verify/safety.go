package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
)

// RefusedError is a transfer blocked by a safety rule or a limit. It ends
// the URL's attempts: retrying cannot help.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return "refused: " + e.Reason }

func refusef(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// Prefixes that are not public even though netip's predicates miss them.
var nonPublicPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
}

// nat64 embeds an IPv4 address in its last 32 bits; it is judged by that
// address so it cannot be used to reach a private one.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// publicAddr reports whether ip is a public unicast address, and if not,
// why not. Cloud metadata addresses (169.254.169.254, fd00:ec2::254) fall
// under link-local and private.
func publicAddr(ip netip.Addr) (bool, string) {
	ip = ip.Unmap()
	if nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	switch {
	case !ip.IsValid():
		return false, "invalid address"
	case ip.IsUnspecified():
		return false, "unspecified address"
	case ip.IsLoopback():
		return false, "loopback address"
	case ip == netip.MustParseAddr("169.254.169.254") || ip == netip.MustParseAddr("fd00:ec2::254"):
		return false, "cloud metadata address"
	case ip.IsLinkLocalUnicast():
		return false, "link-local address"
	case ip.IsPrivate():
		return false, "private address"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return false, "multicast address"
	}
	for _, p := range nonPublicPrefixes {
		if p.Contains(ip) {
			return false, "reserved address (" + p.String() + ")"
		}
	}
	return true, ""
}

// dialControl runs after DNS resolution and before connect, for every
// address the dialer tries, so a name that resolves (or re-resolves) to a
// private address is refused without a packet sent to it.
func (v *Verifier) dialControl(_ context.Context, network, address string, _ syscall.RawConn) error {
	if v.testAllowDial != nil && v.testAllowDial(address) {
		return nil
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return refusef("dial %s: %v", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return refusef("dial %s: not an IP address", address)
	}
	if ok, why := publicAddr(ip); !ok {
		return refusef("%s is a %s", ip, why)
	}
	return nil
}

// checkURL applies the rules that need no network: scheme, and literal
// IP hosts (refused here so the error names the URL).
func (v *Verifier) checkURL(u *url.URL) error {
	if u.User != nil {
		return refusef("%s: credentials in URLs are not sent", u.Redacted())
	}
	if v.opts.AllowPrivateNetwork {
		if u.Scheme != "https" && u.Scheme != "http" {
			return refusef("%s: scheme %q is not http or https", u.Redacted(), u.Scheme)
		}
		return nil
	}
	if u.Scheme != "https" {
		return refusef("%s: only https URLs are fetched (see --allow-private-network)", u.Redacted())
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !(v.testAllowDial != nil && v.testAllowDial(u.Host)) {
		if ok, why := publicAddr(ip); !ok {
			return refusef("%s: %s is a %s", u.Redacted(), ip, why)
		}
	}
	return nil
}

// checkRedirect runs before every redirect hop.
func (v *Verifier) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > v.opts.MaxRedirects {
		return refusef("more than %d redirects", v.opts.MaxRedirects)
	}
	if err := v.checkURL(req.URL); err != nil {
		return fmt.Errorf("redirect: %w", err)
	}
	// Downloads never carry credentials; make sure none ride along.
	req.Header.Del("Authorization")
	req.Header.Del("Cookie")
	return nil
}

func (v *Verifier) newClient() *http.Client {
	dialer := &net.Dialer{Timeout: v.opts.ConnectTimeout, KeepAlive: 30e9}
	if !v.opts.AllowPrivateNetwork {
		dialer.ControlContext = v.dialControl
	}
	tr := &http.Transport{
		// No proxy: with one, the dial check would vet the proxy instead
		// of the asset host.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   v.opts.TLSTimeout,
		ResponseHeaderTimeout: v.opts.HeaderTimeout,
		MaxIdleConnsPerHost:   v.opts.PerHost,
		IdleConnTimeout:       30e9,
		ReadBufferSize:        defaultReadBufferBytes,
		// Compressed transfer would make the hashed bytes differ from
		// the published file.
		DisableCompression: true,
	}
	return &http.Client{Transport: tr, CheckRedirect: v.checkRedirect}
}

func isRefused(err error) bool {
	var r *RefusedError
	return errors.As(err, &r)
}
