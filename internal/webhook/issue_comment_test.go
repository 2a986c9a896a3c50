package webhook

import (
	"fmt"
	"testing"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/runner"
)

// issueCommentPayload is a comment by commenter on acme/microvm#31, a
// tracking issue opened by the App.
func issueCommentPayload(edit func(issue, comment map[string]any)) map[string]any {
	issue := map[string]any{
		"id": 444500041, "number": 31, "state": "open", "title": "Pinned assets no longer match their SHA-256",
		"body":     issues.Marker + "\n## 1 pinned asset drifted\n…",
		"user":     userPayload(testAppLogin, "Bot"),
		"labels":   []any{map[string]any{"name": "pin-drift"}},
		"html_url": "https://github.com/acme/microvm/issues/31",
	}
	comment := map[string]any{
		"id": 492700400, "body": "/pindrift recheck", "user": userPayload("octocat", "User"),
		"author_association": "MEMBER", "html_url": "https://github.com/acme/microvm/issues/31#issuecomment-492700400",
	}
	if edit != nil {
		edit(issue, comment)
	}
	return map[string]any{
		"action": "created", "issue": issue, "comment": comment,
		"repository": repoPayload("acme", "microvm", 100), "sender": comment["user"], "installation": installationPayload(),
	}
}

func TestIssueComment(t *testing.T) {
	t.Parallel()
	job := []runner.VerifyRequest{{InstallationID: testInstallation, Owner: "acme", Repo: "microvm",
		Trigger: "/pindrift recheck by @octocat on #31", DeliveryID: testDelivery, RequireWrite: "octocat", Issue: 31}}
	with := func(edit func(issue, comment map[string]any)) []byte { return encode(t, issueCommentPayload(edit)) }
	runDeliveries(t, map[string]deliveryCase{
		"recheck on the tracking issue": {event: "issue_comment", body: with(nil), wantVerify: job},
		"recheck, spaced and shouted": {event: "issue_comment", wantVerify: job,
			body: with(func(_, c map[string]any) { c["body"] = "  /PinDrift Recheck\r\n" })},
		"edited, not created": {event: "issue_comment", body: encode(t, func() map[string]any {
			p := issueCommentPayload(nil)
			p["action"] = "edited"
			return p
		}())},
		"another comment": {event: "issue_comment",
			body: with(func(_, c map[string]any) { c["body"] = "/pindrift recheck please" })},
		"by a bot": {event: "issue_comment",
			body: with(func(_, c map[string]any) { c["user"] = userPayload("dependabot[bot]", "Bot") })},
		"by the App itself": {event: "issue_comment",
			body: with(func(_, c map[string]any) { c["user"] = userPayload(testAppLogin, "Bot") })},
		"on an issue without the marker": {event: "issue_comment",
			body: with(func(i, _ map[string]any) { i["body"] = "Something is wrong with the kernel pins." })},
		"on an issue a person opened with the marker copied in": {event: "issue_comment",
			body: with(func(i, _ map[string]any) { i["user"] = userPayload("mallory", "User") })},
		"on a pull request": {event: "issue_comment",
			body: with(func(i, _ map[string]any) {
				i["pull_request"] = map[string]any{"url": "https://api.github.com/repos/acme/microvm/pulls/31"}
			})},
	})
}

func TestIssueCommentOnboard(t *testing.T) {
	t.Parallel()
	onboardOn := func(n int) []runner.VerifyRequest {
		return []runner.VerifyRequest{{InstallationID: testInstallation, Owner: "acme", Repo: "microvm",
			Trigger: fmt.Sprintf("/pindrift onboard by @octocat on #%d", n), DeliveryID: testDelivery,
			RequireWrite: "octocat", Issue: n, Onboard: true}}
	}
	// on is a comment saying body on issue 5, which a person opened.
	on := func(body string, edit func(issue, comment map[string]any)) []byte {
		return encode(t, issueCommentPayload(func(i, c map[string]any) {
			i["number"], i["body"], i["user"] = 5, "Could pindrift watch our pins?", userPayload("octocat", "User")
			c["body"] = body
			if edit != nil {
				edit(i, c)
			}
		}))
	}
	with := func(edit func(issue, comment map[string]any)) []byte { return encode(t, issueCommentPayload(edit)) }
	runDeliveries(t, map[string]deliveryCase{
		"on any issue":       {event: "issue_comment", body: on("/pindrift onboard", nil), wantVerify: onboardOn(5)},
		"spaced and shouted": {event: "issue_comment", body: on(" /PINDRIFT Onboard \n", nil), wantVerify: onboardOn(5)},
		"on the declined onboarding pull request": {event: "issue_comment", wantVerify: onboardOn(5),
			body: on("/pindrift onboard", func(i, _ map[string]any) {
				i["pull_request"] = map[string]any{"url": "https://api.github.com/repos/acme/microvm/pulls/5"}
			})},
		"on the tracking issue": {event: "issue_comment", wantVerify: onboardOn(31),
			body: with(func(_, c map[string]any) { c["body"] = "/pindrift onboard" })},
		"with more words": {event: "issue_comment", body: on("/pindrift onboard please", nil)},
		"by a bot": {event: "issue_comment",
			body: on("/pindrift onboard", func(_, c map[string]any) { c["user"] = userPayload("renovate[bot]", "Bot") })},
	})
}
