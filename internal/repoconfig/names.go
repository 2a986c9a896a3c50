package repoconfig

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// pythonKeywords cannot name a module-level symbol. Soft keywords (match,
// case, type, _) can.
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true,
	"await": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true,
	"pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}

// checkIdentifier accepts a Python identifier: a letter or _ followed by
// letters, digits and _, not a keyword.
func checkIdentifier(s string) string {
	valid := s != ""
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			valid = false
			break
		}
	}
	switch {
	case !valid:
		return fmt.Sprintf("%q is not a Python identifier", s)
	case pythonKeywords[s]:
		return fmt.Sprintf("%q is a Python keyword, not a name", s)
	}
	return ""
}

// checkLogin accepts a GitHub user login: up to 39 letters, digits and
// hyphens, not starting or ending with a hyphen.
func checkLogin(s string) string {
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		return fmt.Sprintf("%q: give the login without @, e.g. %q", s, rest)
	}
	valid := s != "" && len(s) <= 39 && s[0] != '-' && s[len(s)-1] != '-'
	for _, r := range s {
		if !(r == '-' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			valid = false
		}
	}
	if !valid {
		return fmt.Sprintf("%q is not a GitHub user login", s)
	}
	return ""
}

// checkBranch applies git's rules for a branch name (git check-ref-format
// --branch), so that pushing the fix PR's branch cannot fail on its name.
func checkBranch(b string) string {
	bad := func(why string) string { return fmt.Sprintf("%q is not a valid git branch name: %s", b, why) }
	switch {
	case b == "":
		return "must not be empty"
	case strings.HasPrefix(b, "refs/"):
		return bad("give the branch name without refs/heads/")
	case b == "HEAD" || b == "@":
		return bad("it is reserved")
	case strings.HasPrefix(b, "-"):
		return bad("it starts with -")
	case strings.ContainsFunc(b, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return bad("it contains a space or control character")
	case strings.ContainsAny(b, "~^:?*[\\"):
		return bad(`it contains one of ~ ^ : ? * [ \`)
	case strings.Contains(b, ".."):
		return bad("it contains ..")
	case strings.Contains(b, "@{"):
		return bad("it contains @{")
	case strings.HasPrefix(b, "/") || strings.HasSuffix(b, "/") || strings.Contains(b, "//"):
		return bad("it has an empty path component")
	case strings.HasSuffix(b, "."):
		return bad("it ends with .")
	}
	for _, part := range strings.Split(b, "/") {
		switch {
		case strings.HasPrefix(part, "."):
			return bad("a component starts with .")
		case strings.HasSuffix(part, ".lock"):
			return bad("a component ends with .lock")
		}
	}
	return ""
}
