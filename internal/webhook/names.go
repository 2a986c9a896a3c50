package webhook

import "fmt"

// maxNameLength bounds an owner's login and a repository's name. GitHub
// caps repository names at 100 characters and logins at 39, but managed
// enterprise users' logins carry an "_shortcode" suffix, so owners get
// the same 100: the bound is against hostile payloads, not a copy of
// GitHub's account rules.
const maxNameLength = 100

// badNameError is a signed payload naming a repository GitHub could not
// have: it would become a path in API requests ("../.." walks out of
// /repos/), so nothing is done with it.
type badNameError struct {
	what, name, why string
}

func (e *badNameError) Error() string {
	return fmt.Sprintf("invalid repository %s %q in the payload: %s", e.what, e.name, e.why)
}

// checkRepoName accepts what GitHub allows: an owner of ASCII letters,
// digits, hyphens and underscores, and a repository name of those and
// dots other than "." and "..".
func checkRepoName(owner, name string) error {
	if why := checkName(owner, false); why != "" {
		return &badNameError{"owner", clip(owner), why}
	}
	if why := checkName(name, true); why != "" {
		return &badNameError{"name", clip(name), why}
	}
	return nil
}

func checkName(s string, dots bool) string {
	switch {
	case s == "":
		return "it is empty"
	case len(s) > maxNameLength:
		return fmt.Sprintf("it is %d bytes long; GitHub allows at most %d", len(s), maxNameLength)
	case s == "." || s == "..":
		return "it is a path element"
	}
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_':
		case r == '.' && dots:
		default:
			return fmt.Sprintf("it contains %q, which GitHub never allows", r)
		}
	}
	return ""
}

// clip keeps a log line and a response short whatever the payload holds.
func clip(s string) string {
	const n = 64
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
