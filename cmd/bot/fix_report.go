package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/verify"
)

// errBadReport marks a --report file that cannot be used.
var errBadReport = errors.New("unusable --report")

// maxReportBytes bounds a --report file; a report of thousands of URLs is
// well under a megabyte.
const maxReportBytes = 64 << 20

// readCheckReport reads the live digests from a "bot check --json" report.
// Only url, status and got matter: fix re-extracts the manifest itself, so
// the pins it patches are those of the file now, not of the report.
func readCheckReport(path string) (map[string]patch.Live, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadReport, err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", errBadReport, path, err)
	}
	if len(data) > maxReportBytes {
		return nil, fmt.Errorf("%w: %s is over %d bytes", errBadReport, path, maxReportBytes)
	}
	var doc struct {
		Results *[]checkJSONResult `json:"results"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", errBadReport, path, err)
	}
	if doc.Results == nil {
		return nil, fmt.Errorf(`%w: %s has no "results"; want the output of "bot check --json"`, errBadReport, path)
	}
	outcomes := make([]verify.Outcome, 0, len(*doc.Results))
	for i, r := range *doc.Results {
		switch r.Status {
		case verify.StatusOK, verify.StatusDrift:
			if !isHexDigest(r.Got) {
				return nil, fmt.Errorf(`%w: %s: result %d (%s) is %s but "got" is %q, not a SHA-256`, errBadReport, path, i, r.URL, r.Status, r.Got)
			}
		case verify.StatusMissing, verify.StatusUnreachable, verify.StatusRefused, verify.StatusUnresolved, verify.StatusInvalid:
		default:
			return nil, fmt.Errorf("%w: %s: result %d has unknown status %q", errBadReport, path, i, r.Status)
		}
		if r.URL == "" && r.Status != verify.StatusUnresolved && r.Status != verify.StatusInvalid {
			return nil, fmt.Errorf(`%w: %s: result %d has no "url"`, errBadReport, path, i)
		}
		outcomes = append(outcomes, verify.Outcome{URL: r.URL, Status: r.Status, Got: strings.ToLower(r.Got)})
	}
	return patch.LiveFromOutcomes(outcomes), nil
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
