package issues

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/strictyaml"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/markdown"
)

func TestDecideConfigError(t *testing.T) {
	t.Parallel()
	const (
		path    = ".github/pindrift.yml"
		problem = ".github/pindrift.yml:3:5: verify.mode: must be full, metadata or auto, not \"fast\""
	)
	open := Existing{Open: []Issue{{Number: 4, Open: true}, {Number: 9, Open: true}}}
	said := DecideConfigError(open, nil, path, problem)
	if said.Comment == nil {
		t.Fatal("nothing said on an open tracking issue without comments")
	}
	created := DecideConfigError(Existing{}, nil, path, problem)
	if created.Create == nil {
		t.Fatal("no issue opened without a tracking issue")
	}
	ownIssue := Existing{Open: []Issue{{Number: 6, Open: true, Body: created.Create.Body}}}
	huge := strings.Repeat("```\nline of the file that goes on and on\n", 5000)
	tests := map[string]struct {
		ex       Existing
		comments []string
		problem  string
		// wantComment is the issue commented on, wantCreate whether an
		// issue is opened; neither: nothing is said.
		wantComment int
		wantCreate  bool
		contains    string // in the body
	}{
		"no open tracking issue: an issue of its own": {ex: Existing{}, problem: problem, wantCreate: true,
			contains: "verify.mode: must be full"},
		"only a closed tracking issue": {ex: Existing{LastClosed: &Issue{Number: 2}}, problem: problem, wantCreate: true,
			contains: "pindrift closes this issue once the file is valid again"},
		"first time":   {ex: open, problem: problem, wantComment: 4, contains: "verify.mode: must be full"},
		"said already": {ex: open, comments: []string{"hello", said.Comment.Body}, problem: problem},
		"said already, quoted by a person": {ex: open, comments: []string{"> " + strings.ReplaceAll(said.Comment.Body, "\n", "\n> ")},
			problem: problem},
		"said by the body of its own issue": {ex: ownIssue, problem: problem},
		"another problem on its own issue": {ex: ownIssue, problem: "manifests[0]: path is required", wantComment: 6,
			contains: "path is required"},
		"another problem": {ex: open, comments: []string{said.Comment.Body}, problem: "manifests[0]: path is required", wantComment: 4,
			contains: "path is required"},
		"names the file":                           {ex: open, problem: problem, wantComment: 4, contains: markdown.Code(path)},
		"a problem over GitHub's limit":            {ex: open, problem: huge, wantComment: 4, contains: "pindrift cannot use"},
		"a problem over GitHub's limit, own issue": {ex: Existing{}, problem: huge, wantCreate: true, contains: "once the file is valid again"},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			p := DecideConfigError(tc.ex, tc.comments, path, tc.problem)
			var body string
			switch {
			case tc.wantCreate:
				if p.Create == nil || p.Comment != nil {
					t.Fatalf("plan %+v, want a new issue only", p)
				}
				if p.Create.Title != "pindrift cannot use .github/pindrift.yml" || !cmp.Equal(p.Create.Labels, []string{DefaultLabel}) {
					t.Errorf("new issue titled %q labelled %q", p.Create.Title, p.Create.Labels)
				}
				body = p.Create.Body
				if !strings.Contains(body, Marker) || !strings.Contains(body, configIssueMarker) {
					t.Errorf("the new issue lacks the markers it is found again by:\n%s", body)
				}
			case tc.wantComment != 0:
				if p.Comment == nil || p.Create != nil || p.Comment.Number != tc.wantComment {
					t.Fatalf("plan %+v, want a comment on #%d only", p, tc.wantComment)
				}
				body = p.Comment.Body
			default:
				if !p.Empty() {
					t.Fatalf("plan %+v, want nothing said", p)
				}
				return
			}
			if !strings.Contains(body, "<!-- pindrift:config-error:") || !strings.Contains(body, tc.contains) {
				t.Errorf("body lacks the marker or %q:\n%s", tc.contains, body)
			}
			if len(body) > markdown.MaxBody {
				t.Errorf("body is %d bytes, over GitHub's %d", len(body), markdown.MaxBody)
			}
		})
	}
}

func TestDecideConfigFixed(t *testing.T) {
	t.Parallel()
	repo := Repo{Owner: "acme", Name: "images"}
	own := DecideConfigError(Existing{}, nil, ".github/pindrift.yml", "verify.mode: bad").Create.Body
	tracking := "<!-- pindrift:tracking -->\ndrift"
	tests := map[string]struct {
		ex   Existing
		want []int // closed
	}{
		"nothing open":               {ex: Existing{}},
		"a tracking issue stays":     {ex: Existing{Open: []Issue{{Number: 3, Open: true, Body: tracking}}}},
		"its own issue closes":       {ex: Existing{Open: []Issue{{Number: 5, Open: true, Body: own}}}, want: []int{5}},
		"a duplicate of it too":      {ex: Existing{Open: []Issue{{Number: 5, Body: own}, {Number: 7, Body: own}}}, want: []int{5, 7}},
		"beside a tracking issue":    {ex: Existing{Open: []Issue{{Number: 3, Body: tracking}, {Number: 5, Body: own}}}, want: []int{5}},
		"a closed one is left alone": {ex: Existing{LastClosed: &Issue{Number: 5, Body: own}}},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			var got []int
			for _, c := range DecideConfigFixed(tc.ex, repo, strings.Repeat("a", 40), "nightly sweep") {
				got = append(got, c.Number)
				if strings.Contains(c.Body, Marker) || !strings.Contains(c.Body, "verify.mode: bad") {
					t.Errorf("#%d's new body keeps the tracking marker or loses the problem:\n%s", c.Number, c.Body)
				}
				if !strings.Contains(c.Comment, "valid again at [`aaaaaaa") || !strings.Contains(c.Comment, "`nightly sweep`") {
					t.Errorf("#%d's comment: %s", c.Number, c.Comment)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("issues closed (-want +got):\n%s", diff)
			}
		})
	}
}

// recorder is an issues.Client that records what Apply* asked of it.
type recorder struct {
	ex       Existing
	comments []string
	calls    []string
}

func (r *recorder) TrackingIssues(context.Context, Repo) (Existing, error) {
	r.calls = append(r.calls, "TrackingIssues")
	return r.ex, nil
}
func (r *recorder) EnsureLabels(_ context.Context, _ Repo, l []string) error {
	r.calls = append(r.calls, "EnsureLabels "+strings.Join(l, ","))
	return nil
}
func (r *recorder) CreateIssue(_ context.Context, _ Repo, is NewIssue) (int, error) {
	r.calls = append(r.calls, "CreateIssue "+is.Title)
	return 12, nil
}
func (r *recorder) UpdateIssue(_ context.Context, _ Repo, n int, u Update) error {
	r.calls = append(r.calls, "UpdateIssue "+itoa(n)+" "+*u.State)
	return nil
}
func (r *recorder) Comment(_ context.Context, _ Repo, n int, _ string) error {
	r.calls = append(r.calls, "Comment "+itoa(n))
	return nil
}
func (r *recorder) Comments(_ context.Context, _ Repo, n int) ([]string, error) {
	r.calls = append(r.calls, "Comments "+itoa(n))
	return r.comments, nil
}
func (r *recorder) PostComment(_ context.Context, _ Repo, n int, _ string) error {
	r.calls = append(r.calls, "PostComment "+itoa(n))
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestApplyConfigPlans: what each plan asks of GitHub, in order: labels
// before the issue that carries them, the comment before the close.
func TestApplyConfigPlans(t *testing.T) {
	t.Parallel()
	repo := Repo{Owner: "acme", Name: "images"}
	problem := errors.New("verify.mode: bad")
	own := DecideConfigError(Existing{}, nil, ".github/pindrift.yml", problem.Error()).Create.Body
	tests := map[string]struct {
		ex    Existing
		fixed bool
		want  []string
	}{
		"no tracking issue":       {want: []string{"TrackingIssues", "EnsureLabels pin-drift", "CreateIssue pindrift cannot use .github/pindrift.yml"}},
		"tracking issue":          {ex: Existing{Open: []Issue{{Number: 3}}}, want: []string{"TrackingIssues", "Comments 3", "PostComment 3"}},
		"its own issue":           {ex: Existing{Open: []Issue{{Number: 5, Body: own}}}, want: []string{"TrackingIssues", "Comments 5"}},
		"fixed":                   {ex: Existing{Open: []Issue{{Number: 5, Body: own}}}, fixed: true, want: []string{"TrackingIssues", "Comment 5", "UpdateIssue 5 closed"}},
		"fixed, nothing to close": {ex: Existing{Open: []Issue{{Number: 3}}}, fixed: true, want: []string{"TrackingIssues"}},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			r := &recorder{ex: tc.ex}
			var err error
			if tc.fixed {
				err = ApplyConfigFixed(context.Background(), r, repo, strings.Repeat("a", 40), "push")
			} else {
				err = ApplyConfigError(context.Background(), r, repo, ".github/pindrift.yml", problem)
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, r.calls); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConfigProblemToldOnceAcrossCommits: the configuration is read at
// each run's commit, which its error names; the same problem met again
// after the default branch moved is not said again. A broken owner
// default is named as the owner's file, not as one of this repository.
func TestConfigProblemToldOnceAcrossCommits(t *testing.T) {
	t.Parallel()
	repo := Repo{Owner: "acme", Name: "images"}
	at := func(source string, owner bool) error {
		return &strictyaml.Error{Source: source, File: ".github/pindrift.yml", OwnerDefault: owner,
			Problems: []strictyaml.Problem{{Line: 2, Column: 9, Key: "verify.mode", Message: "must be full, metadata or auto"}}}
	}
	path, text := configProblem(".github/pindrift.yml", at("acme/images@"+strings.Repeat("1", 40), false))
	own := DecideConfigError(Existing{}, nil, path, text).Create.Body
	r := &recorder{ex: Existing{Open: []Issue{{Number: 5, Body: own}}}}
	if err := ApplyConfigError(context.Background(), r, repo, ".github/pindrift.yml", at("acme/images@"+strings.Repeat("2", 40), false)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"TrackingIssues", "Comments 5"}, r.calls); diff != "" {
		t.Errorf("the same problem at a new commit: requests (-want +got):\n%s", diff)
	}

	path, _ = configProblem(".github/pindrift.yml", at("acme/.github@main", true))
	if path != "acme/.github:.github/pindrift.yml" {
		t.Errorf("an owner default is named %q, want acme/.github:.github/pindrift.yml", path)
	}
}

// TestClosedConfigIssueStaysClosed: an issue about the configuration a
// person closed is not opened again for the same problem, and is never
// reopened as the tracking issue when drift comes.
func TestClosedConfigIssueStaysClosed(t *testing.T) {
	t.Parallel()
	own := DecideConfigError(Existing{}, nil, ".github/pindrift.yml", "verify.mode: bad").Create.Body
	closed := &Issue{Number: 5, Body: own}
	if p := DecideConfigError(Existing{LastClosed: closed}, nil, ".github/pindrift.yml", "verify.mode: bad"); !p.Empty() {
		t.Errorf("the same problem after a person closed its issue: %+v, want nothing", p)
	}
	if p := DecideConfigError(Existing{LastClosed: closed}, nil, ".github/pindrift.yml", "fix_pr.branch: bad"); p.Create == nil {
		t.Errorf("another problem after a person closed the first one's issue: %+v, want a new issue", p)
	}
	p := Decide(run(0, []Drift{kernelDrift('c')}), Existing{LastClosed: closed}, Config{})
	if p.Reopen != 0 || p.Create == nil || p.Create.Title != Title {
		t.Errorf("drift after a closed configuration issue: %+v, want a new tracking issue", p)
	}
}
