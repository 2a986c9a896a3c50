// Package fixlocal carries a computed fix out in a local checkout, for
// `bot fix`: --write replaces the manifest atomically (WriteFile), and
// --commit commits one or several manifests, in one commit, on a branch of
// the git repository with go-git (Repo). A commit changing one file has
// patch's one CommitMessage, the message of the fix pull request too. It
// is the local counterpart of fixpr, which carries the same fix out on
// GitHub.
//
// It imports patch, pin, pin/extract, markdown and shortsha (commit
// messages), and go-git; never verify's fetching, runner, server or
// GitHub. Its errors name bot fix's flags (--repo, --branch, --author)
// because that is the one caller.
package fixlocal
