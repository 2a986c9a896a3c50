package onboard

import (
	"bytes"
	"fmt"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
)

// Decide works out onboarding's next step:
//   - a configured repository: nothing, and a "/pindrift onboard" hears
//     that it is configured already;
//   - the owner turned onboarding off: nothing, unless asked;
//   - an onboarding PR that was closed unmerged, or merged (the
//     configuration has since been removed): the repository said no, so
//     nothing, unless asked;
//   - otherwise discovery runs (Plan.Discover) and, when it found pins,
//     one commit adding the configuration on Branch from the default
//     branch's head (skipped when the branch already holds exactly that)
//     and one PR, created or brought up to date. An open PR is never
//     doubled; a branch someone else committed to is never moved.
//
// Nothing found opens nothing; an asker hears why.
func Decide(f Facts) Plan {
	answer := func(skip, body string) Plan {
		p := Plan{Skip: skip}
		if f.Asked != nil {
			p.Reply = &Reply{Issue: f.Asked.Issue, Body: body}
		}
		return p
	}
	if f.Configured {
		return answer("configured already", configuredReply(f))
	}
	if f.Off && f.Asked == nil {
		return Plan{Skip: "onboarding is off for this owner (onboarding: false in its .github repository)"}
	}
	var open, latest *PR
	merged := 0
	for i := range f.PRs {
		pr := &f.PRs[i]
		if latest == nil {
			latest = pr
		}
		if pr.Open && open == nil {
			open = pr
		}
		if pr.Merged && merged == 0 {
			merged = pr.Number
		}
	}
	if f.Asked == nil && open == nil {
		switch {
		case merged != 0:
			return Plan{Skip: fmt.Sprintf("onboarding PR #%d was merged and the configuration removed since; not proposed again unless asked", merged)}
		case latest != nil:
			return Plan{Skip: fmt.Sprintf("onboarding PR #%d was closed unmerged; not proposed again unless asked", latest.Number)}
		}
	}
	if f.Found == nil {
		return Plan{Discover: true}
	}
	if pinned(f) == 0 {
		if open != nil {
			return answer(fmt.Sprintf("discovery finds no pins now; #%d left for people to close", open.Number),
				fmt.Sprintf("pindrift finds no pins on %s now, so the configuration proposed in #%d would verify nothing: close it if it is not wanted.\n\n%s",
					markdown.Code(f.DefaultBranch), open.Number, nothingFound(f)))
		}
		return answer("no pins found", nothingFoundReply(f))
	}
	if f.Branch != nil && !f.Branch.OnlyApp {
		why := fmt.Sprintf("the branch %s holds commits pindrift did not make (or none of its own), so pindrift neither pushes to it nor replaces it", markdown.Code(Branch))
		if open != nil {
			return answer("someone else committed to the onboarding branch; left alone",
				fmt.Sprintf("The configuration is proposed in #%d already. pindrift no longer updates it: %s.", open.Number, why))
		}
		return answer("the onboarding branch is not the App's",
			fmt.Sprintf("pindrift found pins to verify, but %s. Delete the branch and ask again with %s.", why, markdown.Code(Command)))
	}

	var p Plan
	if f.Branch == nil || !bytes.Equal(f.Branch.Files[f.ConfigPath], f.Config) {
		p.Push = &fixpr.Push{Branch: Branch, Base: f.BaseCommit, Files: []fixpr.File{{Path: f.ConfigPath, Content: f.Config}}, Message: CommitMessage}
	}
	body := Body(f)
	switch {
	case open == nil:
		p.CreatePR = &fixpr.NewPR{Title: Title, Body: body, Head: Branch, Base: f.DefaultBranch}
		if f.Asked != nil {
			p.Announce = f.Asked.Issue
		}
	case open.Body != body:
		p.UpdatePR = &fixpr.PRUpdate{Number: open.Number, Title: Title, Body: body}
	}
	if open != nil && f.Asked != nil {
		p.Reply = &Reply{Issue: f.Asked.Issue, Body: fmt.Sprintf(
			"The configuration pindrift found is proposed in #%d already, which is up to date now: merge it to start verifying.", open.Number)}
	}
	if p.Push == nil && p.CreatePR == nil && p.UpdatePR == nil {
		p.Skip = fmt.Sprintf("onboarding PR #%d is up to date", open.Number)
	}
	return p
}

// pinned counts the files discovery found pins in: the ones the
// configuration lists.
func pinned(f Facts) int {
	n := 0
	for _, file := range f.Found.Files {
		if file.Pins > 0 {
			n++
		}
	}
	return n
}
