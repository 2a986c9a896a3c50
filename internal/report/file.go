package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// fileMode is --json-file's mode: a report holds nothing secret, and
// whatever uploads or reads it (an artifact step, another user) must be
// able to.
const fileMode = 0o644

// File is where --json-file's report goes. Its temporary file is
// created next to the path before the check runs, so a path that cannot
// be written is refused before minutes of downloads rather than after;
// Commit renames it into place, so a reader sees the previous report or
// the new one, never half of one.
type File struct {
	path string
	tmp  *os.File // nil once committed or discarded
}

// CreateFile prepares path for a report. manifests and cache are the
// files the run reads and writes, which the report must not replace. Its
// errors name --json-file, the one flag that leads here.
func CreateFile(path string, manifests []string, cache string) (*File, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("--json-file %s: is a directory", path)
	}
	for _, m := range manifests {
		if sameFile(path, m) {
			return nil, fmt.Errorf("--json-file %s: is the manifest being checked, which the report would replace", path)
		}
	}
	if cache != "" && sameFile(path, cache) {
		return nil, fmt.Errorf("--json-file %s: is the --cache file, which the report would replace", path)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".pindrift-*")
	if err != nil {
		// The temporary name means nothing to the user; the directory does.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("--json-file %s: cannot create a file in %s: %w", path, dir, err)
	}
	return &File{path: path, tmp: tmp}, nil
}

// Commit writes data and renames it onto the path.
func (r *File) Commit(data []byte) error {
	tmp := r.tmp
	r.tmp = nil
	err := writeAndClose(tmp, data)
	if err == nil {
		err = os.Rename(tmp.Name(), r.path)
	}
	if err != nil {
		// The temporary file is ours and useless after a failure.
		os.Remove(tmp.Name())
		return fmt.Errorf("--json-file %s: the JSON report was not written: %w", r.path, err)
	}
	return nil
}

func writeAndClose(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		// Explicit, because CreateTemp makes the file 0600.
		err = f.Chmod(fileMode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Discard removes the temporary file when the run ends without a report
// (unusable input); after Commit it does nothing.
func (r *File) Discard() {
	if r == nil || r.tmp == nil {
		return
	}
	r.tmp.Close()
	// Best effort: a leftover dot-file is harmless and the run's own
	// error is the one worth reporting.
	os.Remove(r.tmp.Name())
	r.tmp = nil
}

// sameFile says whether a and b name one file: the same inode when both
// exist, else the same absolute path (a cache file not created yet).
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
