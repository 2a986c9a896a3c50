package runner

import (
	"context"
	"net/http"

	"github.com/google/go-github/v62/github"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/verify"
	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// resolver reads release metadata for a run on home: with the
// installation's token for home and repositories no more private than
// it, without credentials for the others.
func (r *Runner) resolver(gh *github.Client, home *github.Repository) (*ghrelease.Resolver, error) {
	vis := home.GetVisibility()
	if vis == "" {
		vis = "public"
		if home.GetPrivate() {
			vis = "private"
		}
	}
	anon := r.d.Anonymous
	if anon == nil {
		anon = github.NewClient(&http.Client{Timeout: ghrelease.DefaultTimeout})
		anon.BaseURL = gh.BaseURL
	}
	return ghrelease.New(ghrelease.Options{WebURL: r.d.WebURL, Client: gh, Anonymous: anon,
		Home: &ghrelease.Repo{Owner: home.GetOwner().GetLogin(), Name: home.GetName(), Visibility: vis}})
}

// prOptions are the verification settings of a pull request by author:
// anyone may open one, so unless the author can write to the repository
// the run gets the smaller budget and takes GitHub's digests where it can
// instead of downloading.
func (r *Runner) prOptions(ctx context.Context, gh *github.Client, owner, name, author string) verify.Options {
	opts := r.d.Verify
	trusted, err := hasWrite(ctx, gh, owner, name, author)
	if err != nil {
		// Not knowing is not trusting; the check still runs.
		zerolog.Ctx(ctx).Warn().Err(err).Str("author", author).Msg("pull request author's permission unknown; using the untrusted budget")
	}
	if trusted && err == nil {
		return opts
	}
	if b := r.d.UntrustedPR; b.Bytes > 0 && (opts.MaxTotalBytes <= 0 || b.Bytes < opts.MaxTotalBytes) {
		opts.MaxTotalBytes, opts.BudgetName = b.Bytes, b.Name
	}
	opts.PreferDigest = true
	return opts
}
