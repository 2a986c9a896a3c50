package repoconfig

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/strictyaml"
	"github.com/pindrift/pindrift/internal/verify"
)

// Path is where a repository configures the App.
const Path = ".github/pindrift.yml"

// Defaults and limits for the repository configuration.
const (
	DefaultVerifyMode = verify.ModeAuto
	DefaultPlatform   = "linux"
	DefaultFixPR      = true
	MaxBytes          = 64 << 10
	// MaxManifests is how many manifests one configuration may list: one
	// run reads, evaluates and verifies them all, and one tracking issue
	// and one fix PR cover them.
	MaxManifests = 100
	// MaxTotalManifestBytes bounds the bytes of all of a repository's
	// manifests read in one run, beside each file's own limit
	// (pin.DefaultMaxFileBytes): a manifest that would go over it is
	// reported as unreadable, and the others are still verified.
	MaxTotalManifestBytes = 16 << 20
	maxAssignees          = 10 // GitHub's limit per issue
	maxLabelLength        = 50 // GitHub's limit
)

// Config is a repository's .github/pindrift.yml, with defaults applied.
type Config struct {
	Manifests     []Manifest    `yaml:"manifests"`
	Verify        RepoVerify    `yaml:"verify"`
	TrackingIssue TrackingIssue `yaml:"tracking_issue"`
	FixPR         FixPR         `yaml:"fix_pr"`
	// Onboarding false, in a file that lists no manifests, turns the
	// onboarding pull request off: in the owner's .github repository for
	// all its repositories without a configuration of their own. Load
	// answers ErrOnboardingOff for such a file.
	Onboarding *bool `yaml:"onboarding"`
}

// OnboardingOff reports a file that only turns onboarding off: it lists
// no manifests and says onboarding: false.
func (c *Config) OnboardingOff() bool {
	return len(c.Manifests) == 0 && c.Onboarding != nil && !*c.Onboarding
}

// Manifest is a file whose pins are verified: a Python or Starlark
// module, or a JSON, YAML or TOML document.
type Manifest struct {
	Path string `yaml:"path"`
	// Symbols are the module-level names walked for pins, or just
	// pin.AllSymbols for all of them.
	Symbols []string `yaml:"symbols"`
	// defaultSymbols records that Symbols were not given, so a manifest
	// lacking one of the defaults is not reported (as extract.File does
	// for nil Symbols).
	defaultSymbols bool
	// Env is what the module sees in os.environ.
	Env map[string]string `yaml:"env"`
	// Platforms are pin.ParsePlatform names, e.g. "linux" or
	// "darwin/arm64"; the pins of all of them are verified.
	Platforms []string `yaml:"platforms"`
	// Format is a pin.ParseFormat name; empty means it is told from
	// Path. Validation leaves it as the pin.Format it names.
	Format pin.Format `yaml:"format"`
	// URLFields and DigestFields are pin.Fields patterns added to
	// pin.DefaultFields for JSON, YAML and TOML records.
	URLFields    []string `yaml:"url_fields"`
	DigestFields []string `yaml:"digest_fields"`
	// Line and Column locate the entry's path: value in the file (the
	// entry itself when it has no path), so that a check run can point
	// at the entry of a manifest that cannot be read; 0 when unknown.
	Line   int `yaml:"-"`
	Column int `yaml:"-"`
}

// RepoVerify chooses how assets are verified.
type RepoVerify struct {
	Mode verify.Mode `yaml:"mode"`
}

// TrackingIssue configures the issue that reports drift.
type TrackingIssue struct {
	Labels    []string `yaml:"labels"`
	Assignees []string `yaml:"assignees"`
}

// FixPR configures the pull request that rewrites drifted pins.
type FixPR struct {
	Enabled   bool     `yaml:"enabled"`
	Branch    string   `yaml:"branch"`
	Draft     bool     `yaml:"draft"`
	Reviewers []string `yaml:"reviewers"`
}

// defaultRepo holds the defaults a file's settings are decoded over: an
// absent or null key keeps them. Manifest defaults are filled in by
// validation, since a list's entries cannot be prefilled.
func defaultRepo() *Config {
	return &Config{
		Verify:        RepoVerify{Mode: DefaultVerifyMode},
		TrackingIssue: TrackingIssue{Labels: []string{issues.DefaultLabel}},
		FixPR:         FixPR{Enabled: DefaultFixPR, Branch: fixpr.DefaultBranch},
	}
}

// Parse reads a repository configuration strictly and validates it.
// file names it in messages (e.g. ".github/pindrift.yml"). An invalid one
// is an *Error listing every problem with its line, column and key. A file
// over MaxBytes, nested deeper than MaxDepth or
// holding more than MaxNodes values with its aliases expanded
// is refused before it is decoded.
func Parse(file string, data []byte) (*Config, error) {
	if len(data) > MaxBytes {
		return nil, &Error{File: file, Problems: []Problem{{
			Message: fmt.Sprintf("is %d bytes; the limit is %d", len(data), MaxBytes)}}}
	}
	if p := checkShape(data, MaxDepth, MaxNodes); p != nil {
		return nil, &Error{File: file, Problems: []Problem{*p}}
	}
	c := defaultRepo()
	doc, list := strictyaml.Decode(data, c, nil)
	if len(list) > 0 {
		return nil, &Error{File: file, Problems: list}
	}
	ps := &strictyaml.Problems{Doc: doc}
	c.validate(ps)
	if len(ps.List) > 0 {
		return nil, &Error{File: file, Problems: ps.Sorted()}
	}
	for i := range c.Manifests {
		m := &c.Manifests[i]
		m.Line, m.Column = doc.Locate(fmt.Sprintf("manifests[%d].path", i), false)
	}
	return c, nil
}

// Options are the extraction options for the manifest. Platforms that do
// not parse are an error, which Parse has already ruled out.
func (m Manifest) Options() (pin.Options, error) {
	opts := pin.Options{Symbols: slices.Clone(m.Symbols), Env: maps.Clone(m.Env), Format: m.Format,
		Fields: pin.Fields{URL: slices.Clone(m.URLFields), Digest: slices.Clone(m.DigestFields)}}
	if m.defaultSymbols {
		opts.Symbols = nil
	}
	for _, name := range m.Platforms {
		p, err := pin.ParsePlatform(name)
		if err != nil {
			return pin.Options{}, fmt.Errorf("manifest %s: %w", m.Path, err)
		}
		opts.Platforms = append(opts.Platforms, p)
	}
	return opts, nil
}

// IssuesConfig is the tracking issue's configuration for issues.Decide.
func (c *Config) IssuesConfig() issues.Config {
	return issues.Config{Labels: slices.Clone(c.TrackingIssue.Labels), Assignees: slices.Clone(c.TrackingIssue.Assignees)}
}

// FixPRConfig is the fix PR's configuration for fixpr.Decide.
func (c *Config) FixPRConfig() fixpr.Config {
	return fixpr.Config{Enabled: c.FixPR.Enabled, Branch: c.FixPR.Branch, Draft: c.FixPR.Draft,
		Reviewers: slices.Clone(c.FixPR.Reviewers)}
}
