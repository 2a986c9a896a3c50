package verify

import (
	"strings"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
)

// Status is the verdict on one URL (or one extractor finding).
type Status string

// The statuses, from best to worst as a CI gate sees them.
const (
	StatusOK          Status = "ok"
	StatusDrift       Status = "drift"       // fetched completely, and the hash differs
	StatusMissing     Status = "missing"     // 404/410, or no such release or asset
	StatusUnreachable Status = "unreachable" // could not get the complete bytes
	StatusRefused     Status = "refused"     // blocked by a safety rule or a size limit
	StatusUnresolved  Status = "unresolved"  // extractor could not compute the pin
	StatusInvalid     Status = "invalid"     // extractor found a malformed SHA
)

// Source says where the observed digest came from.
type Source string

const (
	SourceDownload Source = "download"      // bytes fetched and hashed here
	SourceDigest   Source = "github-digest" // the release host's own digest
	SourceCache    Source = "cache"         // an earlier download of the same asset identity
)

// Outcome is the verdict on one URL under one algorithm, and every pin
// that names the URL with a digest of that algorithm. A URL pinned under
// several algorithms has one outcome each (downloaded once, hashed with
// all of them), so Expected and Got are always of one algorithm and a
// drifted pin's new digest is Got, whatever else pins the URL.
type Outcome struct {
	URL    string `json:"url"`
	Status Status `json:"status"`
	// Algorithm is the hash of Expected and Got; empty for findings.
	Algorithm pin.Algorithm `json:"algorithm,omitempty"`
	// Expected lists the distinct digests the pins promise, lowercase
	// hex, in pin order.
	Expected []string `json:"expected"`
	// Got is the observed digest in lowercase hex, set when one was
	// observed completely.
	Got    string `json:"got,omitempty"`
	Source Source `json:"source,omitempty"`
	// Bytes counts body bytes read in the last attempt.
	Bytes int64 `json:"bytes"`
	// Size is the announced length (Content-Length or the API's size), -1
	// when unknown.
	Size       int64         `json:"size"`
	Duration   time.Duration `json:"duration_ns"`
	HTTPStatus int           `json:"http_status,omitempty"`
	FinalURL   string        `json:"final_url,omitempty"`
	Attempts   int           `json:"attempts,omitempty"`
	Err        string        `json:"error,omitempty"`
	Pins       []pin.Pin     `json:"pins,omitempty"`
	// Finding is set for unresolved and invalid outcomes, which have no URL
	// to fetch.
	Finding *pin.Finding `json:"finding,omitempty"`
}

// Drifted returns the pins whose digest differs from the observed one.
// It is empty unless the outcome is drift.
func (o *Outcome) Drifted() []pin.Pin {
	if o.Status != StatusDrift {
		return nil
	}
	var out []pin.Pin
	for _, p := range o.Pins {
		// Keys are lowercase: an uppercase pin of the live bytes holds.
		if p.Key().Hex != strings.ToLower(o.Got) {
			out = append(out, p)
		}
	}
	return out
}

// Summary counts outcomes by status: (URL, algorithm) pairs for the
// fetched statuses, findings for unresolved and invalid.
type Summary struct {
	OK          int `json:"ok"`
	Drift       int `json:"drift"`
	Missing     int `json:"missing"`
	Unreachable int `json:"unreachable"`
	Refused     int `json:"refused"`
	Unresolved  int `json:"unresolved"`
	Invalid     int `json:"invalid"`
}

// Unverified counts everything that is neither ok nor drift.
func (s Summary) Unverified() int {
	return s.Missing + s.Unreachable + s.Refused + s.Unresolved + s.Invalid
}

// Report is the result of one verification run.
type Report struct {
	Outcomes []Outcome `json:"results"`
	Summary  Summary   `json:"summary"`
}

// Summarize counts outcomes by status.
func Summarize(outcomes []Outcome) Summary {
	var s Summary
	for _, o := range outcomes {
		switch o.Status {
		case StatusOK:
			s.OK++
		case StatusDrift:
			s.Drift++
		case StatusMissing:
			s.Missing++
		case StatusUnreachable:
			s.Unreachable++
		case StatusRefused:
			s.Refused++
		case StatusUnresolved:
			s.Unresolved++
		case StatusInvalid:
			s.Invalid++
		}
	}
	return s
}
