package verify

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pindrift/pindrift/internal/pin"
)

var (
	assetA = bytes.Repeat([]byte("kernel-A "), 5000)
	assetB = bytes.Repeat([]byte("kernel-B "), 5000)
)

// hijack writes raw bytes on the connection and, if reset, closes it with
// an RST instead of a FIN.
func hijack(t *testing.T, w http.ResponseWriter, raw string, reset bool) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	buf.WriteString(raw)
	buf.Flush()
	if reset {
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
	}
	conn.Close()
}

func outcomesServer(t *testing.T) (string, *counter) {
	mux := http.NewServeMux()
	flaky := &counter{}
	serveA := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(assetA)))
		w.Write(assetA)
	}
	mux.HandleFunc("/ok", serveA)
	mux.HandleFunc("/redirect-target", serveA)
	mux.HandleFunc("/changed", func(w http.ResponseWriter, r *http.Request) { w.Write(assetB) })
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/500-then-200", func(w http.ResponseWriter, r *http.Request) {
		if flaky.inc(r.URL.Path) == 1 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		w.Write(assetA)
	})
	mux.HandleFunc("/429-then-200", func(w http.ResponseWriter, r *http.Request) {
		if flaky.inc(r.URL.Path) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write(assetA)
	})
	mux.HandleFunc("/always-503", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/retry-after-too-long", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) {
		hijack(t, w, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: application/octet-stream\r\n\r\n%s",
			len(assetA), assetA[:len(assetA)/2]), false)
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		hijack(t, w, fmt.Sprintf("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n%x\r\n%s\r\n",
			len(assetA)/2, assetA[:len(assetA)/2]), true)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><body>Sign in to continue</body></html>")
	})
	mux.HandleFunc("/html-untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil // stop net/http from sniffing one
		fmt.Fprint(w, "\n<html><body>Not the file you wanted</body></html>")
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/redirect-target", http.StatusFound)
	})
	srv, c := countingServer(t, mux)
	return srv.URL, c
}

func TestVerifyOutcomes(t *testing.T) {
	t.Parallel()
	base, requests := outcomesServer(t)
	shaA := sum(assetA)
	tests := map[string]struct {
		path        string
		want        Status
		wantGot     string
		wantReqs    int
		wantErrPart string
	}{
		"ok":                       {path: "/ok", want: StatusOK, wantGot: shaA, wantReqs: 1},
		"changed bytes are drift":  {path: "/changed", want: StatusDrift, wantGot: sum(assetB), wantReqs: 1},
		"404 is missing":           {path: "/missing", want: StatusMissing, wantReqs: 1, wantErrPart: "404"},
		"410 is missing":           {path: "/gone", want: StatusMissing, wantReqs: 1, wantErrPart: "410"},
		"500 then 200 is ok":       {path: "/500-then-200", want: StatusOK, wantGot: shaA, wantReqs: 2},
		"429 then 200 is ok":       {path: "/429-then-200", want: StatusOK, wantGot: shaA, wantReqs: 2},
		"5xx after retries":        {path: "/always-503", want: StatusUnreachable, wantReqs: DefaultTries, wantErrPart: "503"},
		"Retry-After over limit":   {path: "/retry-after-too-long", want: StatusUnreachable, wantReqs: 1, wantErrPart: "Retry-After"},
		"403 is not retried":       {path: "/forbidden", want: StatusUnreachable, wantReqs: 1, wantErrPart: "403"},
		"truncated body":           {path: "/truncated", want: StatusUnreachable, wantReqs: DefaultTries, wantErrPart: "body ended after"},
		"connection reset":         {path: "/reset", want: StatusUnreachable, wantReqs: DefaultTries},
		"HTML page":                {path: "/html", want: StatusUnreachable, wantReqs: 1, wantErrPart: "HTML page"},
		"HTML page without a type": {path: "/html-untyped", want: StatusUnreachable, wantReqs: 1, wantErrPart: "HTML page"},
		"redirect followed":        {path: "/redirect", want: StatusOK, wantGot: shaA, wantReqs: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := testOptions()
			opts.MaxRetryAfter = 10e9
			rep := verifyPins(t, opts, pinAt(base+tc.path, shaA, 3))
			o := rep.Outcomes[0]
			if o.Status != tc.want {
				t.Errorf("status = %s (%s), want %s", o.Status, o.Err, tc.want)
			}
			if o.Got != tc.wantGot {
				t.Errorf("got = %q, want %q", o.Got, tc.wantGot)
			}
			if n := requests.get(tc.path); n != tc.wantReqs {
				t.Errorf("%d requests, want %d", n, tc.wantReqs)
			}
			if !strings.Contains(o.Err, tc.wantErrPart) {
				t.Errorf("error %q does not mention %q", o.Err, tc.wantErrPart)
			}
			if o.Status != StatusOK && o.Status != StatusDrift && o.Got != "" {
				t.Errorf("a %s outcome claims a digest %s", o.Status, o.Got)
			}
		})
	}
}

func TestVerifyRecordsTransferFacts(t *testing.T) {
	t.Parallel()
	base, _ := outcomesServer(t)
	o := verifyPins(t, testOptions(), pinAt(base+"/redirect", sum(assetA), 1)).Outcomes[0]
	want := Outcome{
		URL: base + "/redirect", Status: StatusOK, Algorithm: pin.SHA256, Expected: []string{sum(assetA)}, Got: sum(assetA),
		Source: SourceDownload, Bytes: int64(len(assetA)), Size: int64(len(assetA)), HTTPStatus: 200,
		FinalURL: base + "/redirect-target", Attempts: 1, Pins: []pin.Pin{pinAt(base+"/redirect", sum(assetA), 1)},
	}
	if diff := cmp.Diff(want, o, cmpopts.IgnoreFields(Outcome{}, "Duration")); diff != "" {
		t.Errorf("outcome (-want +got):\n%s", diff)
	}
	if o.Duration <= 0 {
		t.Errorf("duration %v not recorded", o.Duration)
	}
}

func TestVerifyOneDriftAmongMany(t *testing.T) {
	t.Parallel()
	assets := map[string][]byte{}
	var pins []pin.Pin
	srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(assets[r.URL.Path])
	}))
	for i := range 12 {
		p := fmt.Sprintf("/asset-%02d", i)
		assets[p] = bytes.Repeat([]byte{byte(i)}, 10000+i)
		pins = append(pins, pinAt(srv.URL+p, sum(assets[p]), i+1))
	}
	pins[7].SHA256 = sum([]byte("what the manifest was written against"))
	rep := verifyPins(t, testOptions(), pins...)
	if diff := cmp.Diff(Summary{OK: 11, Drift: 1}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	for i, o := range rep.Outcomes {
		if o.URL != pins[i].URL {
			t.Errorf("outcome %d is %s, want manifest order (%s)", i, o.URL, pins[i].URL)
		}
	}
	if d := rep.Outcomes[7]; d.Status != StatusDrift || d.Got != sum(assets["/asset-07"]) {
		t.Errorf("outcome 7 = %s got %s, want drift to the served digest", d.Status, d.Got)
	}
}

func TestVerifyDedupesByURL(t *testing.T) {
	t.Parallel()
	srv, requests := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(assetA)
	}))
	good, stale := sum(assetA), sum(assetB)
	pins := []pin.Pin{
		pinAt(srv.URL+"/same", good, 10),
		pinAt(srv.URL+"/same", good, 20),
		pinAt(srv.URL+"/two-shas", good, 30),
		pinAt(srv.URL+"/two-shas", stale, 40),
	}
	rep := verifyPins(t, testOptions(), pins...)
	for _, path := range []string{"/same", "/two-shas"} {
		if n := requests.get(path); n != 1 {
			t.Errorf("%s fetched %d times, want once", path, n)
		}
	}
	if len(rep.Outcomes) != 2 {
		t.Fatalf("%d outcomes, want one per URL", len(rep.Outcomes))
	}
	same, two := rep.Outcomes[0], rep.Outcomes[1]
	if same.Status != StatusOK || len(same.Pins) != 2 || len(same.Expected) != 1 {
		t.Errorf("same: status %s, %d pins, expected %v; want ok, 2 pins, 1 sha", same.Status, len(same.Pins), same.Expected)
	}
	if two.Status != StatusDrift {
		t.Errorf("two SHAs for one URL: status %s, want drift", two.Status)
	}
	if diff := cmp.Diff([]string{good, stale}, two.Expected); diff != "" {
		t.Errorf("expected (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]pin.Pin{pins[3]}, two.Drifted()); diff != "" {
		t.Errorf("drifted pins (-want +got):\n%s", diff)
	}
}

// TestVerifyHexCase: a SHA written in uppercase is the same digest; it is
// neither drift on its own nor listed among the drifted pins.
func TestVerifyHexCase(t *testing.T) {
	t.Parallel()
	srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(assetA)
	}))
	upper := strings.ToUpper(sum(assetA))
	pins := []pin.Pin{pinAt(srv.URL+"/a", upper, 10), pinAt(srv.URL+"/b", upper, 20), pinAt(srv.URL+"/b", sum(assetB), 30)}
	rep := verifyPins(t, testOptions(), pins...)
	if rep.Outcomes[0].Status != StatusOK {
		t.Errorf("uppercase pin of the live bytes: status %s, want ok", rep.Outcomes[0].Status)
	}
	if diff := cmp.Diff([]pin.Pin{pins[2]}, rep.Outcomes[1].Drifted()); diff != "" {
		t.Errorf("drifted pins (-want +got):\n%s", diff)
	}
}

func TestVerifyPassesFindingsThrough(t *testing.T) {
	t.Parallel()
	un := pin.Finding{Path: "MANIFEST[a]", Line: 4, Column: 9, Message: "URL depends on os.environ[\"MIRROR\"]"}
	inv := pin.Finding{Path: "MANIFEST[b]", Line: 8, Column: 9, Message: "sha256 is 63 hex digits"}
	rep, err := New(testOptions()).Verify(t.Context(), nil, []pin.Finding{un}, []pin.Finding{inv})
	if err != nil {
		t.Fatal(err)
	}
	want := []Outcome{
		{Status: StatusUnresolved, Size: -1, Err: un.Message, Finding: &un},
		{Status: StatusInvalid, Size: -1, Err: inv.Message, Finding: &inv},
	}
	if diff := cmp.Diff(want, rep.Outcomes); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Summary{Unresolved: 1, Invalid: 1}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

func TestHTMLSniff(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"<!DOCTYPE html>":   true,
		"\n  <HTML lang=x>": true,
		"\x7fELF":           false,
		"<htm":              false,
	} {
		if got := looksLikeHTML([]byte(in)); got != want {
			t.Errorf("looksLikeHTML(%q) = %v, want %v", in, got, want)
		}
	}
}
