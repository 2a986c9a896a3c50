//go:build !unix

package config

import "io/fs"

// checkKeyMode has no Unix permission bits to check here.
func checkKeyMode(string, fs.FileInfo) error { return nil }
