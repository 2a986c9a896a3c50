package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pindrift/pindrift/internal/verify"
)

// maxReadBytes bounds a report ReadOutcomes accepts; a report of
// thousands of URLs is well under a megabyte.
const maxReadBytes = 64 << 20

// ReadOutcomes reads the verdicts back from a Document at path: per
// result, only url, status and got (lowercased), the part a later run may
// act on. A reader re-extracts the manifest itself, so it patches the pins
// of the file as it is now, not as the report saw it. Any error means the
// file is not a usable report; its message names the path.
func ReadOutcomes(path string) ([]verify.Outcome, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close() // read-only: nothing to lose on close
	data, err := io.ReadAll(io.LimitReader(fh, maxReadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxReadBytes {
		return nil, fmt.Errorf("%s is over %d bytes", path, maxReadBytes)
	}
	var doc struct {
		Results *[]Result `json:"results"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Results == nil {
		return nil, fmt.Errorf(`%s has no "results"; want the output of "bot check --json"`, path)
	}
	outcomes := make([]verify.Outcome, 0, len(*doc.Results))
	for i, r := range *doc.Results {
		switch r.Status {
		case verify.StatusOK, verify.StatusDrift:
			if !isHexDigest(r.Got) {
				return nil, fmt.Errorf(`%s: result %d (%s) is %s but "got" is %q, not a SHA-256`, path, i, r.URL, r.Status, r.Got)
			}
		case verify.StatusMissing, verify.StatusUnreachable, verify.StatusRefused, verify.StatusUnresolved, verify.StatusInvalid:
		default:
			return nil, fmt.Errorf("%s: result %d has unknown status %q", path, i, r.Status)
		}
		if r.URL == "" && r.Status != verify.StatusUnresolved && r.Status != verify.StatusInvalid {
			return nil, fmt.Errorf(`%s: result %d has no "url"`, path, i)
		}
		outcomes = append(outcomes, verify.Outcome{URL: r.URL, Status: r.Status, Got: strings.ToLower(r.Got)})
	}
	return outcomes, nil
}

func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
