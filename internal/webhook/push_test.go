package webhook

import (
	"fmt"
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
)

const pushedSHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"

// pushToMaster turns the push fixture, a tag deletion, into a push of
// commits to the repository's default branch; the rest of the payload
// (repository, pusher, sender) stays GitHub's.
func pushToMaster(commits ...map[string]any) func(p map[string]any) {
	return func(p map[string]any) {
		p["ref"] = "refs/heads/master"
		p["before"] = "6113728f27ae82c7b1a177c8d03f9e96e0adf246"
		p["after"] = pushedSHA
		p["deleted"] = false
		p["created"] = false
		p["forced"] = false
		list := []any{}
		for _, c := range commits {
			list = append(list, c)
		}
		p["commits"] = list
		if len(commits) > 0 {
			p["head_commit"] = commits[len(commits)-1]
		}
	}
}

func commit(id int, added, modified, removed []string) map[string]any {
	return map[string]any{
		"id": fmt.Sprintf("%040x", id), "tree_id": fmt.Sprintf("%040x", id+1000), "distinct": true,
		"message": "Update images", "timestamp": "2019-05-15T15:20:30-05:00",
		"url":    fmt.Sprintf("https://github.com/Codertocat/Hello-World/commit/%040x", id),
		"author": map[string]any{"name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com", "username": "Codertocat"},
		"added":  orEmpty(added), "modified": orEmpty(modified), "removed": orEmpty(removed),
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestPush(t *testing.T) {
	t.Parallel()
	job := func(paths []string) []runner.VerifyRequest {
		return []runner.VerifyRequest{{InstallationID: testInstallation, Owner: "Codertocat", Repo: "Hello-World",
			Trigger: "push 1a2b3c4 to master", DeliveryID: testDelivery, PushSHA: pushedSHA, Paths: paths}}
	}
	twenty := make([]map[string]any, 20)
	for i := range twenty {
		twenty[i] = commit(i, nil, []string{"src/smolvm/images/published.py"}, nil)
	}
	runDeliveries(t, map[string]deliveryCase{
		"commits to the default branch": {event: "push", body: fixture(t, "push", pushToMaster(
			commit(1, []string{"docs/new.md"}, []string{"src/smolvm/images/published.py"}, nil),
			commit(2, nil, []string{"README.md", "src/smolvm/images/published.py"}, []string{".github/pindrift.yml"}),
		)), wantVerify: job([]string{".github/pindrift.yml", "README.md", "docs/new.md", "src/smolvm/images/published.py"})},
		"an empty commit: nothing changed, known": {event: "push", body: fixture(t, "push", pushToMaster(commit(1, nil, nil, nil))),
			wantVerify: job([]string{})},
		"twenty commits: the list may be cut, paths unknown": {event: "push", body: fixture(t, "push", pushToMaster(twenty...)),
			wantVerify: job(nil)},
		"size beyond the listed commits: paths unknown": {event: "push", body: fixture(t, "push", func(p map[string]any) {
			pushToMaster(commit(1, nil, []string{"README.md"}, nil))(p)
			p["size"] = 25
		}), wantVerify: job(nil)},
		"forced push: paths unknown": {event: "push", body: fixture(t, "push", func(p map[string]any) {
			pushToMaster(commit(1, nil, []string{"README.md"}, nil))(p)
			p["forced"] = true
		}), wantVerify: job(nil)},
		"default branch created: paths unknown": {event: "push", body: fixture(t, "push", func(p map[string]any) {
			pushToMaster(commit(1, []string{"README.md"}, nil, nil))(p)
			p["created"] = true
			p["before"] = "0000000000000000000000000000000000000000"
		}), wantVerify: job(nil)},
		"the fixture as GitHub sent it: a tag deleted": {event: "push", body: fixture(t, "push", nil)},
		"another branch": {event: "push", body: fixture(t, "push", func(p map[string]any) {
			pushToMaster(commit(1, nil, []string{"src/smolvm/images/published.py"}, nil))(p)
			p["ref"] = "refs/heads/feature"
		})},
		"a tag named like the default branch": {event: "push", body: fixture(t, "push", func(p map[string]any) {
			pushToMaster(commit(1, nil, []string{"README.md"}, nil))(p)
			p["ref"] = "refs/tags/master"
		})},
		"default branch deleted": {event: "push", body: fixture(t, "push", func(p map[string]any) {
			pushToMaster()(p)
			p["deleted"] = true
			p["after"] = "0000000000000000000000000000000000000000"
		})},
	})
}
