package webhook

import (
	"context"
	"fmt"
	"strings"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/runner"
)

// IssueComment answers the App's commands in issue comments: "/pindrift
// recheck" on its tracking issue verifies the repository again, and
// "/pindrift onboard" on any issue or pull request asks for the
// onboarding pull request again (the way back after closing one). Whether
// the commenter may ask is decided by the worker (RequireWrite), which
// can ask the API; the payload's author_association does not tell write
// access apart.
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
	var command string
	if e.Comment != nil {
		switch body := strings.TrimSpace(e.Comment.Body); {
		case strings.EqualFold(body, RecheckCommand):
			command = RecheckCommand
		case strings.EqualFold(body, onboard.Command):
			command = onboard.Command
		}
	}
	if command == "" {
		return nil // most comments are not for pindrift; not worth a log line
	}
	issue, commenter := e.Issue, e.Comment.User
	switch {
	case issue == nil || commenter == nil || commenter.Login == "":
		return unusable("%s comment without its issue or author", command)
	case isBot(commenter):
		return ignore(ctx, command+" asked by a bot ("+commenter.Login+")")
	case command == onboard.Command:
		// Any issue or pull request will do, the declined onboarding PR
		// included: the repository has no tracking issue yet.
		return enqueueVerify(ctx, h.Queue, runner.VerifyRequest{
			InstallationID: id, Owner: owner, Repo: name, DeliveryID: deliveryID,
			Trigger:      fmt.Sprintf("%s by @%s on #%d", onboard.Command, commenter.Login, issue.Number),
			RequireWrite: commenter.Login, Issue: issue.Number, Onboard: true,
		})
	case isPresent(issue.PullRequest):
		return ignore(ctx, "recheck asked on a pull request")
	case !strings.Contains(issue.Body, issues.Marker) || issue.User == nil || !strings.EqualFold(issue.User.Login, h.AppLogin):
		return ignore(ctx, fmt.Sprintf("recheck asked on #%d, not a tracking issue", issue.Number))
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
