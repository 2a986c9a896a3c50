package python_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python"
)

const hostileDir = "testdata/hostile"

// expectation is a hostile file's "# expect:" header; see
// testdata/hostile/README.md.
type expectation struct {
	kind string
	pins int
	line int
	text string
}

var expectRE = regexp.MustCompile(`^# expect: (ok|pins \d+|unresolved|invalid|syntax|budget|toolarge)(?: line (\d+))?(?:: (.*))?$`)

func parseExpectation(src []byte) (expectation, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first := src
	if i := bytes.IndexAny(src, "\r\n"); i >= 0 {
		first = src[:i]
	}
	m := expectRE.FindStringSubmatch(string(first))
	if m == nil {
		return expectation{}, fmt.Errorf("first line %q is not a '# expect: KIND[ line N][: TEXT]' header", truncateTest(string(first), 80))
	}
	e := expectation{kind: m[1], text: m[3]}
	if k, ok := strings.CutPrefix(m[1], "pins "); ok {
		e.kind = "pins"
		e.pins, _ = strconv.Atoi(k)
	}
	if m[2] != "" {
		e.line, _ = strconv.Atoi(m[2])
	}
	return e, nil
}

func truncateTest(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// generatedHostile are the cases too big to commit; each starts with the
// same header as the files.
func generatedHostile() map[string][]byte {
	sha := strings.Repeat("a", 64)
	g := map[string]string{
		"gen_many_lines.py":        "# expect: budget: too many tokens\n" + strings.Repeat("x=1\n", 500_000),
		"gen_huge_list_literal.py": "# expect: budget line 2: too many tokens\nx = [" + strings.Repeat("1,", 900_000) + "]\n",
		"gen_huge_string_literal.py": "# expect: invalid line 2: not a valid digest: want 64\nMANIFEST = {\"url\": \"https://example.com/big\", \"sha256\": \"" +
			strings.Repeat("ab", 950_000) + "\"}\n",
		"gen_huge_int_literal.py":       "# expect: unresolved line 2: out of range\nx = " + strings.Repeat("9", 1_900_000) + "\n",
		"gen_huge_comment.py":           "# expect: pins 1\n#" + strings.Repeat("c", 1_900_000) + "\nMANIFEST = [{\"url\": \"https://example.com/c\", \"sha256\": \"" + sha + "\"}]\n",
		"gen_deep_nesting_parens.py":    "# expect: syntax line 2: nest\nx = " + strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000) + "\n",
		"gen_deep_nesting_brackets.py":  "# expect: syntax line 2: nest\nx = " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n",
		"gen_deep_nesting_dicts.py":     "# expect: syntax line 2: nest\nx = " + strings.Repeat("{'a': ", 5_000) + "1" + strings.Repeat("}", 5_000) + "\n",
		"gen_deep_nesting_calls.py":     "# expect: syntax line 2: nest\nx = " + strings.Repeat("f(", 50_000) + strings.Repeat(")", 50_000) + "\n",
		"gen_deep_nesting_unary.py":     "# expect: syntax line 2: nest\nx = " + strings.Repeat("-", 200_000) + "1\n",
		"gen_deep_nesting_not.py":       "# expect: syntax line 2: nest\nx = " + strings.Repeat("not ", 100_000) + "1\n",
		"gen_deep_nesting_binary.py":    "# expect: syntax line 2: nest\nx = " + strings.Repeat("1+", 100_000) + "1\n",
		"gen_deep_nesting_attribute.py": "# expect: syntax line 2: nest\nx = a" + strings.Repeat(".b", 100_000) + "\n",
		"gen_deep_nesting_lambda.py":    "# expect: syntax line 2: nest\nx = " + strings.Repeat("lambda: ", 50_000) + "1\n",
		"gen_deep_nesting_fstring.py":   "# expect: syntax line 2: unexpected\nx = " + strings.Repeat("f'{", 5_000) + "1" + strings.Repeat("}'", 5_000) + "\n",
		"gen_deep_nesting_blocks.py":    "# expect: syntax line 1502: unexpected\n" + deepBlocks(1500),
		"gen_deep_class_chain.py":       "# expect: unresolved: ancestors\nclass C0:\n    pass\n" + classChain(1100),
	}
	out := map[string][]byte{}
	for name, src := range g {
		out[name] = []byte(src)
	}
	return out
}

func deepBlocks(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "if True:\n")
	}
	b.WriteString(strings.Repeat(" ", n) + "x = 1\n")
	return b.String()
}

func classChain(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "class C%d(C%d):\n    pass\n", i, i-1)
	}
	fmt.Fprintf(&b, "x = C%d()\n", n)
	return b.String()
}

// TestHostileCorpus runs every hostile manifest: each must end the way its
// header says, with a clear error naming the line, never a crash or a
// hang, and within the step and memory budgets.
func TestHostileCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(hostileDir, "*.py"))
	if err != nil {
		t.Fatal(err)
	}
	cases := generatedHostile()
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(p)] = src
	}
	if len(paths) < 40 {
		t.Errorf("%d files in %s, want the whole corpus", len(paths), hostileDir)
	}
	// Not parallel: the stats hook is shared, and the machine is small.
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := parseExpectation(src)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var stats []python.RunStats
			stop := python.RecordRunStats(&stats)
			res, err := python.Extract(context.Background(), name, src, pin.Options{Symbols: []string{pin.AllSymbols}})
			stop()
			for _, s := range stats {
				if s.Steps > pin.DefaultMaxSteps+1 {
					t.Errorf("run took %d steps, over the budget of %d", s.Steps, pin.DefaultMaxSteps)
				}
				if s.Bytes > pin.DefaultMaxMemory {
					t.Errorf("run accounted %d bytes, over the budget of %d", s.Bytes, pin.DefaultMaxMemory)
				}
			}
			checkExpectation(t, name, want, res, err)
		})
	}
}

func checkExpectation(t *testing.T, name string, want expectation, res *pin.Result, err error) {
	t.Helper()
	var target any
	switch want.kind {
	case "syntax":
		target = new(*pin.SyntaxError)
	case "budget":
		target = new(*pin.BudgetError)
	case "toolarge":
		target = new(*pin.TooLargeError)
	}
	if target != nil {
		if err == nil {
			t.Fatalf("Extract succeeded (%d pins, %d unresolved, %d invalid), want a %s error", len(res.Pins), len(res.Unresolved), len(res.Invalid), want.kind)
		}
		if !errors.As(err, target) {
			t.Fatalf("error %T (%v), want a %s error", err, err, want.kind)
		}
		// The message, not the file name in front of it, must say it.
		msg := strings.TrimPrefix(err.Error(), name+":")
		if !strings.Contains(msg, want.text) {
			t.Errorf("error %q does not mention %q", err, want.text)
		}
		if want.line > 0 && !strings.HasPrefix(err.Error(), name+":"+strconv.Itoa(want.line)+":") {
			t.Errorf("error %q does not name line %d", err, want.line)
		}
		return
	}
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	switch want.kind {
	case "pins":
		if got := len(res.Unique()); got != want.pins {
			t.Errorf("%d pins, want %d: %+v", got, want.pins, res.Pins)
		}
	case "unresolved", "invalid":
		findings := res.Unresolved
		if want.kind == "invalid" {
			findings = res.Invalid
		}
		var msgs []string
		for _, f := range findings {
			if strings.Contains(f.Message, want.text) && (want.line == 0 || f.Line == want.line) {
				return
			}
			msgs = append(msgs, fmt.Sprintf("%d: %s", f.Line, truncateTest(f.Message, 200)))
		}
		t.Errorf("no %s finding mentions %q (at line %d); have %q", want.kind, want.text, want.line, msgs)
	}
}

var writeGenerated = flag.String("hostile.write", "", "write the generated hostile cases into this directory (for bench/hostile)")

// TestWriteGeneratedHostile writes the generated cases as files when
// -hostile.write is given, so bench/hostile can run them through the CLI.
func TestWriteGeneratedHostile(t *testing.T) {
	if *writeGenerated == "" {
		t.Skip("no -hostile.write directory")
	}
	for name, src := range generatedHostile() {
		if err := os.WriteFile(filepath.Join(*writeGenerated, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
