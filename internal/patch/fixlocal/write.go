package fixlocal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile replaces file's contents with data through a temporary
// file in the same directory and a rename, so a reader sees the old file or
// the new one, never half of it. The mode is kept, a symlink is followed
// rather than replaced, and the write is refused when the file no longer
// holds old (someone changed it while the fix was computed).
func WriteFile(file string, old, data []byte) (err error) {
	real, err := filepath.EvalSymlinks(file)
	if err != nil {
		return err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return err
	}
	cur, err := os.ReadFile(real)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, old) {
		return fmt.Errorf("%s changed while the fix was computed; run fix again", file)
	}
	tmp, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".pindrift-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			// The temporary file is ours and useless after a failure.
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), real)
}
