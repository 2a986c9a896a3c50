package main

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// sri512 is b's sha512 digest as Subresource Integrity writes it.
func sri512(b []byte) string {
	h := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(h[:])
}

// sri256 is b's sha256 digest as Subresource Integrity writes it.
func sri256(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(h[:])
}

// documentManifests write the same two pins, a sha512 SRI one on the
// kernel and an uppercase sha256 one on the rootfs, in YAML and in TOML.
var documentManifests = map[string]func(base, kernel, rootfs string) string{
	"pins.yaml": func(base, kernel, rootfs string) string {
		return "kernel:\n  url: " + base + "/kernel\n  integrity: " + kernel + "\nrootfs:\n  url: " + base + "/rootfs\n  sha256: \"" + rootfs + "\"\n"
	},
	"pins.toml": func(base, kernel, rootfs string) string {
		return "[kernel]\nurl = \"" + base + "/kernel\"\nintegrity = \"" + kernel + "\"\n\n[rootfs]\nurl = \"" + base + "/rootfs\"\nsha256 = \"" + rootfs + "\"\n"
	},
}

// TestCheckDocumentFormats: bot check verifies a YAML and a TOML manifest
// under each pin's algorithm and encoding, and the JSON report names the
// algorithm of each result.
func TestCheckDocumentFormats(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	rootfsUpper := strings.ToUpper(hexSum(rootfsBytes))
	tests := map[string]struct {
		kernel, rootfs string
		want           int
		wantStatus     map[string]string // URL path -> status
	}{
		"matching": {
			kernel: sri512(kernelBytes), rootfs: rootfsUpper,
			want: exitOK, wantStatus: map[string]string{"/kernel": "ok", "/rootfs": "ok"},
		},
		"sha512 drift": {
			kernel: sri512(rootfsBytes), rootfs: rootfsUpper,
			want: exitDrift, wantStatus: map[string]string{"/kernel": "drift", "/rootfs": "ok"},
		},
		"uppercase sha256 drift": {
			kernel: sri512(kernelBytes), rootfs: strings.ToUpper(hexSum(kernelBytes)),
			want: exitDrift, wantStatus: map[string]string{"/kernel": "ok", "/rootfs": "drift"},
		},
	}
	wantAlgorithm := map[string]string{"/kernel": "sha512", "/rootfs": "sha256"}
	for name, tc := range tests {
		for fileName, write := range documentManifests {
			t.Run(name+"/"+fileName, func(t *testing.T) {
				file := writeFile(t, fileName, write(srv.URL, tc.kernel, tc.rootfs))
				code, out, errOut := runBot(t, "check", "--quiet", "--allow-private-network", file)
				if code != tc.want {
					t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.want, out, errOut)
				}
				if tc.want == exitDrift && !strings.Contains(out, "DRIFT "+srv.URL) {
					t.Errorf("human report names no drifted URL:\n%s", out)
				}
				code, out, errOut = runBot(t, "check", "--quiet", "--json", "--allow-private-network", file)
				if code != tc.want {
					t.Fatalf("--json: exit %d, want %d; stderr: %s", code, tc.want, errOut)
				}
				var doc struct {
					Results []struct {
						URL       string `json:"url"`
						Status    string `json:"status"`
						Algorithm string `json:"algorithm"`
					} `json:"results"`
				}
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatalf("--json output is not JSON: %v\n%s", err, out)
				}
				if len(doc.Results) != 2 {
					t.Fatalf("%d results, want 2:\n%s", len(doc.Results), out)
				}
				for _, r := range doc.Results {
					p := strings.TrimPrefix(r.URL, srv.URL)
					if r.Status != tc.wantStatus[p] || r.Algorithm != wantAlgorithm[p] {
						t.Errorf("%s: status %q algorithm %q, want %q %q", p, r.Status, r.Algorithm, tc.wantStatus[p], wantAlgorithm[p])
					}
				}
			})
		}
	}
}
