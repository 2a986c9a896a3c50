package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExpandArgs: globs expand to files in sorted order after the
// arguments before them, each file once; a path that exists is taken as
// it is even with glob characters in its name; a missing plain path is
// kept for the reader to report; directories are not files, and a
// symbolic-link cycle does not make "**" endless.
func TestExpandArgs(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.py", "a.py", "c.json", "sub/d.py", "sub/deep/e.py", "[x].py", "dir.py/f.txt"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("A = 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A link back to the top: following it, "**" would never end.
	if err := os.Symlink(dir, filepath.Join(dir, "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	in := func(names ...string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = filepath.Join(dir, n)
		}
		return out
	}
	tests := map[string]struct {
		args     []string
		maxFiles int
		want     []string
		wantErr  string
	}{
		"paths in argument order": {args: in("b.py", "a.py"), want: in("b.py", "a.py")},
		// dir.py is a directory.
		"a glob, sorted": {args: in("*.py"), want: in("[x].py", "a.py", "b.py")},
		"double star crosses directories, not links": {args: in("**/*.py"),
			want: in("[x].py", "a.py", "b.py", "sub/d.py", "sub/deep/e.py")},
		"alternatives":                          {args: in("*.{json,py}"), want: in("[x].py", "a.py", "b.py", "c.json")},
		"duplicates removed, first kept":        {args: []string{filepath.Join(dir, "b.py"), filepath.Join(dir, ".", "b.py"), filepath.Join(dir, "*.py")}, want: in("b.py", "[x].py", "a.py")},
		"an existing name with glob characters": {args: in("[x].py"), want: in("[x].py")},
		"a missing path is kept":                {args: in("a.py", "nope.py"), want: in("a.py", "nope.py")},
		"a glob matching nothing":               {args: in("*.toml"), wantErr: "matches no file"},
		"a glob matching only directories":      {args: in("su*"), wantErr: "matches no file"},
		"a bad pattern":                         {args: in("[.py"), wantErr: "not a valid glob pattern"},
		"an empty argument":                     {args: []string{""}, wantErr: "an empty FILE argument"},
		"too many":                              {args: in("**/*.py"), maxFiles: 3, wantErr: "more than 3 files, the --max-files limit"},
		"exactly the limit":                     {args: in("*.py"), maxFiles: 3, want: in("[x].py", "a.py", "b.py")},
		// The paths named first are among the glob's matches: 3 files.
		"paths and a glob over them, at the limit": {args: in("a.py", "b.py", "*.py"), maxFiles: 3, want: in("a.py", "b.py", "[x].py")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			maxFiles := tc.maxFiles
			if maxFiles == 0 {
				maxFiles = DefaultMaxFiles
			}
			got, err := expandArgs(tc.args, maxFiles)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("expandArgs = %q, %v; want an error saying %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}
