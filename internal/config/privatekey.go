package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pindrift/pindrift/internal/strictyaml"
)

// The App's private key is given inline (github.app.private_key,
// GITHUB_APP_PRIVATE_KEY) or as a file (github.app.private_key_file,
// GITHUB_APP_PRIVATE_KEY_FILE), the form that Kubernetes Secret volumes,
// systemd credentials and Compose secrets provide. go-githubapp knows only
// the inline form, so the file setting lives beside its struct and its
// content is put in GitHub.App.PrivateKey at load time.
const (
	keyPrivateKey     = "github.app.private_key"
	keyPrivateKeyFile = "github.app.private_key_file"
	envPrivateKey     = "GITHUB_APP_PRIVATE_KEY"
	envPrivateKeyFile = "GITHUB_APP_PRIVATE_KEY_FILE"
)

// MaxPrivateKeyFileBytes bounds github.app.private_key_file: a 4096-bit RSA
// key in PEM is about 3.3 KB, so anything near this is not a key.
const MaxPrivateKeyFileBytes = 64 << 10

// privateKeyFileEnv is listed by ServerEnv after GITHUB_APP_PRIVATE_KEY.
var privateKeyFileEnv = EnvVar{Name: envPrivateKeyFile, Key: keyPrivateKeyFile}

// applyKeyEnv picks the key's form after go-githubapp has applied
// GITHUB_APP_PRIVATE_KEY. The environment replaces the file's key,
// whichever form each gives, as it does for every other setting; one
// source giving both forms is a mistake, reported with both places.
// fileKey and fileKeyFile say what the file set.
func applyKeyEnv(s *Server, ps *strictyaml.Problems, fileKey, fileKeyFile bool) {
	inline, inlineSet := os.LookupEnv(envPrivateKey)
	inlineSet = inlineSet && inline != ""
	path, pathSet := os.LookupEnv(envPrivateKeyFile)
	pathSet = pathSet && path != ""
	switch {
	case inlineSet && pathSet:
		ps.Env[keyPrivateKeyFile] = envPrivateKeyFile
		ps.At(keyPrivateKeyFile, "%s is set too; set only one of the two", envPrivateKey)
	case pathSet:
		ps.Env[keyPrivateKeyFile] = envPrivateKeyFile
		s.PrivateKeyFile = path
		s.GitHub.App.PrivateKey = ""
	case inlineSet:
		s.PrivateKeyFile = ""
	case fileKey && fileKeyFile:
		where := "above"
		if ps.Doc != nil {
			if line, _ := ps.Doc.Locate(keyPrivateKey, true); line > 0 {
				where = fmt.Sprintf("at line %d", line)
			}
		}
		ps.AtKey(keyPrivateKeyFile, "%s is set too (%s); give only one of the two", keyPrivateKey, where)
	}
}

// loadKeyFile reads github.app.private_key_file, resolved against dir like
// a relative sqlite path, into GitHub.App.PrivateKey. The messages name
// the file and describe its content, never quote it.
func (s *Server) loadKeyFile(ps *strictyaml.Problems, dir string) {
	path := s.PrivateKeyFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	s.PrivateKeyFile = path
	data, err := readKeyFile(path)
	if err != nil {
		ps.At(keyPrivateKeyFile, "%v", err)
		return
	}
	text := string(data)
	if strings.TrimSpace(text) == "" {
		ps.At(keyPrivateKeyFile, "%s is empty; it must hold the PEM private key generated in the App's settings", path)
		return
	}
	if msg := checkPrivateKey(text); msg != "" {
		ps.At(keyPrivateKeyFile, "%s %s", path, msg)
		return
	}
	s.GitHub.App.PrivateKey = text
}

// readKeyFile reads a regular file of at most MaxPrivateKeyFileBytes. A
// FIFO or device would block or never end; Kubernetes' and systemd's
// files are symbolic links to regular files, which is fine, and the mode
// checked is the target's. A key others can read is refused
// (checkKeyMode): the App's key acts on every installation.
func readKeyFile(path string) ([]byte, error) {
	// Checked before opening: opening a FIFO blocks until a writer comes.
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist", path)
	}
	if err != nil {
		return nil, err // *PathError: names the file and why
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, st.Mode().Type())
	}
	if err := checkKeyMode(path, st); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read-only: a close error loses nothing
	data, err := io.ReadAll(io.LimitReader(f, MaxPrivateKeyFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxPrivateKeyFileBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes, more than any App private key", path, MaxPrivateKeyFileBytes)
	}
	return data, nil
}
