package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
)

// TestReadManifestsBoundsTheTotal: the total size is bounded while
// reading, not only by the sizes checked before: a device (or a file that
// grew) past the limit is not read, and says so beside the files read.
func TestReadManifestsBoundsTheTotal(t *testing.T) {
	dir := t.TempDir()
	small := writeFile(t, "a.json", `{"url": "https://example.com/a", "sha256": "`+strings.Repeat("a", 64)+`"}`)
	zero := filepath.Join(dir, "z.json")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Skipf("no symbolic link to /dev/zero here: %v", err)
	}
	ms, src := readManifests(context.Background(), []string{small, zero}, pin.Options{}, 300)
	if ms[0].Err != nil || len(src[small]) == 0 {
		t.Fatalf("the first file was not read: %v", ms[0].Err)
	}
	if ms[1].Err == nil || !strings.Contains(ms[1].Err.Error(), "over the --max-input-bytes limit of 300") {
		t.Errorf("the device: %v, want it refused at the total limit", ms[1].Err)
	}
	if len(src) != 1 {
		t.Errorf("read %d files, want only the first", len(src))
	}
}
