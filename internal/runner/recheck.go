package runner

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/issues"
)

// recheckTurn takes the repository's recheck turn, and reports whether
// the recheck runs. One refused within a window is answered on the
// tracking issue, once per window however many comments ask: a reply per
// comment would let a burst of comments make the App spam the issue.
func (r *Runner) recheckTurn(ctx context.Context, gh Repos, j VerifyRequest) (bool, error) {
	turn, err := r.d.Recheck(ctx, j.Owner, j.Repo, r.d.Now())
	if err != nil {
		return false, err
	}
	if turn.Allowed {
		return true, nil
	}
	zerolog.Ctx(ctx).Info().Str("user", j.RequireWrite).Time("last", turn.Last).Time("next", turn.Next).
		Bool("reply", turn.Reply).Msg("recheck asked too soon after the last one; not run")
	if !turn.Reply || j.Issue <= 0 {
		return false, nil
	}
	const at = "15:04:05 UTC"
	body := fmt.Sprintf("@%s A recheck of this repository already ran at %s; the next one can run from %s. "+
		"`/pindrift recheck` runs at most once every %s per repository, since each run downloads every pinned asset; "+
		"this is the only reply until then. Releases and pushes are still verified as they happen.",
		j.RequireWrite, turn.Last.UTC().Format(at), turn.Next.UTC().Format(at), turn.Next.Sub(turn.Last))
	if err := gh.Comment(ctx, issues.Repo{Owner: j.Owner, Name: j.Repo, WebURL: r.d.WebURL}, j.Issue, body); err != nil {
		// Not retried: the turn already counts this reply as posted, and
		// a missing "too soon" note loses nothing but the explanation.
		zerolog.Ctx(ctx).Warn().Err(err).Int("issue", j.Issue).Msg("could not answer a recheck asked too soon")
	}
	return false, nil
}
