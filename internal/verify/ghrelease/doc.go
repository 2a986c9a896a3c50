// Package ghrelease resolves GitHub release download URLs to asset
// metadata through the REST API, for verify.AssetResolver. It is the only
// place the verification engine meets go-github.
//
// Given the repository being verified (Options.Home), it reads with the
// App's credentials only the releases of that repository and of
// repositories no more private than it; the others are read without
// credentials, and whatever fails there reads the same (verify.
// ErrNotVisible). Private assets it may read are downloaded from the
// signed URL the API redirects to, never with the token. OriginGuard keeps
// credentials on the API's origin.
//
// It imports internal/verify and go-github. It must not import the code
// that acts on what verify found (issues, patch, remedy, runner, jobs,
// server) nor the App's HTTP layers (ghhttp): the App passes its
// installation's *github.Client (Options.Client), the CLI a token.
package ghrelease
