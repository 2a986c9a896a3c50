package runnertest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
)

// Issues is the fake's tracking-issue client: the App's issues of the
// fake repository, all counted as opened by the App. Comments go to the
// GitHub's Comments.
type Issues struct {
	g      *GitHub
	issues []*issue
	closed int // order of closing, to find the last closed
}

type issue struct {
	issues.Issue
	Title       string
	Labels      []string
	closedOrder int
}

var _ issues.Client = (*Issues)(nil)

// Open adds an open issue with body and returns its number.
func (s *Issues) Open(title, body string) int {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	return s.add(issues.NewIssue{Title: title, Body: body})
}

// Get returns issue number as the fake holds it.
func (s *Issues) Get(number int) (issues.Issue, bool) {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if is := s.get(number); is != nil {
		return is.Issue, true
	}
	return issues.Issue{}, false
}

// Title returns the title of issue number, "" when there is none.
func (s *Issues) Title(number int) string {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if is := s.get(number); is != nil {
		return is.Title
	}
	return ""
}

// All returns every issue, oldest first.
func (s *Issues) All() []issues.Issue {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	var out []issues.Issue
	for _, is := range s.issues {
		out = append(out, is.Issue)
	}
	return out
}

func (s *Issues) add(n issues.NewIssue) int {
	is := &issue{Issue: issues.Issue{Number: len(s.issues) + 1, Body: n.Body, Open: true}, Title: n.Title, Labels: n.Labels}
	s.issues = append(s.issues, is)
	return is.Number
}

func (s *Issues) get(number int) *issue {
	if number < 1 || number > len(s.issues) {
		return nil
	}
	return s.issues[number-1]
}

func (s *Issues) TrackingIssues(_ context.Context, repo issues.Repo) (issues.Existing, error) {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	var ex issues.Existing
	if err := errors.Join(s.g.call("TrackingIssues"), s.g.check(repo)); err != nil {
		return ex, err
	}
	var last *issue
	for _, is := range s.issues {
		switch {
		case !strings.Contains(is.Body, issues.Marker):
		case is.Open:
			ex.Open = append(ex.Open, is.Issue)
		case last == nil || is.closedOrder > last.closedOrder:
			last = is
		}
	}
	if last != nil {
		c := last.Issue
		ex.LastClosed = &c
	}
	return ex, nil
}

// EnsureLabels has nothing to do: the fake keeps labels on issues only.
func (s *Issues) EnsureLabels(_ context.Context, repo issues.Repo, _ []string) error {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	return errors.Join(s.g.call("EnsureLabels"), s.g.check(repo))
}

func (s *Issues) CreateIssue(_ context.Context, repo issues.Repo, n issues.NewIssue) (int, error) {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if err := errors.Join(s.g.call("CreateIssue"), s.g.check(repo)); err != nil {
		return 0, err
	}
	return s.add(n), nil
}

// UpdateIssue counts a close as the App's.
func (s *Issues) UpdateIssue(_ context.Context, repo issues.Repo, number int, u issues.Update) error {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if err := errors.Join(s.g.call("UpdateIssue"), s.g.check(repo)); err != nil {
		return err
	}
	is := s.get(number)
	if is == nil {
		return fmt.Errorf("issue #%d: %w", number, ErrNotFound)
	}
	if u.Body != nil {
		is.Body = *u.Body
	}
	if u.State != nil {
		is.Open = *u.State == "open"
		if !is.Open {
			s.closed++
			is.closedOrder, is.ClosedByApp = s.closed, true
		}
	}
	return nil
}

// Comment posts body unless the latest comment says it already, as
// ghissues does with the App's latest comment.
func (s *Issues) Comment(_ context.Context, repo issues.Repo, number int, body string) error {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if err := errors.Join(s.g.call("Comment"), s.g.check(repo)); err != nil {
		return err
	}
	if cs := s.g.comments[number]; len(cs) > 0 && cs[len(cs)-1] == body {
		return nil
	}
	s.g.comments[number] = append(s.g.comments[number], body)
	return nil
}

func (s *Issues) Comments(_ context.Context, repo issues.Repo, number int) ([]string, error) {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if err := errors.Join(s.g.call("Comments"), s.g.check(repo)); err != nil {
		return nil, err
	}
	cs := s.g.comments[number]
	return append([]string(nil), cs[:min(len(cs), 100)]...), nil
}

func (s *Issues) PostComment(_ context.Context, repo issues.Repo, number int, body string) error {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if err := errors.Join(s.g.call("PostComment"), s.g.check(repo)); err != nil {
		return err
	}
	s.g.comments[number] = append(s.g.comments[number], body)
	return nil
}

// errNoFixPR fails a run that reaches for the fix PR, which the fake does
// not model: such behaviour is tested against ghfake.
var errNoFixPR = errors.New("runnertest: fix PRs are not faked; leave Settings.PR disabled")

type noFixPR struct{}

var _ fixpr.Client = noFixPR{}

func (noFixPR) State(context.Context, issues.Repo, string, string, []string) (fixpr.Existing, error) {
	return fixpr.Existing{}, errNoFixPR
}

func (noFixPR) Attestation(context.Context, issues.Repo, string) (fixpr.Attestation, error) {
	return fixpr.Attestation{}, errNoFixPR
}
func (noFixPR) Push(context.Context, issues.Repo, fixpr.Push) error { return errNoFixPR }
func (noFixPR) CreatePR(context.Context, issues.Repo, fixpr.NewPR) (int, error) {
	return 0, errNoFixPR
}
func (noFixPR) UpdatePR(context.Context, issues.Repo, fixpr.PRUpdate) error { return errNoFixPR }
func (noFixPR) Comment(context.Context, issues.Repo, int, string) error     { return errNoFixPR }
func (noFixPR) ClosePR(context.Context, issues.Repo, int) error             { return errNoFixPR }
func (noFixPR) DeleteBranch(context.Context, issues.Repo, string) error     { return errNoFixPR }
