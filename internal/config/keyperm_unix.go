//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"syscall"
)

// checkKeyMode refuses a private key file that anyone but its owner and
// this process can read, or anyone but its owner can write. Group read is
// allowed when the group is one this process runs with: a Kubernetes
// Secret volume with fsGroup makes a 0400 key 0440 owned by root and the
// pod's group, so that the server, not root, can read it.
func checkKeyMode(path string, st fs.FileInfo) error {
	perm := st.Mode().Perm()
	fix := fmt.Sprintf("it must be readable by its owner only: chmod 600 %s (or chown the file to the user that runs pindrift and chmod 400)", path)
	switch {
	case perm&0o007 != 0:
		return fmt.Errorf("%s is accessible to every user (mode %04o); %s", path, perm, fix)
	case perm&0o020 != 0:
		return fmt.Errorf("%s is writable by its group (mode %04o); %s", path, perm, fix)
	case perm&0o040 == 0:
		return nil
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%s is readable by its group (mode %04o) and its group cannot be read; %s", path, perm, fix)
	}
	gid := int(sys.Gid)
	if gid == os.Getegid() {
		return nil
	}
	if groups, err := os.Getgroups(); err == nil && slices.Contains(groups, gid) {
		return nil
	}
	return fmt.Errorf("%s is readable by group %d (mode %04o), which this process (group %d) is not in, so others can read the key; %s",
		path, gid, perm, os.Getegid(), fix)
}
