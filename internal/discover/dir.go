package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is the checkout at root as a Source. Its listing walks the folders
// without following symbolic links (a link is listed as one, and never
// read), and does not descend into the folders Find skips: it lists them
// as folders, so the skip is named, but their files are not counted.
func Dir(root string) Source { return dirSource{root: root} }

type dirSource struct{ root string }

func (d dirSource) Tree(ctx context.Context) ([]Entry, bool, error) {
	// The root is followed when it is a link (the user named it); only
	// links inside it are not.
	root, err := filepath.EvalSymlinks(d.root)
	if err != nil {
		return nil, false, fmt.Errorf("walk %s: %w", d.root, err)
	}
	var entries []Entry
	err = filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		switch t := de.Type(); {
		case t.IsDir():
			if skipFolder(de.Name()) {
				entries = append(entries, Entry{Path: rel, Mode: ModeFolder})
				return filepath.SkipDir
			}
		case t&fs.ModeSymlink != 0:
			entries = append(entries, Entry{Path: rel, Mode: ModeSymlink})
		case t.IsRegular():
			info, err := de.Info()
			if err != nil {
				return err
			}
			mode := "100644"
			if info.Mode()&0o111 != 0 {
				mode = "100755"
			}
			entries = append(entries, Entry{Path: rel, Size: info.Size(), Mode: mode})
		}
		// Sockets, pipes and devices are not files of a repository.
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("walk %s: %w", d.root, err)
	}
	return entries, false, nil
}

// errNotRegular refuses a path that is not a regular file: a symbolic
// link could point outside the checkout, a FIFO would block.
var errNotRegular = errors.New("not a regular file")

func (d dirSource) Read(_ context.Context, p string, maxBytes int64) ([]byte, error) {
	// os.Root refuses a path that leaves the checkout, even through a
	// folder swapped for a link after the listing; Lstat refuses a link
	// in the last element.
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return nil, err
	}
	defer root.Close() // read-only: nothing to lose on close
	name := filepath.FromSlash(p)
	info, err := root.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", p, errNotRegular)
	}
	if info.Size() > maxBytes {
		return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit", p, info.Size(), maxBytes)
	}
	fh, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close() // read-only: nothing to lose on close
	// The file may have grown since Lstat: read one byte past the limit
	// to tell.
	data, err := io.ReadAll(io.LimitReader(fh, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%s is over the %d-byte limit", p, maxBytes)
	}
	return data, nil
}
