package demo

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/webhook"
)

// deliver sends one webhook the way GitHub does: JSON body, event and
// delivery headers, HMAC-SHA256 signature with the App's secret, over
// HTTP to the App's hook. The App must acknowledge it with 200.
func (a *app) deliver(ctx context.Context, event string, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode the %s payload: %w", event, err)
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return err
	}
	mac := hmac.New(sha256.New, []byte(a.secret))
	mac.Write(body)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url+webhook.Route, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/demo")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", hex.EncodeToString(id))
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		return fmt.Errorf("deliver %s: %w", event, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return fmt.Errorf("deliver %s: the App answered %s: %s", event, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

// repository is the payloads' repository object, as GitHub sends it for
// the App's installation.
func repository(gh *ghfake.Server) *github.Repository {
	return &github.Repository{
		Name: github.String(repoName), FullName: github.String(owner + "/" + repoName),
		Owner:         &github.User{Login: github.String(owner), Type: github.String("Organization")},
		DefaultBranch: github.String(defaultBranch),
		HTMLURL:       github.String(gh.URL() + "/" + owner + "/" + repoName),
	}
}

// releaseEvent is the release webhook for action ("published", "edited").
func releaseEvent(gh *ghfake.Server, action, sender string) (*github.ReleaseEvent, error) {
	rel, ok := gh.Release(owner, repoName, releaseTag)
	if !ok {
		return nil, fmt.Errorf("the fake GitHub lost release %s", releaseTag)
	}
	return &github.ReleaseEvent{
		Action: github.String(action),
		Release: &github.RepositoryRelease{ID: github.Int64(rel.ID), TagName: github.String(rel.Tag),
			Name: github.String(rel.Name), Author: &github.User{Login: github.String(rel.Author)}},
		Repo:         repository(gh),
		Installation: &github.Installation{ID: github.Int64(installationID)},
		Sender:       &github.User{Login: github.String(sender)},
	}, nil
}

// pullRequestEvent is the pull_request "opened" webhook GitHub sends to
// every App subscribed to the repository's pull requests, the opener's
// included.
func pullRequestEvent(gh *ghfake.Server, pr ghfake.PullRequest) *github.PullRequestEvent {
	repo := repository(gh)
	return &github.PullRequestEvent{
		Action: github.String("opened"),
		Number: github.Int(pr.Number),
		PullRequest: &github.PullRequest{Number: github.Int(pr.Number), State: github.String(pr.State),
			Title: github.String(pr.Title), User: &github.User{Login: github.String(pr.Author)},
			Head: &github.PullRequestBranch{Ref: github.String(pr.Head), SHA: github.String(pr.HeadSHA), Repo: repo},
			Base: &github.PullRequestBranch{Ref: github.String(pr.Base), Repo: repo}},
		Repo:         repo,
		Installation: &github.Installation{ID: github.Int64(installationID)},
		Sender:       &github.User{Login: github.String(pr.Author)},
	}
}
