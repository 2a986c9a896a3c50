package ghfake

import "strconv"

// MergePullRequest merges an open pull request as a person (login) would
// in the web UI: a merge commit on the base branch whose tree is the base
// with the head's changes since their merge base applied, and the pull
// request closed as merged. pindrift itself never merges (the API's merge
// endpoint fails the test); this is the people's side of a scenario. It
// returns the merge commit's SHA.
func (s *Server) MergePullRequest(owner, name string, number int, login string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Helper()
	rp := s.repoOrFail(owner, name)
	is := rp.issues[number]
	if is == nil || !is.IsPull || is.State != "open" {
		s.t.Fatalf("ghfake: MergePullRequest: %s/%s#%d is not an open pull request", owner, name, number)
		return ""
	}
	p := rp.pullOf(is)
	baseSHA, ok := rp.refs["refs/heads/"+p.base]
	if !ok {
		s.t.Fatalf("ghfake: MergePullRequest: base branch %s is gone", p.base)
	}
	mergeBase := rp.mergeBase(baseSHA, p.headSHA)
	before, head := rp.files(mergeBase), rp.files(p.headSHA)
	flat := rp.files(baseSHA)
	for path, f := range head {
		if before[path] != f {
			flat[path] = f
		}
	}
	for path := range before {
		if _, kept := head[path]; !kept {
			delete(flat, path)
		}
	}
	now := s.tick()
	sig := s.signature(login, now)
	sha := rp.putCommit(&Commit{Tree: rp.buildTree(flat), Parents: []string{baseSHA, p.headSHA},
		Message: "Merge pull request #" + strconv.Itoa(number) + " from " + owner + "/" + p.head, Author: sig, Committer: sig})
	rp.refs["refs/heads/"+p.base] = sha
	p.merged, p.mergeSHA = true, sha
	is.State, is.ClosedAt, is.ClosedBy, is.UpdatedAt = "closed", now, login, now
	return sha
}

// mergeBase is the nearest commit of head's history that base has too
// ("" when they share none).
func (rp *repo) mergeBase(base, head string) string {
	inBase := rp.ancestors(base)
	queue, seen := []string{head}, map[string]bool{}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] || rp.commits[c] == nil {
			continue
		}
		seen[c] = true
		if inBase[c] {
			return c
		}
		queue = append(queue, rp.commits[c].Parents...)
	}
	return ""
}
