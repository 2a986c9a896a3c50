// Package onboard decides and describes the onboarding pull request: for a
// repository with no pindrift configuration, one PR on the App's branch
// (Branch) that adds the .github/pindrift.yml discovery wrote, and whose
// body says what was found, what was left unresolved and what the App
// will do once it is merged. Decide is a pure function of what GitHub
// holds and what discovery found; a Client carries the plan out. The App
// never pushes to the default branch and never merges.
//
// A PR closed unmerged is the repository saying no: no further PR until a
// person with write access asks with "/pindrift onboard".
//
// It imports discover, fixpr (whose branch and PR types it shares),
// issues and markdown; never runner, jobs, webhook or server, which call
// it, nor go-github: the Client interface is GitHub's only door, and
// ghonboard is its implementation.
package onboard
