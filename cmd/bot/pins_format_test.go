package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin/record"
)

// TestPinsJSONDocumentUnpaired: a JSON document with one pin and one
// digest nothing pairs with lists the pin and an unresolved finding at the
// digest's own line, and the table counts it instead of looking clean.
func TestPinsJSONDocumentUnpaired(t *testing.T) {
	t.Parallel()
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	file := writeFile(t, "tools.json", `{
  "tools": [
    {"name": "kernel", "url": "https://example.com/kernel", "sha256": "`+a+`"},
    {"name": "orphan", "sha256": "`+b+`"}
  ]
}
`)
	code, stdout, stderr := runBot(t, "pins", "--json", file)
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr: %s", code, stderr)
	}
	type where struct {
		Line, Column int
		Message      string
	}
	var out struct {
		Pins []struct {
			URL     string `json:"url"`
			Digest  string `json:"digest"`
			SHASpan where  `json:"sha_span"`
		} `json:"pins"`
		Unresolved []where `json:"unresolved"`
		Invalid    []where `json:"invalid"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(out.Pins) != 1 || out.Pins[0].URL != "https://example.com/kernel" || out.Pins[0].Digest != a || out.Pins[0].SHASpan.Line != 3 {
		t.Errorf("pins = %+v, want the kernel's at line 3", out.Pins)
	}
	if diff := cmp.Diff([]where{{Line: 4, Column: 34, Message: record.MsgNoURL}}, out.Unresolved); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
	if len(out.Invalid) != 0 {
		t.Errorf("invalid = %+v, want none", out.Invalid)
	}

	code, stdout, _ = runBot(t, "pins", file)
	if code != exitOK {
		t.Fatalf("table: exit %d", code)
	}
	for _, want := range []string{"1 digest not paired with a URL (see below)", "unresolved: " + file + ":4:34: " + record.MsgNoURL} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
}

// TestPinsFormatFlags: --format overrides the file name, --url-field and
// --digest-field teach keys, and what cannot be read is an error naming
// the format or the flag, never an empty list of pins.
func TestPinsFormatFlags(t *testing.T) {
	t.Parallel()
	a := strings.Repeat("a", 64)
	txt := writeFile(t, "pins.txt", `{"kernel": {"download": "https://example.com/kernel", "checksum_value": "`+a+`"}}`+"\n")
	ruby := writeFile(t, "x.rb", `url "https://example.com/kernel"`+"\n"+`sha256 "`+a+`"`+"\n")
	tests := map[string]struct {
		args     []string
		wantCode int
		wantOut  string // in stdout when the code is 0, in stderr otherwise
	}{
		"--format json on a .txt file": {
			args:     []string{"pins", "--format", "json", "--url-field", "download", "--digest-field", "*_value", txt},
			wantCode: exitOK, wantOut: "1 pin (1 unique), 0 unresolved, 0 invalid",
		},
		"without the extra keys the digest is not paired": {
			args:     []string{"pins", "--format", "JSON", txt},
			wantCode: exitOK, wantOut: "1 digest not paired with a URL (see below)",
		},
		"a name that says nothing": {
			args: []string{"pins", txt}, wantCode: exitBadInput, wantOut: "pins.txt",
		},
		"ruby": {
			args: []string{"pins", ruby}, wantCode: exitBadInput, wantOut: "format not supported: Ruby",
		},
		"ruby through check": {
			args: []string{"check", "--quiet", ruby}, wantCode: exitBadInput, wantOut: "format not supported: Ruby",
		},
		"an unknown format": {
			args: []string{"pins", "--format", "xml", txt}, wantCode: exitBadInput, wantOut: `--format: unknown format "xml" (want one of python, starlark, json, yaml, toml)`,
		},
		"a url pattern matching every key": {
			args: []string{"pins", "--format", "json", "--url-field", "*", txt}, wantCode: exitBadInput, wantOut: "--url-field: field pattern \"*\"",
		},
		"a digest pattern with a star inside": {
			args: []string{"fix", "--format", "json", "--digest-field", "a*b", txt}, wantCode: exitBadInput, wantOut: "--digest-field: field pattern \"a*b\"",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runBot(t, tc.args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.wantCode, stdout, stderr)
			}
			got := stdout
			if code != exitOK {
				got = stderr
				if strings.Contains(stdout, "0 pins") {
					t.Errorf("an unreadable file printed a count of pins:\n%s", stdout)
				}
			}
			if !strings.Contains(got, tc.wantOut) {
				t.Errorf("output lacks %q:\n%s", tc.wantOut, got)
			}
		})
	}
}
