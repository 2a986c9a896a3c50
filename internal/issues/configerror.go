package issues

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
)

// DecideConfigError works out what the open tracking issue is told when
// the configuration file at path cannot be used because of problem:
// nothing when there is no open tracking issue, or when one of comments
// (the bodies of that issue's comments) already says it. Each distinct
// problem is said once, however many runs meet it, so the comment carries
// a marker derived from the problem's text.
func DecideConfigError(ex Existing, comments []string, path, problem string) *Comment {
	if len(ex.Open) == 0 {
		return nil
	}
	sum := sha256.Sum256([]byte(problem))
	marker := "<!-- pindrift:config-error:" + hex.EncodeToString(sum[:8]) + " -->"
	for _, c := range comments {
		if strings.Contains(c, marker) {
			return nil
		}
	}
	// The problem quotes the file: a fence no line of it can close, and a
	// body within GitHub's limit.
	head := fmt.Sprintf("%s\npindrift cannot use %s, so it stopped verifying this repository until the file is fixed:\n\n",
		marker, markdown.Code(path))
	body := head + markdown.BlockWithin("", 2*markdown.MaxInline, markdown.MaxBody-len(head), strings.Split(problem, "\n")...)
	return &Comment{Number: ex.Open[0].Number, Body: body}
}

// ApplyConfigError tells the open tracking issue, once per distinct
// problem, that the configuration at path is invalid. Without an open
// tracking issue there is nowhere to say it but the logs (and the check
// run of the next push that touches the file), so the problem comes back
// as the error, joined with any error of finding the issue.
func ApplyConfigError(ctx context.Context, c Client, repo Repo, path string, problem error) error {
	ex, err := c.TrackingIssues(ctx, repo)
	if err != nil || len(ex.Open) == 0 {
		return errors.Join(err, fmt.Errorf("configuration of %s: %w", repo.FullName(), problem))
	}
	number := ex.Open[0].Number
	comments, err := c.Comments(ctx, repo, number)
	if err != nil {
		return fmt.Errorf("list comments of #%d: %w", number, err)
	}
	cm := DecideConfigError(ex, comments, path, problem.Error())
	if cm == nil {
		return nil // said already
	}
	if err := c.PostComment(ctx, repo, cm.Number, cm.Body); err != nil {
		return fmt.Errorf("comment on #%d: %w", cm.Number, err)
	}
	return nil
}
