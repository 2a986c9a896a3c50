package ghfake

// SetTreeLimit makes recursive tree listings hold at most n entries and
// say they are truncated, as GitHub does past 100,000 entries or 7 MB;
// 0 lifts the limit.
func (s *Server) SetTreeLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.treeLimit = n
}

// SetLink commits a symbolic link at path, pointing at target, to a
// branch and returns the commit's SHA.
func (s *Server) SetLink(owner, name, branch, path, target, author string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seedCommit(owner, name, branch, author, func(rp *repo, flat map[string]fileEntry) {
		flat[path] = fileEntry{mode: "120000", typ: "blob", sha: rp.putBlob([]byte(target))}
	})
}

// SetSubmodule commits a submodule at path, at commit sha of another
// repository, to a branch and returns the commit's SHA.
func (s *Server) SetSubmodule(owner, name, branch, path, sha, author string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seedCommit(owner, name, branch, author, func(_ *repo, flat map[string]fileEntry) {
		flat[path] = fileEntry{mode: "160000", typ: "commit", sha: sha}
	})
}
