// Package issues keeps one tracking issue per repository true to the
// latest verification: it decides what to create, edit, comment on, close
// or reopen (Decide, a pure function of the run and what GitHub holds) and
// renders the issue's Markdown. A small Client interface carries the
// decisions out; the domain code never sees GitHub's types.
package issues

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// Marker identifies a tracking issue in its body. Only issues the App
// created count: a person who copies the marker does not make one.
const Marker = "<!-- pindrift:tracking -->"

// DefaultLabel is put on tracking issues unless configured otherwise.
const DefaultLabel = "pin-drift"

// DefaultUnreachableRuns is how many consecutive runs an asset must fail
// to download before the issue reports it, so one flaky fetch does not
// flap the issue.
const DefaultUnreachableRuns = 2

// Repo names a repository and where links to it point.
type Repo struct {
	Owner  string
	Name   string
	WebURL string // e.g. https://github.com
}

// FullName is owner/name.
func (r Repo) FullName() string { return r.Owner + "/" + r.Name }

func (r Repo) web() string {
	if r.WebURL == "" {
		return "https://github.com"
	}
	return strings.TrimRight(r.WebURL, "/")
}

// PinRef is one place a digest is pinned.
type PinRef struct {
	File   string
	Line   int
	Symbol string
	Path   string
	// Algorithm and Digest (lowercase hex) are what the pin promises; an
	// empty Algorithm reads as sha256.
	Algorithm pin.Algorithm
	Digest    string
}

// Drift is one asset whose live bytes no longer match its pins under one
// algorithm: an asset pinned under two algorithms that drifted under both
// is two Drifts, each comparing digests of its own algorithm.
type Drift struct {
	URL string
	// Algorithm is the hash of Expected and Got; empty reads as sha256.
	Algorithm pin.Algorithm
	// Expected lists the pinned digests (lowercase hex) that differ from Got.
	Expected []string
	Got      string
	Pins     []PinRef // every pin on the URL that is drifted
	Asset    AssetFacts
}

// AssetFacts is what the release host says about the asset, when known.
type AssetFacts struct {
	Name       string
	ReleaseTag string
	ReleaseURL string
	Size       int64 // -1 when unknown
	UploadedAt time.Time
	Uploader   string
	Immutable  bool
}

// Problem is a pin that could not be verified: never drift.
type Problem struct {
	Status  verify.Status // missing, unreachable, refused, unresolved, invalid
	URL     string        // "" for unresolved and invalid findings
	Message string
	Pins    []PinRef
}

// Run is what one verification found in a repository.
type Run struct {
	Repo    Repo
	Commit  string // the commit whose manifest was verified
	Trigger string // e.g. "release images-2026.06.14.0 edited", "nightly sweep"
	// Time is when the run happened (for "first seen").
	Time time.Time
	// Files are the manifests the run covers, in the configuration's
	// order. With one readable file the issue reads as it always has; with
	// several (or one that could not be read) it is grouped by file.
	Files    []File
	Drift    []Drift
	Problems []Problem
	// FixPR is the open fix PR, if any; FixBlocked explains why there is
	// none when drift could not be fixed automatically.
	FixPR      *PullRef
	FixBlocked string
	// FixNotFixed is Markdown from package fixpr saying, file by file,
	// what the open fix PR leaves alone ("" when it fixes everything).
	FixNotFixed string
}

// File is one manifest a run covers.
type File struct {
	Path string
	// Unread is why the file could not be read or evaluated ("" when it
	// was). Its pins are unknown, so the issue lists it and does not close
	// while it stands: pindrift cannot say the file is clear.
	Unread string
}

// grouped reports whether the issue is laid out file by file: when the run
// covers several files, or its one file could not be read.
func (r Run) grouped() bool {
	return len(r.Files) > 1 || len(r.unread()) > 0
}

// path is the run's one file, for the single-file layout.
func (r Run) path() string {
	if len(r.Files) == 0 {
		return ""
	}
	return r.Files[0].Path
}

// unread lists the files that could not be read, in order.
func (r Run) unread() []File {
	var out []File
	for _, f := range r.Files {
		if f.Unread != "" {
			out = append(out, f)
		}
	}
	return out
}

// PullRef points at a pull request.
type PullRef struct {
	Number int
	URL    string
}

// FromReport turns a verification report into the run's drift and
// problems. Each pin and finding names its file; file stands in for one
// that does not (a report made before pins named their files, which
// covers one file). assets supplies release facts by URL; missing entries
// are simply unknown.
func FromReport(file string, rep *verify.Report, assets map[string]AssetFacts) (drift []Drift, problems []Problem) {
	for _, o := range rep.Outcomes {
		switch o.Status {
		case verify.StatusOK:
		case verify.StatusDrift:
			d := Drift{URL: o.URL, Algorithm: o.Algorithm, Got: strings.ToLower(o.Got), Asset: assets[o.URL]}
			if d.Asset.Name == "" {
				d.Asset.Name = assetName(o.URL)
			}
			if _, ok := assets[o.URL]; !ok {
				d.Asset.Size = -1
			}
			seen := map[string]bool{}
			for _, p := range o.Drifted() {
				d.Pins = append(d.Pins, pinRef(file, p))
				if s := p.Key().Hex; !seen[s] {
					seen[s] = true
					d.Expected = append(d.Expected, s)
				}
			}
			drift = append(drift, d)
		default:
			var refs []PinRef
			for _, p := range o.Pins {
				refs = append(refs, pinRef(file, p))
			}
			// The outcomes of one URL under several algorithms that fail
			// alike are one problem with all their pins.
			if i := slices.IndexFunc(problems, func(p Problem) bool {
				return o.URL != "" && p.URL == o.URL && p.Status == o.Status
			}); i >= 0 {
				problems[i].Pins = append(problems[i].Pins, refs...)
				continue
			}
			pr := Problem{Status: o.Status, URL: o.URL, Message: o.Err, Pins: refs}
			if f := o.Finding; f != nil {
				pr.Message = f.Message
				pr.Pins = append(pr.Pins, PinRef{File: orDefault(f.File, file), Line: f.Line, Symbol: f.Symbol, Path: f.Path})
			}
			problems = append(problems, pr)
		}
	}
	sort.SliceStable(drift, func(i, j int) bool {
		if drift[i].URL != drift[j].URL {
			return drift[i].URL < drift[j].URL
		}
		return slices.Index(pin.Algorithms, drift[i].algorithm()) < slices.Index(pin.Algorithms, drift[j].algorithm())
	})
	return drift, problems
}

func pinRef(file string, p pin.Pin) PinRef {
	k := p.Key()
	return PinRef{File: orDefault(p.File, file), Line: p.SHASpan.Line, Symbol: p.Symbol, Path: p.Path, Algorithm: k.Algorithm, Digest: k.Hex}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// algorithm is d's algorithm, sha256 when unset.
func (d Drift) algorithm() pin.Algorithm {
	if d.Algorithm == "" {
		return pin.SHA256
	}
	return d.Algorithm
}

// key is d's key in the tracking issue's state.
func (d Drift) key() string { return driftStateKey(d.URL, d.Algorithm) }

// labelled writes a digest for a reader: bare hex for sha256, as the
// issue always has, "<algorithm>:<hex>" for the others.
func labelled(a pin.Algorithm, hexDigest string) string {
	return pin.Key{Algorithm: a, Hex: hexDigest}.String()
}

// driftAlgorithmName names the algorithm the drift is about in prose:
// "SHA-256", "SHA-512", or "digest" when drift is under several.
func driftAlgorithmName(ds []Drift) string {
	algs := make([]pin.Algorithm, len(ds))
	for i, d := range ds {
		algs[i] = d.algorithm()
	}
	return pin.Naming(algs)
}

// driftURLs counts the distinct assets among ds.
func driftURLs(ds []Drift) int {
	seen := map[string]bool{}
	for _, d := range ds {
		seen[d.URL] = true
	}
	return len(seen)
}

// assetName is the last path segment of a download URL.
func assetName(url string) string {
	url = strings.TrimRight(strings.SplitN(url, "?", 2)[0], "/")
	if i := strings.LastIndexByte(url, '/'); i >= 0 {
		return url[i+1:]
	}
	return url
}

// problemKey identifies a problem across runs.
func (p Problem) key() string {
	if p.URL != "" {
		return string(p.Status) + " " + p.URL
	}
	if len(p.Pins) > 0 {
		return fmt.Sprintf("%s %s:%d %s", p.Status, p.Pins[0].File, p.Pins[0].Line, p.Message)
	}
	return string(p.Status) + " " + p.Message
}
