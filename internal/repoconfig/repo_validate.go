package repoconfig

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/strictyaml"
	"github.com/pindrift/pindrift/internal/verify"
)

// validate reports every invalid setting and fills in the per-manifest
// defaults.
func (c *Config) validate(ps *strictyaml.Problems) {
	if len(c.Manifests) == 0 {
		ps.At("manifests", "must list at least one manifest, e.g. - path: src/pkg/pins.py")
	}
	firstPath := map[string]int{}
	for i := range c.Manifests {
		m := &c.Manifests[i]
		key := fmt.Sprintf("manifests[%d]", i)
		if msg := checkManifestPath(m.Path); msg != "" {
			ps.At(key+".path", "%s", msg)
		} else if j, dup := firstPath[m.Path]; dup {
			ps.At(key+".path", "%s is already listed as manifests[%d]", m.Path, j)
		} else {
			firstPath[m.Path] = i
		}
		c.validateSymbols(ps, m, key+".symbols")
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

// checkManifestPath requires a clean relative path to a Python file
// inside the repository.
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
	case !strings.HasSuffix(p, ".py") || p == ".py" || strings.HasSuffix(p, "/.py"):
		return "must name a Python file (.py)"
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
