package repoconfig

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/strictyaml"
	"github.com/pindrift/pindrift/internal/verify"
)

// validate reports every invalid setting and fills in the per-manifest
// defaults.
func (c *Config) validate(ps *strictyaml.Problems) {
	if len(c.Manifests) == 0 && !c.OnboardingOff() {
		ps.At("manifests", "must list at least one manifest, e.g. - path: src/pkg/pins.py")
	}
	if len(c.Manifests) > MaxManifests {
		ps.At("manifests", "lists %d manifests; pindrift verifies at most %d per repository", len(c.Manifests), MaxManifests)
	}
	firstPath := map[string]int{}
	// Entries past the limit are not checked one by one: the limit is
	// the problem, said once at the key.
	for i := range min(len(c.Manifests), MaxManifests) {
		m := &c.Manifests[i]
		key := fmt.Sprintf("manifests[%d]", i)
		c.validateFormat(ps, m, key)
		if msg := checkManifestPath(m.Path); msg != "" {
			ps.At(key+".path", "%s", msg)
		} else if j, dup := firstPath[m.Path]; dup {
			ps.At(key+".path", "%s is already listed as manifests[%d]", m.Path, j)
		} else {
			firstPath[m.Path] = i
		}
		c.validateSymbols(ps, m, key+".symbols")
		checkList(ps, key+".url_fields", m.URLFields, strings.ToLower, checkPattern)
		checkList(ps, key+".digest_fields", m.DigestFields, strings.ToLower, checkPattern)
		for _, name := range strictyaml.SortedKeys(m.Env) {
			if !envName.MatchString(name) {
				ps.AtKey(strictyaml.JoinKey(key+".env", name), "is not an environment variable name (letters, digits and _, not starting with a digit)")
			}
		}
		if m.Platforms == nil {
			m.Platforms = []string{DefaultPlatform}
		}
		if len(m.Platforms) == 0 {
			ps.At(key+".platforms", "must list at least one platform, or be left out for %s", DefaultPlatform)
		}
		seen := map[pin.Platform]int{}
		for j, name := range m.Platforms {
			k := fmt.Sprintf("%s.platforms[%d]", key, j)
			p, err := pin.ParsePlatform(name)
			if err != nil {
				ps.At(k, "%v", err)
				continue
			}
			p.Name = ""
			if first, dup := seen[p]; dup {
				ps.At(k, "is the same platform as platforms[%d]", first)
			}
			seen[p] = j
		}
	}
	if _, ok := verify.ParseMode(string(c.Verify.Mode)); !ok {
		ps.At("verify.mode", "must be full, metadata or auto, not %q", c.Verify.Mode)
	}

	ti := &c.TrackingIssue
	if len(ti.Labels) == 0 {
		ti.Labels = []string{issues.DefaultLabel} // what issues.Decide does with none
	}
	checkList(ps, "tracking_issue.labels", ti.Labels, strings.ToLower, checkLabel)
	checkList(ps, "tracking_issue.assignees", ti.Assignees, strings.ToLower, checkLogin)
	if len(ti.Assignees) > maxAssignees {
		ps.At("tracking_issue.assignees", "lists %d people; GitHub allows at most %d assignees", len(ti.Assignees), maxAssignees)
	}

	if msg := checkBranch(c.FixPR.Branch); msg != "" {
		ps.At("fix_pr.branch", "%s", msg)
	}
	checkList(ps, "fix_pr.reviewers", c.FixPR.Reviewers, strings.ToLower, checkLogin)
}

func (c *Config) validateSymbols(ps *strictyaml.Problems, m *Manifest, key string) {
	if m.Symbols == nil {
		m.Symbols = slices.Clone(pin.DefaultSymbols)
		m.defaultSymbols = true
		return
	}
	if len(m.Symbols) == 0 {
		ps.At(key, "must list at least one symbol, or be left out for %s", strings.Join(pin.DefaultSymbols, ", "))
		return
	}
	if slices.Contains(m.Symbols, pin.AllSymbols) && len(m.Symbols) > 1 {
		ps.At(key, "%q means every module-level name, so it must be the only symbol", pin.AllSymbols)
		return
	}
	if m.Symbols[0] == pin.AllSymbols {
		return
	}
	checkList(ps, key, m.Symbols, nil, checkIdentifier)
}

// checkList checks each entry of a list and that none repeats, comparing
// entries through fold when it is set.
func checkList(ps *strictyaml.Problems, key string, list []string, fold func(string) string, check func(string) string) {
	first := map[string]int{}
	for i, v := range list {
		k := fmt.Sprintf("%s[%d]", key, i)
		if msg := check(v); msg != "" {
			ps.At(k, "%s", msg)
			continue
		}
		norm := v
		if fold != nil {
			norm = fold(v)
		}
		if j, dup := first[norm]; dup {
			ps.At(k, "%q is already listed as %s[%d]", v, key[strings.LastIndexByte(key, '.')+1:], j)
			continue
		}
		first[norm] = i
	}
}

// checkManifestPath requires a clean relative path to a file inside the
// repository; validateFormat checks that its format is one pindrift reads.
func checkManifestPath(p string) string {
	switch {
	case p == "":
		return "is required: the manifest's path from the repository root"
	case strings.ContainsRune(p, '\\'):
		return "must use / between directories"
	case strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "must not contain control characters"
	case path.IsAbs(p), slices.Contains(strings.Split(p, "/"), ".."):
		return "must be a relative path inside the repository"
	case path.Clean(p) != p:
		return fmt.Sprintf("must be written as %q", path.Clean(p))
	case strings.HasSuffix(p, "/"):
		return "must name a file, not a directory"
	}
	return ""
}

// validateFormat checks m's format: key, or without one that pindrift
// can tell the format from the path, leaving m.Format as the pin.Format
// it names. A path problem is left to checkManifestPath.
func (c *Config) validateFormat(ps *strictyaml.Problems, m *Manifest, key string) {
	if m.Format != "" {
		f, err := pin.ParseFormat(string(m.Format))
		if err != nil {
			ps.At(key+".format", "%v", err)
			return
		}
		m.Format = f
		return
	}
	if checkManifestPath(m.Path) != "" {
		return
	}
	_, err := extract.Detect(m.Path)
	var unsupported *extract.UnsupportedError
	switch {
	case errors.As(err, &unsupported):
		ps.At(key+".path", "is %s, a format pindrift does not read yet", unsupported.Format)
	case err != nil:
		ps.At(key+".path", "does not say its format (.py, .bzl, .json, .yaml, .toml, BUILD, ...): name it with format: %s",
			formatNames())
	}
}

// formatNames lists the values format: takes, as "a, b or c".
func formatNames() string {
	names := make([]string, len(pin.Formats))
	for i, f := range pin.Formats {
		names[i] = string(f)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// checkPattern checks a url_fields or digest_fields entry.
func checkPattern(p string) string {
	if err := pin.CheckPattern(p); err != nil {
		return err.Error()
	}
	return ""
}

func checkLabel(l string) string {
	switch {
	case strings.TrimSpace(l) == "":
		return "must not be empty"
	case strings.TrimSpace(l) != l:
		return fmt.Sprintf("%q has spaces around it", l)
	case len([]rune(l)) > maxLabelLength:
		return fmt.Sprintf("is longer than GitHub's %d characters", maxLabelLength)
	}
	return ""
}
