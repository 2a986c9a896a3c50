package repoconfig

import (
	"fmt"
	"strings"
	"testing"
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
