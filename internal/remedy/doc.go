// Package remedy acts on one verification of one repository's manifest:
// it computes the fix, brings the fix PR and the tracking issue up to date,
// and links them to each other. It is what a job runs after verifying; the
// decisions themselves live in issues.Decide and fixpr.Decide.
//
// It talks to GitHub only through issues.Client and fixpr.Client, so it
// imports the domain packages (issues, patch, patch/fixpr, verify, pin,
// pin/extract) and must not import their GitHub implementations (ghissues,
// ghfixpr), go-github, or the layers that call it (runner, jobs, webhook,
// server): the runner chooses the implementations.
package remedy
