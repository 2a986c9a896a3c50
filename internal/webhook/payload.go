package webhook

import (
	"encoding/json"
	"fmt"
)

// The payload types below hold only the fields the handlers read. GitHub's
// payloads carry hundreds of fields whose forms have changed over the
// years (a check run's app.created_at is "2018-04-25 20:42:10", a push's
// repository.created_at a Unix integer, elsewhere RFC 3339), and decoding
// a whole payload into go-github's structs fails a delivery on any of them.
// encoding/json skips what a type does not declare, so a field nobody reads
// can hold anything.

// account is a user or organization as payloads name it.
type account struct {
	Login string `json:"login"`
	Type  string `json:"type"`
}

// repoJSON is a payload's repository.
type repoJSON struct {
	ID            int64    `json:"id"`
	Name          string   `json:"name"`
	FullName      string   `json:"full_name"`
	Owner         *account `json:"owner"`
	DefaultBranch string   `json:"default_branch"`
}

func (r *repoJSON) owner() string {
	if r == nil || r.Owner == nil {
		return ""
	}
	return r.Owner.Login
}

// installationJSON is the installation GitHub adds to every App
// delivery.
type installationJSON struct {
	ID      int64    `json:"id"`
	Account *account `json:"account"`
}

func (i *installationJSON) id() int64 {
	if i == nil {
		return 0
	}
	return i.ID
}

func (i *installationJSON) account() string {
	if i == nil || i.Account == nil {
		return ""
	}
	return i.Account.Login
}

// common is what every repository event has.
type common struct {
	Action       string            `json:"action"`
	Installation *installationJSON `json:"installation"`
	Repository   *repoJSON         `json:"repository"`
	Sender       *account          `json:"sender"`
}

func (c *common) sender() string {
	if c.Sender == nil {
		return ""
	}
	return c.Sender.Login
}

type releaseEvent struct {
	common
	Release *struct {
		TagName string `json:"tag_name"`
	} `json:"release"`
}

type pushEvent struct {
	common
	Ref          string `json:"ref"`
	Before       string `json:"before"`
	After        string `json:"after"`
	Created      bool   `json:"created"`
	Deleted      bool   `json:"deleted"`
	Forced       bool   `json:"forced"`
	Size         *int   `json:"size"`
	DistinctSize *int   `json:"distinct_size"`
	Commits      []*struct {
		Added    []string `json:"added"`
		Modified []string `json:"modified"`
		Removed  []string `json:"removed"`
	} `json:"commits"`
}

type pullRequestEvent struct {
	common
	Number      int `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Head   *struct {
			SHA string `json:"sha"`
		} `json:"head"`
	} `json:"pull_request"`
}

type checkRunEvent struct {
	common
	CheckRun *struct {
		Name       string `json:"name"`
		HeadSHA    string `json:"head_sha"`
		ExternalID string `json:"external_id"`
		App        *struct {
			ID int64 `json:"id"`
		} `json:"app"`
		PullRequests []*struct {
			Number int `json:"number"`
			Base   *struct {
				Repo *struct {
					ID int64 `json:"id"`
				} `json:"repo"`
			} `json:"base"`
		} `json:"pull_requests"`
	} `json:"check_run"`
}

type issueCommentEvent struct {
	common
	Issue *struct {
		Number int      `json:"number"`
		Body   string   `json:"body"`
		User   *account `json:"user"`
		// PullRequest is present (an object) when the issue is a pull
		// request; its content does not matter.
		PullRequest json.RawMessage `json:"pull_request"`
	} `json:"issue"`
	Comment *struct {
		Body string   `json:"body"`
		User *account `json:"user"`
	} `json:"comment"`
}

// installationEvent is both installation and installation_repositories.
type installationEvent struct {
	Action            string            `json:"action"`
	Installation      *installationJSON `json:"installation"`
	Repositories      []*repoJSON       `json:"repositories"`
	RepositoriesAdded []*repoJSON       `json:"repositories_added"`
}

// decode reads a payload the dispatcher has authenticated into one of the
// types above. A payload that does not decode even so (not JSON, or a
// field a handler reads has another type) is unusable: redelivering it
// would fail the same way, so it is acknowledged and logged.
func decode(payload []byte, v any) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return badPayloadError{err}
	}
	return nil
}

// unusable is a signed payload that decodes but lacks what the handler
// needs.
func unusable(format string, args ...any) error {
	return badPayloadError{fmt.Errorf(format, args...)}
}
