package onboard

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/pin"
)

const (
	base       = "0123456789abcdef0123456789abcdef01234567"
	configPath = ".github/pindrift.yml"
	config     = "manifests:\n  - path: images/published.py\n"
)

func found() *discover.Result {
	return &discover.Result{Files: []discover.File{
		{Path: "images/published.py", Format: pin.Python, Pins: 3,
			Unresolved: []pin.Finding{{Line: 12, Column: 5, Message: "digest assembled at run time"}}},
	}}
}

// facts are those of a repository with no configuration and no PR, as
// Decide first sees them (before discovery).
func facts(edit func(f *Facts)) Facts {
	f := Facts{Repo: issues.Repo{Owner: "acme", Name: "microvm"}, DefaultBranch: "main", BaseCommit: base, ConfigPath: configPath}
	if edit != nil {
		edit(&f)
	}
	return f
}

// discovered sets what discovery found.
func discovered(f *Facts) { f.Found, f.Config = found(), []byte(config) }

func asked(f *Facts) { f.Asked = &Request{Login: "octocat", Issue: 7} }

func TestDecide(t *testing.T) {
	t.Parallel()
	push := &fixpr.Push{Branch: Branch, Base: base, Files: []fixpr.File{{Path: configPath, Content: []byte(config)}}, Message: CommitMessage}
	newPR := func(f Facts) *fixpr.NewPR {
		return &fixpr.NewPR{Title: Title, Body: Body(f), Head: Branch, Base: "main"}
	}
	closed := []PR{{Number: 4, Body: "old"}}
	tests := map[string]struct {
		facts Facts
		// want builds the expected plan from the facts (Body is rendered
		// from them); skipHas is a substring of Plan.Skip, which is for
		// logs and otherwise free.
		want    func(f Facts) Plan
		skipHas string
	}{
		"new repository: discover first": {
			facts: facts(nil),
			want:  func(Facts) Plan { return Plan{Discover: true} },
		},
		"found pins: push the configuration and open the PR": {
			facts: facts(discovered),
			want:  func(f Facts) Plan { return Plan{Push: push, CreatePR: newPR(f)} },
		},
		"branch left from an earlier try holds the same configuration: no push": {
			facts: facts(func(f *Facts) {
				discovered(f)
				f.Branch = &fixpr.Branch{Head: "b1", Parent: base, OnlyApp: true, Files: map[string][]byte{configPath: []byte(config)}}
			}),
			want: func(f Facts) Plan { return Plan{CreatePR: newPR(f)} },
		},
		"branch of the App with another configuration: moved": {
			facts: facts(func(f *Facts) {
				discovered(f)
				f.Branch = &fixpr.Branch{Head: "b1", Parent: "old", OnlyApp: true, Files: map[string][]byte{configPath: []byte("manifests: []\n")}}
			}),
			want: func(f Facts) Plan { return Plan{Push: push, CreatePR: newPR(f)} },
		},
		"branch someone else committed to: left alone": {
			facts: facts(func(f *Facts) {
				discovered(f)
				f.Branch = &fixpr.Branch{Head: "b1", OnlyApp: false}
			}),
			want:    func(Facts) Plan { return Plan{Skip: "the onboarding branch is not the App's"} },
			skipHas: "not the App's",
		},
		"nothing found: no PR": {
			facts: facts(func(f *Facts) { f.Found = &discover.Result{} }),
			want:  func(Facts) Plan { return Plan{Skip: "no pins found"} },
		},
		"only candidates without pins: no PR": {
			facts: facts(func(f *Facts) {
				f.Found = &discover.Result{Unpaired: []discover.File{{Path: "a.json", Format: pin.JSON,
					Unresolved: []pin.Finding{{Line: 1, Column: 1, Message: "digest with no URL"}}}}}
			}),
			want: func(Facts) Plan { return Plan{Skip: "no pins found"} },
		},
		"open PR: discovery runs again to keep it up to date": {
			facts: facts(func(f *Facts) { f.PRs = []PR{{Number: 9, Open: true}} }),
			want:  func(Facts) Plan { return Plan{Discover: true} },
		},
		"open PR up to date: nothing": {
			facts: facts(func(f *Facts) {
				discovered(f)
				f.Branch = &fixpr.Branch{Head: "b1", Parent: base, OnlyApp: true, Files: map[string][]byte{configPath: []byte(config)}}
				f.PRs = []PR{{Number: 9, Open: true, Body: Body(*f)}}
			}),
			want:    func(Facts) Plan { return Plan{Skip: "onboarding PR #9 is up to date"} },
			skipHas: "#9",
		},
		"open PR whose findings changed: body updated, branch moved": {
			facts: facts(func(f *Facts) {
				discovered(f)
				f.Branch = &fixpr.Branch{Head: "b1", Parent: base, OnlyApp: true, Files: map[string][]byte{configPath: []byte("manifests:\n  - path: old.py\n")}}
				f.PRs = []PR{{Number: 9, Open: true, Body: "old body"}}
			}),
			want: func(f Facts) Plan {
				return Plan{Push: push, UpdatePR: &fixpr.PRUpdate{Number: 9, Title: Title, Body: Body(f)}}
			},
		},
		"open PR, but nothing found any more: left for people": {
			facts: facts(func(f *Facts) {
				f.Found = &discover.Result{}
				f.PRs = []PR{{Number: 9, Open: true}}
			}),
			want:    func(Facts) Plan { return Plan{Skip: "discovery finds no pins now; #9 left for people to close"} },
			skipHas: "#9",
		},
		"closed unmerged: declined, no discovery": {
			facts:   facts(func(f *Facts) { f.PRs = closed }),
			want:    func(Facts) Plan { return Plan{Skip: "x"} },
			skipHas: "#4 was closed unmerged",
		},
		"declined long ago, then opened again by request and still open: kept up to date": {
			facts: facts(func(f *Facts) { f.PRs = []PR{{Number: 9, Open: true}, {Number: 4}} }),
			want:  func(Facts) Plan { return Plan{Discover: true} },
		},
		"merged, configuration since removed: not proposed again": {
			facts:   facts(func(f *Facts) { f.PRs = []PR{{Number: 4, Merged: true}} }),
			want:    func(Facts) Plan { return Plan{Skip: "x"} },
			skipHas: "#4 was merged",
		},
		"configured: nothing": {
			facts:   facts(func(f *Facts) { f.Configured = true }),
			want:    func(Facts) Plan { return Plan{Skip: "configured already"} },
			skipHas: "configured",
		},
		"off for the owner": {
			facts:   facts(func(f *Facts) { f.Off = true }),
			want:    func(Facts) Plan { return Plan{Skip: "x"} },
			skipHas: "onboarding: false",
		},
		"asked after a decline: discover": {
			facts: facts(func(f *Facts) { asked(f); f.PRs = closed }),
			want:  func(Facts) Plan { return Plan{Discover: true} },
		},
		"asked after a decline, found pins: a new PR, announced on the issue": {
			facts: facts(func(f *Facts) {
				asked(f)
				discovered(f)
				f.PRs = closed
				f.Branch = &fixpr.Branch{Head: "b1", Parent: base, OnlyApp: true, Files: map[string][]byte{configPath: []byte(config)}}
			}),
			want: func(f Facts) Plan { return Plan{CreatePR: newPR(f), Announce: 7} },
		},
		"asked while onboarding is off: a person with write access overrides the owner's default": {
			facts: facts(func(f *Facts) { asked(f); f.Off = true }),
			want:  func(Facts) Plan { return Plan{Discover: true} },
		},
		"asked on a configured repository: told so": {
			facts: facts(func(f *Facts) { asked(f); f.Configured = true }),
			want: func(f Facts) Plan {
				return Plan{Skip: "configured already", Reply: &Reply{Issue: 7, Body: configuredReply(f)}}
			},
		},
		"asked, nothing found: told why": {
			facts: facts(func(f *Facts) { asked(f); f.Found = &discover.Result{} }),
			want: func(f Facts) Plan {
				return Plan{Skip: "no pins found", Reply: &Reply{Issue: 7, Body: nothingFoundReply(f)}}
			},
		},
		"asked while a PR is open: pointed at it": {
			facts: facts(func(f *Facts) {
				asked(f)
				discovered(f)
				f.Branch = &fixpr.Branch{Head: "b1", Parent: base, OnlyApp: true, Files: map[string][]byte{configPath: []byte(config)}}
				f.PRs = []PR{{Number: 9, Open: true, Body: Body(*f)}}
			}),
			want: func(Facts) Plan {
				return Plan{Skip: "onboarding PR #9 is up to date", Reply: &Reply{Issue: 7,
					Body: "The configuration pindrift found is proposed in #9 already, which is up to date now: merge it to start verifying."}}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Decide(tc.facts)
			want := tc.want(tc.facts)
			if tc.skipHas != "" {
				if !strings.Contains(got.Skip, tc.skipHas) {
					t.Errorf("Skip = %q, want it to say %q", got.Skip, tc.skipHas)
				}
				want.Skip = got.Skip
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
			if got.Push != nil && got.Push.Branch == tc.facts.DefaultBranch {
				t.Errorf("plan pushes to the default branch")
			}
		})
	}
}
