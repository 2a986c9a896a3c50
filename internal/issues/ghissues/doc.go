// Package ghissues is the GitHub implementation of issues.Client, on
// go-github, and CommentOnce, the one way the App comments on an issue or
// a pull request (it does not repeat its own latest comment, so a retried
// job writes nothing new).
//
// It imports internal/issues and go-github. It must not import the
// packages that use issues.Client (remedy, runner) nor anything above
// them: runner and ghfixpr choose it, the domain code never does.
package ghissues
