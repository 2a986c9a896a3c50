package repoconfig

import "testing"

func TestCheckBranch(t *testing.T) {
	t.Parallel()
	tests := map[string]string{ // branch -> problem, "" for valid
		"pindrift/resync":   "",
		"bots/pins-2024.05": "",
		"feature/über":      "",
		"":                  "must not be empty",
		"refs/heads/x":      `"refs/heads/x" is not a valid git branch name: give the branch name without refs/heads/`,
		"HEAD":              `"HEAD" is not a valid git branch name: it is reserved`,
		"@":                 `"@" is not a valid git branch name: it is reserved`,
		"-x":                `"-x" is not a valid git branch name: it starts with -`,
		"a b":               `"a b" is not a valid git branch name: it contains a space or control character`,
		"a\tb":              `"a\tb" is not a valid git branch name: it contains a space or control character`,
		"a~1":               `"a~1" is not a valid git branch name: it contains one of ~ ^ : ? * [ \`,
		"a^":                `"a^" is not a valid git branch name: it contains one of ~ ^ : ? * [ \`,
		"a:b":               `"a:b" is not a valid git branch name: it contains one of ~ ^ : ? * [ \`,
		"a?":                `"a?" is not a valid git branch name: it contains one of ~ ^ : ? * [ \`,
		"a*":                `"a*" is not a valid git branch name: it contains one of ~ ^ : ? * [ \`,
		"a[b":               `"a[b" is not a valid git branch name: it contains one of ~ ^ : ? * [ \`,
		`a\b`:               `"a\\b" is not a valid git branch name: it contains one of ~ ^ : ? * [ \`,
		"a..b":              `"a..b" is not a valid git branch name: it contains ..`,
		"a@{1}":             `"a@{1}" is not a valid git branch name: it contains @{`,
		"/a":                `"/a" is not a valid git branch name: it has an empty path component`,
		"a/":                `"a/" is not a valid git branch name: it has an empty path component`,
		"a//b":              `"a//b" is not a valid git branch name: it has an empty path component`,
		"a.":                `"a." is not a valid git branch name: it ends with .`,
		"a/.hidden":         `"a/.hidden" is not a valid git branch name: a component starts with .`,
		"a.lock":            `"a.lock" is not a valid git branch name: a component ends with .lock`,
		"pindrift.lock/x":   `"pindrift.lock/x" is not a valid git branch name: a component ends with .lock`,
	}
	for branch, want := range tests {
		t.Run(branch, func(t *testing.T) {
			t.Parallel()
			if got := checkBranch(branch); got != want {
				t.Errorf("checkBranch(%q) = %q, want %q", branch, got, want)
			}
		})
	}
}

func TestCheckLogin(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"octocat":  "",
		"a-b-c":    "",
		"A1":       "",
		"x":        "",
		"@octocat": `"@octocat": give the login without @, e.g. "octocat"`,
		"":         `"" is not a GitHub user login`,
		"-a":       `"-a" is not a GitHub user login`,
		"a-":       `"a-" is not a GitHub user login`,
		"a_b":      `"a_b" is not a GitHub user login`,
		"org/team": `"org/team" is not a GitHub user login`,
		"bot[bot]": `"bot[bot]" is not a GitHub user login`,
		"é":        `"é" is not a GitHub user login`,
		"a123456789012345678901234567890123456789": `"a123456789012345678901234567890123456789" is not a GitHub user login`,
	}
	for login, want := range tests {
		t.Run(login, func(t *testing.T) {
			t.Parallel()
			if got := checkLogin(login); got != want {
				t.Errorf("checkLogin(%q) = %q, want %q", login, got, want)
			}
		})
	}
}

func TestCheckIdentifier(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"MANIFEST":   "",
		"_private":   "",
		"kernels_v2": "",
		"match":      "", // a soft keyword is a valid name
		"ñame":       "",
		"":           `"" is not a Python identifier`,
		"2x":         `"2x" is not a Python identifier`,
		"a-b":        `"a-b" is not a Python identifier`,
		"a.b":        `"a.b" is not a Python identifier`,
		"None":       `"None" is a Python keyword, not a name`,
		"lambda":     `"lambda" is a Python keyword, not a name`,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := checkIdentifier(name); got != want {
				t.Errorf("checkIdentifier(%q) = %q, want %q", name, got, want)
			}
		})
	}
}
