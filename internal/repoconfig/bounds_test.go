package repoconfig

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseRepoRefusesHostileShapes: files that made the decoder take
// seconds and gigabytes, or that expand exponentially, are refused with
// the reason and the line, before decoding.
func TestParseRepoRefusesHostileShapes(t *testing.T) {
	t.Parallel()
	laughs := "manifests:\n  - path: a.py\n    env: {}\nx0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for i := 1; i < 9; i++ {
		p := fmt.Sprintf("*x%d", i-1)
		laughs += fmt.Sprintf("x%d: &x%d [%s]\n", i, i, strings.Repeat(p+", ", 9)+p)
	}
	deepBlock := "manifests:\n"
	for i := range 40 {
		deepBlock += strings.Repeat("  ", i+1) + "- \n"
	}
	tests := map[string]struct {
		data string
		want string
	}{
		"30,000 brackets": {
			data: "manifests: " + strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + "\n",
			want: ".github/pindrift.yml:1:",
		},
		"100 brackets": {
			data: "manifests: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n",
			want: ".github/pindrift.yml:1:",
		},
		"deep block sequences": {data: deepBlock, want: ".github/pindrift.yml:33:"},
		"billion laughs":       {data: laughs, want: ".github/pindrift.yml:7:"},
		"bracket bomb in a second document": {
			data: "manifests: [{path: a.py}]\n---\n" + strings.Repeat("{", 20000) + strings.Repeat("}", 20000) + "\n",
			want: ".github/pindrift.yml:3:",
		},
		"brackets on a later line": {
			data: "verify: {mode: full}\nmanifests:\n  - path: a.py\n    symbols: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n",
			want: ".github/pindrift.yml:4:",
		},
		"many values": {
			data: "manifests: [{path: a.py, symbols: [" + strings.Repeat("a, ", 12000) + "a]}]\n",
			want: ".github/pindrift.yml:1:",
		},
	}
	reasons := map[string]string{
		"30,000 brackets": "nested more than 32 levels deep", "100 brackets": "nested more than 32 levels deep",
		"deep block sequences": "nested more than 32 levels deep", "bracket bomb in a second document": "nested more than 32 levels deep",
		"brackets on a later line": "nested more than 32 levels deep",
		"billion laughs":           "holds more than 5000 values once its aliases are expanded",
		"many values":              "holds more than 5000 values",
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if len(tc.data) > MaxBytes {
				t.Fatalf("test file is %d bytes, over the size limit that would refuse it first", len(tc.data))
			}
			_, err := Parse(repoFile, []byte(tc.data))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || !strings.Contains(err.Error(), reasons[name]) {
				t.Fatalf("err = %v, want %q... %q", err, tc.want, reasons[name])
			}
		})
	}
}

// TestParseRepoAnchorsWithinBounds: an ordinary use of an anchor is
// still read.
func TestParseRepoAnchorsWithinBounds(t *testing.T) {
	t.Parallel()
	c, err := Parse(repoFile, []byte("manifests:\n  - path: a.py\n    platforms: &p [linux, darwin]\n  - path: b.py\n    platforms: *p\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Manifests[1].Platforms; len(got) != 2 {
		t.Errorf("platforms of b.py = %v", got)
	}
}

// TestParseRepoManifestLimit: a configuration may list MaxManifests
// manifests; one more is refused at the manifests key, saying the limit,
// while other problems of the file are still reported.
func TestParseRepoManifestLimit(t *testing.T) {
	t.Parallel()
	list := func(n int) string {
		var b strings.Builder
		b.WriteString("manifests:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - path: pins/%d.json\n", i)
		}
		return b.String()
	}
	if c, err := Parse(repoFile, []byte(list(MaxManifests))); err != nil || len(c.Manifests) != MaxManifests {
		t.Fatalf("%d manifests: %v", MaxManifests, err)
	}
	_, err := Parse(repoFile, []byte(list(MaxManifests+1)+"verify: {mode: fast}\n"))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("%d manifests: err = %v, want an *Error", MaxManifests+1, err)
	}
	want := []Problem{
		{Line: 2, Column: 3, Key: "manifests", Message: "lists 101 manifests; pindrift verifies at most 100 per repository"},
		{Line: 103, Column: 16, Key: "verify.mode", Message: `must be full, metadata or auto, not "fast"`},
	}
	if diff := cmp.Diff(want, ce.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestParseRepoManifestPositions: each manifest records where its path is
// written, in block and flow style, so a check run can annotate the entry
// of a manifest that cannot be read.
func TestParseRepoManifestPositions(t *testing.T) {
	t.Parallel()
	c, err := Parse(repoFile, []byte("verify: {mode: full}\nmanifests:\n  - path: a.py\n\n  - symbols: [A]\n    path: pins/b.json\n  - {format: json, path: c.lock}\n"))
	if err != nil {
		t.Fatal(err)
	}
	type pos struct {
		Path         string
		Line, Column int
	}
	var got []pos
	for _, m := range c.Manifests {
		got = append(got, pos{m.Path, m.Line, m.Column})
	}
	want := []pos{{"a.py", 3, 11}, {"pins/b.json", 6, 11}, {"c.lock", 7, 26}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("manifest positions (-want +got):\n%s", diff)
	}
}
