package runner

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/verify"
)

// prOptions are the verification settings of a pull request by author:
// anyone may open one, so unless the author can write to the repository
// the run gets the smaller budget and takes GitHub's digests where it can
// instead of downloading.
func (r *Runner) prOptions(ctx context.Context, gh Repos, repo issues.Repo, author string) verify.Options {
	opts := r.d.Verify
	trusted, err := hasWrite(ctx, gh, repo, author)
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

// hasWrite reports whether login may push to the repository.
func hasWrite(ctx context.Context, gh Repos, repo issues.Repo, login string) (bool, error) {
	p, err := gh.Permission(ctx, repo, login)
	if err != nil {
		return false, fmt.Errorf("permission of %s on %s: %w", login, repo.FullName(), err)
	}
	switch p {
	case "admin", "maintain", "write":
		return true, nil
	}
	return false, nil
}
