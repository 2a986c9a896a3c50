package fixlocal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFile(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		onDisk  string // what the file holds when WriteFile runs
		link    bool   // write through a symlink to the file
		want    string
		wantErr string
	}{
		"replaced":                {onDisk: "old\n", want: "new\n"},
		"through a symlink":       {onDisk: "old\n", link: true, want: "new\n"},
		"changed while computing": {onDisk: "edited\n", want: "edited\n", wantErr: "changed while the fix was computed"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			real := filepath.Join(dir, "images.py")
			if err := os.WriteFile(real, []byte(tc.onDisk), 0o640); err != nil {
				t.Fatal(err)
			}
			file := real
			if tc.link {
				file = filepath.Join(dir, "link.py")
				if err := os.Symlink("images.py", file); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteFile(file, []byte("old\n"), []byte("new\n"))
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("WriteFile: %v, want an error saying %q", err, tc.wantErr)
			}
			got, err := os.ReadFile(real)
			if err != nil {
				t.Fatal(err)
			}
			fi, err := os.Lstat(real)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want || fi.Mode().Perm() != 0o640 || !fi.Mode().IsRegular() {
				t.Errorf("file holds %q with mode %v, want %q, a regular file with mode 0640", got, fi.Mode(), tc.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1+btoi(tc.link) {
				t.Errorf("directory holds %d entries: a temporary file left behind?", len(entries))
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestParseAuthor(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    Author
		wantErr bool
	}{
		"name and address": {in: "Release Bot <bot@example.com>", want: Author{Name: "Release Bot", Email: "bot@example.com"}},
		"address only":     {in: "bot@example.com", want: Author{Name: "bot", Email: "bot@example.com"}},
		"not an address":   {in: "Release Bot", wantErr: true},
	}
	for name, tc := range tests {
		got, err := ParseAuthor(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("%s: ParseAuthor(%q) = %+v, %v; want %+v (error: %v)", name, tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}
