// Package remedy acts on one verification of a repository's manifests:
// it computes the fix of every file that was read, brings the one fix PR
// (one commit across the files) and the one tracking issue (grouped by
// file) up to date, and links them to each other. It is what a job runs after verifying; the
// decisions themselves live in issues.Decide and fixpr.Decide.
//
// It talks to GitHub only through issues.Client and fixpr.Client, so it
// imports the domain packages (issues, patch, patch/fixpr, verify, pin,
// pin/extract) and must not import their GitHub implementations (ghissues,
// ghfixpr), go-github, or the layers that call it (runner, jobs, webhook,
// server): the runner chooses the implementations.
package remedy
