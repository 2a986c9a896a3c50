package webhook

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/issues"
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
	var e github.IssueCommentEvent
	if err := decode(payload, &e); err != nil {
		return err
	}
	ctx, id, owner, name, ok, err := forRepo(ctx, e.Installation, e.GetRepo())
	if !ok {
		return err
	}
	issue, commenter := e.GetIssue(), e.GetComment().GetUser()
	switch {
	case e.GetAction() != "created":
		return ignore(ctx, "issue_comment "+e.GetAction())
	case !strings.EqualFold(strings.TrimSpace(e.GetComment().GetBody()), RecheckCommand):
		return nil // most comments are not for pindrift; not worth a log line
	case issue.IsPullRequest():
		return ignore(ctx, "recheck asked on a pull request")
	case !strings.Contains(issue.GetBody(), issues.Marker) || !strings.EqualFold(issue.GetUser().GetLogin(), h.AppLogin):
		return ignore(ctx, fmt.Sprintf("recheck asked on #%d, not a tracking issue", issue.GetNumber()))
	case isBot(commenter):
		return ignore(ctx, "recheck asked by a bot ("+commenter.GetLogin()+")")
	}
	return enqueueVerify(ctx, h.Queue, VerifyJob{
		InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID,
		Trigger:      fmt.Sprintf("%s by @%s on #%d", RecheckCommand, commenter.GetLogin(), issue.GetNumber()),
		RequireWrite: commenter.GetLogin(), Issue: issue.GetNumber(),
	})
}

func isBot(u *github.User) bool {
	return u.GetType() == "Bot" || strings.HasSuffix(u.GetLogin(), "[bot]")
}
