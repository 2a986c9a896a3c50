package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
)

func TestReadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	src := "MANIFEST = {\"a\": {\"url\": \"https://dl.example/a\", \"sha256\": \"" + strings.Repeat("a", 64) + "\"}}\n"
	tests := map[string]struct {
		path     string
		max      int
		wantErr  error // compared with errors.As/Is below
		wantPins int
	}{
		"read and extracted": {path: write("ok.py", src), wantPins: 1},
		"over the cap":       {path: write("big.py", src), max: 10, wantErr: &pin.TooLargeError{File: filepath.Join(dir, "big.py"), Size: len(src), Limit: 10}},
		"missing":            {path: filepath.Join(dir, "nope.py"), wantErr: os.ErrNotExist},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, res, err := ReadFile(context.Background(), tc.path, pin.Options{MaxFileBytes: tc.max})
			var tooLarge *pin.TooLargeError
			switch want := tc.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != src || len(res.Pins) != tc.wantPins {
					t.Errorf("got %d bytes and %d pins, want %d and %d", len(got), len(res.Pins), len(src), tc.wantPins)
				}
			case *pin.TooLargeError:
				if !errors.As(err, &tooLarge) {
					t.Fatalf("error %v, want a TooLargeError", err)
				}
				if diff := cmp.Diff(want, tooLarge); diff != "" {
					t.Errorf("TooLargeError (-want +got):\n%s", diff)
				}
			default:
				if !errors.Is(err, want) {
					t.Errorf("error %v, want %v", err, want)
				}
			}
		})
	}
}
