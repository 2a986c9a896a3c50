package verify

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
)

func TestPublicAddr(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"8.8.8.8":                true,
		"140.82.112.3":           true,
		"2606:4700::1111":        true,
		"127.0.0.1":              false,
		"::1":                    false,
		"10.1.2.3":               false,
		"172.16.0.1":             false,
		"192.168.1.1":            false,
		"169.254.169.254":        false,
		"169.254.10.10":          false,
		"fd00:ec2::254":          false,
		"fe80::1":                false,
		"100.64.0.1":             false,
		"0.0.0.0":                false,
		"::":                     false,
		"224.0.0.1":              false,
		"ff02::1":                false,
		"255.255.255.255":        false,
		"::ffff:127.0.0.1":       false,
		"::ffff:169.254.169.254": false,
		"64:ff9b::a00:1":         false, // NAT64 of 10.0.0.1
		"64:ff9b::808:808":       true,  // NAT64 of 8.8.8.8
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got, why := publicAddr(netip.MustParseAddr(in)); got != want {
				t.Errorf("publicAddr(%s) = %v (%s), want %v", in, got, why, want)
			}
		})
	}
}

// tlsTarget is a loopback TLS server that counts the requests it gets.
func tlsTarget(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// guardedVerifier has the address guard on, but may dial entry (and only
// entry) so that the guard's handling of the next hop can be observed.
func guardedVerifier(t *testing.T, entry *httptest.Server) *Verifier {
	t.Helper()
	opts := testOptions()
	opts.AllowPrivateNetwork = false
	v := New(opts)
	if entry != nil {
		allowed := entry.Listener.Addr().String()
		v.testAllowDial = func(addr string) bool { return addr == allowed }
		tr := v.client.Transport.(*http.Transport)
		tr.TLSClientConfig = entry.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	}
	return v
}

func TestGuardRefuses(t *testing.T) {
	t.Parallel()
	target, targetHits := tlsTarget(t, func(w http.ResponseWriter, r *http.Request) { w.Write(assetA) })
	_, targetPort, _ := net.SplitHostPort(target.Listener.Addr().String())
	redirectTo := func(loc string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, loc, http.StatusFound) }
	}
	hops := 0
	tests := map[string]struct {
		entry    http.HandlerFunc // nil: fetch url directly
		url      string
		wantPart string
	}{
		"plain http":                 {url: "http://example.com/a.bin", wantPart: "only https"},
		"loopback literal":           {url: target.URL + "/a.bin", wantPart: "loopback"},
		"loopback by name, at dial":  {url: "https://localhost:" + targetPort + "/a.bin", wantPart: "loopback"},
		"metadata literal":           {url: "https://169.254.169.254/latest/meta-data/", wantPart: "metadata"},
		"metadata IPv6 literal":      {url: "https://[fd00:ec2::254]/latest/meta-data/", wantPart: "metadata"},
		"credentials in URL":         {url: "https://user:pw@example.com/a.bin", wantPart: "credentials"},
		"redirect to loopback":       {entry: redirectTo(target.URL + "/a.bin"), wantPart: "loopback"},
		"redirect to loopback name":  {entry: redirectTo("https://localhost:" + targetPort + "/a.bin"), wantPart: "loopback"},
		"redirect to metadata":       {entry: redirectTo("https://169.254.169.254/latest/meta-data/iam"), wantPart: "metadata"},
		"redirect to private":        {entry: redirectTo("https://10.0.0.1/a.bin"), wantPart: "private"},
		"redirect downgrade to http": {entry: redirectTo("http://example.com/a.bin"), wantPart: "only https"},
		"too many redirects": {entry: func(w http.ResponseWriter, r *http.Request) {
			hops++
			http.Redirect(w, r, "/again", http.StatusFound)
		}, wantPart: "redirects"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// Not parallel: all cases share target's hit counter.
			var v *Verifier
			url := tc.url
			if tc.entry != nil {
				entry, _ := tlsTarget(t, tc.entry)
				v = guardedVerifier(t, entry)
				url = entry.URL + "/start"
			} else {
				v = guardedVerifier(t, nil)
			}
			before := targetHits.Load()
			rep, err := v.Verify(t.Context(), []pin.Pin{pinAt(url, sum(assetA), 1)}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			o := rep.Outcomes[0]
			if o.Status != StatusRefused {
				t.Errorf("status = %s (%s), want refused", o.Status, o.Err)
			}
			if !strings.Contains(o.Err, tc.wantPart) {
				t.Errorf("error %q does not mention %q", o.Err, tc.wantPart)
			}
			if o.Attempts > 1 {
				t.Errorf("refused after %d attempts; a refusal must not be retried", o.Attempts)
			}
			if n := targetHits.Load() - before; n != 0 {
				t.Errorf("the refused target received %d requests", n)
			}
		})
	}
	if hops != DefaultMaxRedirects+1 {
		t.Errorf("followed %d hops before refusing, want %d", hops, DefaultMaxRedirects+1)
	}
}

func TestRedirectDropsCredentials(t *testing.T) {
	t.Parallel()
	var sawAuth atomic.Value
	sawAuth.Store("")
	target, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth.Store(r.Header.Get("Authorization") + r.Header.Get("Cookie"))
		w.Write(assetA)
	}))
	entry, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/a.bin", http.StatusFound)
	}))
	rep := verifyPins(t, testOptions(), pinAt(entry.URL+"/a.bin", sum(assetA), 1))
	if rep.Outcomes[0].Status != StatusOK {
		t.Fatalf("status %s: %s", rep.Outcomes[0].Status, rep.Outcomes[0].Err)
	}
	if s := sawAuth.Load().(string); s != "" {
		t.Errorf("redirect target received credentials %q", s)
	}
}
