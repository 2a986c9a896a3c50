package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const pinsManifest = `import os
TAG = os.environ.get("TAG") or "v1"
MANIFEST = {
    "kernel": {
        "url": f"https://github.com/acme/images/releases/download/{TAG}/vmlinux",
        "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    },
    "bad": {"url": "https://example.com/x", "sha256": "abc"},
    "lost": {"url": __import__("mirror").URL, "sha256": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPinsJSON checks the JSON contract other tools rely on.
func TestPinsJSON(t *testing.T) {
	path := writeFile(t, "published.py", pinsManifest)
	code, stdout, stderr := runBot(t, "pins", path, "--json", "--env", "TAG=v2")
	if code != exitOK {
		t.Fatalf("exit %d, want 0 (unresolved pins do not make input unusable); stderr: %s", code, stderr)
	}
	var out struct {
		File string `json:"file"`
		Pins []struct {
			URL     string `json:"url"`
			SHA256  string `json:"sha256"`
			Symbol  string `json:"symbol"`
			Path    string `json:"path"`
			SHASpan struct {
				Start, End, Line, Column int
			} `json:"sha_span"`
			URLSpan struct {
				Start, End, Line, Column int
			} `json:"url_span"`
		} `json:"pins"`
		Unresolved []struct {
			Line, Column int
			Message      string
		} `json:"unresolved"`
		Invalid []struct {
			Line, Column int
			Message      string
		} `json:"invalid"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if out.File != path || len(out.Pins) != 1 {
		t.Fatalf("file %q pins %+v", out.File, out.Pins)
	}
	p := out.Pins[0]
	if p.URL != "https://github.com/acme/images/releases/download/v2/vmlinux" || p.Symbol != "MANIFEST" || p.Path != `MANIFEST["kernel"]` {
		t.Errorf("pin = %+v", p)
	}
	if p.SHASpan.Line != 6 || p.SHASpan.Column != 19 || pinsManifest[p.SHASpan.Start+1:p.SHASpan.End-1] != p.SHA256 {
		t.Errorf("sha_span %+v does not locate the literal", p.SHASpan)
	}
	if p.URLSpan.Line != 5 {
		t.Errorf("url_span %+v, want line 5", p.URLSpan)
	}
	if len(out.Invalid) != 1 || out.Invalid[0].Line != 8 || !strings.Contains(out.Invalid[0].Message, "not 64 hexadecimal digits") {
		t.Errorf("invalid = %+v", out.Invalid)
	}
	if len(out.Unresolved) != 1 || out.Unresolved[0].Line != 9 {
		t.Errorf("unresolved = %+v", out.Unresolved)
	}
}

func TestPinsTable(t *testing.T) {
	path := writeFile(t, "published.py", pinsManifest)
	code, stdout, _ := runBot(t, "pins", path)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		path + ":6:19", `MANIFEST["kernel"]`, "releases/download/v1/vmlinux",
		"invalid:    " + path + ":8:", "unresolved: " + path + ":9:",
		"1 pin (1 unique), 1 unresolved, 1 invalid",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
}

// TestPinsUnusableInput checks exit 3 with a message naming what and where.
func TestPinsUnusableInput(t *testing.T) {
	big := writeFile(t, "big.py", "A = 1\n"+strings.Repeat("#\n", 2<<20))
	cases := map[string]struct {
		args []string
		want string
	}{
		"syntax error":    {[]string{"pins", writeFile(t, "bad.py", "A = (\n  1,\n  ]\n")}, "bad.py:3:3: syntax error"},
		"missing file":    {[]string{"pins", filepath.Join(t.TempDir(), "nope.py")}, "no such file"},
		"too large":       {[]string{"pins", big}, "big.py: file is 4194310 bytes, over the 2097152-byte limit"},
		"endless loop":    {[]string{"pins", writeFile(t, "loop.py", "while True:\n    pass\n")}, "loop.py:1:1: the loop here did not finish"},
		"bad env flag":    {[]string{"pins", "x.py", "--env", "NOEQUALS"}, `--env "NOEQUALS": want NAME=VALUE`},
		"bad platform":    {[]string{"pins", "x.py", "--platform", "beos"}, `unknown platform "beos"`},
		"empty symbols":   {[]string{"pins", "x.py", "--symbols", " "}, "--symbols: no symbol named"},
		"no file":         {[]string{"pins"}, "requires at least 1 arg"},
		"unknown flag":    {[]string{"pins", "x.py", "--nope"}, "unknown flag"},
		"unknown command": {[]string{"frobnicate"}, "unknown command"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runBot(t, c.args...)
			if code != exitBadInput {
				t.Errorf("exit %d, want %d", code, exitBadInput)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q does not contain %q", stderr, c.want)
			}
		})
	}
}

// TestPinsNoSymbolHasNoPosition: a module defining none of the default
// symbols is reported against the file, not at a made-up line 0.
func TestPinsNoSymbolHasNoPosition(t *testing.T) {
	path := writeFile(t, "empty.py", "X = 1\n")
	code, stdout, _ := runBot(t, "pins", path)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if want := "unresolved: " + path + ": none of"; !strings.Contains(stdout, want) || strings.Contains(stdout, ":0:0") {
		t.Errorf("want %q and no :0:0 in:\n%s", want, stdout)
	}
	if !strings.Contains(stdout, "0 pins (0 unique)") {
		t.Errorf("summary:\n%s", stdout)
	}
}

func TestPinsSymbolsAndPlatforms(t *testing.T) {
	src := `import sys
ROWS = [{"url": "https://example.com/" + sys.platform, "sha256": "` + strings.Repeat("c", 64) + `"}]
`
	path := writeFile(t, "m.py", src)
	code, stdout, stderr := runBot(t, "pins", path, "--symbols", "ROWS", "--platform", "linux", "--platform", "darwin", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"https://example.com/linux", "https://example.com/darwin"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %s:\n%s", want, stdout)
		}
	}
}

// TestPinsTableQuotesControlCharacters: text from the manifest that holds a
// newline or an escape cannot start a line of its own (which CI logs would
// read as a workflow command) or drive the terminal.
func TestPinsTableQuotesControlCharacters(t *testing.T) {
	path := writeFile(t, "published.py", `MANIFEST = {
    "k\n::error::forged": {"url": "https://example.com/a\n::add-mask::x\x1b[2J", "sha256": "`+strings.Repeat("a", 64)+`"},
    "bad\n::warning::forged": {"url": "https://example.com/b", "sha256": "abc\n::error::x"},
}
`)
	code, stdout, stderr := runBot(t, "pins", path)
	if code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::") || strings.Contains(line, "\x1b") {
			t.Errorf("manifest text reached the output raw: %q\nfull output:\n%s", line, stdout)
		}
	}
	for _, want := range []string{`"https://example.com/a\n::add-mask::x\x1b[2J"`, `\n::warning::forged`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks the quoted %s:\n%s", want, stdout)
		}
	}
}
