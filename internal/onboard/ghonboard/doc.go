// Package ghonboard is the GitHub implementation of onboard.Client, on
// go-github. It only translates: the branch and pull request writes go
// through ghfixpr, whose guards (never the default branch, never a branch
// holding someone else's commits) apply to the onboarding branch too.
// It must not import runner or anything above it.
package ghonboard
