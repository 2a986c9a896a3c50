// Package ghfixpr is the GitHub implementation of fixpr.Client, on
// go-github. Commits are made through the Git Data API (blob, tree,
// commit, ref) with the installation's token, so GitHub records and signs
// them as the App.
//
// It imports internal/patch/fixpr, internal/issues and ghissues (for
// CommentOnce) and go-github. It must not import the packages that use
// fixpr.Client (remedy, runner) nor anything above them.
package ghfixpr
