package webhook

import (
	"context"
	"fmt"
	"strings"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/runner"
)

// IssueComment verifies the repository again when a person comments
// "/pindrift recheck" on its tracking issue. Whether that person may ask
// is decided by the worker (RequireWrite), which can ask the API; the
// payload's author_association does not tell write access apart.
type IssueComment struct {
	Queue    Queue
	AppLogin string
}

var _ githubapp.EventHandler = &IssueComment{}

func (h *IssueComment) Handles() []string { return []string{"issue_comment"} }

func (h *IssueComment) Handle(ctx context.Context, _, deliveryID string, payload []byte) error {
	var e issueCommentEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	ctx, id, owner, name, ok, err := forRepo(ctx, &e.common)
	if !ok {
		return err
	}
	if e.Action != "created" {
		return ignore(ctx, "issue_comment "+e.Action)
	}
	if e.Comment == nil || !strings.EqualFold(strings.TrimSpace(e.Comment.Body), RecheckCommand) {
		return nil // most comments are not for pindrift; not worth a log line
	}
	issue, commenter := e.Issue, e.Comment.User
	switch {
	case issue == nil || commenter == nil || commenter.Login == "":
		return unusable("recheck comment without its issue or author")
	case isPresent(issue.PullRequest):
		return ignore(ctx, "recheck asked on a pull request")
	case !strings.Contains(issue.Body, issues.Marker) || issue.User == nil || !strings.EqualFold(issue.User.Login, h.AppLogin):
		return ignore(ctx, fmt.Sprintf("recheck asked on #%d, not a tracking issue", issue.Number))
	case isBot(commenter):
		return ignore(ctx, "recheck asked by a bot ("+commenter.Login+")")
	}
	return enqueueVerify(ctx, h.Queue, runner.VerifyRequest{
		InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID,
		Trigger:      fmt.Sprintf("%s by @%s on #%d", RecheckCommand, commenter.Login, issue.Number),
		RequireWrite: commenter.Login, Issue: issue.Number,
	})
}

func isBot(u *account) bool {
	return u.Type == "Bot" || strings.HasSuffix(u.Login, "[bot]")
}

// isPresent reports whether an optional object field is there and not
// null.
func isPresent(raw []byte) bool {
	return len(raw) > 0 && string(raw) != "null"
}
