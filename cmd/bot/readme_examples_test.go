package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeCommand is a README block that shows a `bot pins` or `bot
// discover` run on the repository's own files: its command line and the
// output printed under it.
var readmeCommand = regexp.MustCompile("(?s)```\n\\$ go run ./cmd/bot ((?:pins|discover) [^\n]*)\n(.*?)```")

// TestREADMEExamples runs every `bot pins` and `bot discover` example of
// the README as written, from the repository root, and compares what it
// prints with the block: line for line, where the block elides rows with
// "…" only the lines it shows, in order.
func TestREADMEExamples(t *testing.T) {
	t.Chdir("../..")
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeCommand.FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 5 {
		t.Fatalf("found %d example blocks in README.md; the pattern no longer matches them", len(blocks))
	}
	for _, b := range blocks {
		args, shown := strings.Fields(b[1]), strings.Split(strings.TrimSuffix(b[2], "\n"), "\n")
		t.Run(b[1], func(t *testing.T) {
			_, stdout, stderr := runBot(t, args...)
			got := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			elided := strings.Contains(b[2], "…\n")
			if !elided {
				if strings.Join(got, "\n") != strings.Join(shown, "\n") {
					t.Errorf("bot %s prints\n%s\n(stderr %s)\nthe README shows\n%s", b[1], stdout, stderr, b[2])
				}
				return
			}
			// Each line shown (but the elisions, and table rows trimmed for
			// width) must appear, in order; columns may be narrower.
			words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
			i := 0
			for _, line := range shown {
				if line == "…" || strings.Contains(line, "… ") {
					continue
				}
				for i < len(got) && words(got[i]) != words(line) {
					i++
				}
				if i == len(got) {
					t.Errorf("bot %s does not print %q (in order); it prints\n%s", b[1], line, stdout)
					return
				}
			}
		})
	}
}
