package ghfake

import (
	"net/http"
	"path"
	"sort"
	"strings"
)

func (s *Server) registerContentRoutes() {
	s.api("GET /repos/{owner}/{repo}/contents", s.getContents)
	s.api("GET /repos/{owner}/{repo}/contents/{path...}", s.getContents)
	s.api("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", s.listCheckRunsForRef)
	s.api("GET /repos/{owner}/{repo}/commits/{ref...}", s.getRepoCommit)
	s.api("GET /repos/{owner}/{repo}/compare/{basehead...}", s.compare)
	s.api("GET /repos/{owner}/{repo}/branches", s.listBranches)
	s.api("GET /repos/{owner}/{repo}/branches/{branch...}", s.getBranch)
	s.raw("GET /{owner}/{repo}/raw/{sha}/{path...}", s.rawFile)
}

// refParam resolves the "ref" query parameter, defaulting to the default
// branch; it answers 404 itself when the ref is unknown.
func (c *call) refParam() (string, bool) {
	ref := c.r.URL.Query().Get("ref")
	if ref == "" {
		ref = c.repo.DefaultBranch
	}
	sha, ok := c.repo.resolve(ref)
	if !ok {
		c.errorJSON(http.StatusNotFound, "No commit found for the ref "+ref)
	}
	return sha, ok
}

func (s *Server) contentJSON(rp *repo, commit, p string, f fileEntry, withContent bool) obj {
	typ := "file"
	switch {
	case f.typ == "tree":
		typ = "dir"
	case f.typ == "commit":
		typ = "submodule"
	case f.mode == "120000":
		typ = "symlink"
	}
	o := obj{"type": typ, "name": path.Base(p), "path": p, "sha": f.sha,
		"url":      s.apiURL("/repos/%s/contents/%s?ref=%s", rp.FullName(), p, commit),
		"html_url": s.htmlURL("/%s/blob/%s/%s", rp.FullName(), commit, p),
		"git_url":  s.apiURL("/repos/%s/git/%ss/%s", rp.FullName(), f.typ, f.sha), "size": 0, "download_url": nil}
	if f.typ == "blob" {
		o["size"] = len(rp.blobs[f.sha])
		o["download_url"] = s.htmlURL("/%s/raw/%s/%s", rp.FullName(), commit, p)
		if withContent {
			o["encoding"] = "base64"
			o["content"] = wrapBase64(rp.blobs[f.sha])
		}
	}
	return o
}

func (s *Server) getContents(c *call) {
	commit, ok := c.refParam()
	if !ok {
		return
	}
	p := strings.Trim(c.param("path"), "/")
	files := c.repo.files(commit)
	if f, ok := files[p]; ok {
		if strings.Contains(c.r.Header.Get("Accept"), "raw") {
			c.w.Header().Set("Content-Type", "application/vnd.github.raw")
			c.w.Write(c.repo.blobs[f.sha])
			return
		}
		c.json(http.StatusOK, s.contentJSON(c.repo, commit, p, f, true))
		return
	}
	// A directory lists its direct children.
	prefix := p + "/"
	if p == "" {
		prefix = ""
	}
	children := map[string]fileEntry{}
	for fp, f := range files {
		rest, ok := strings.CutPrefix(fp, prefix)
		if !ok {
			continue
		}
		if dir, _, nested := strings.Cut(rest, "/"); nested {
			children[prefix+dir] = fileEntry{mode: "040000", typ: "tree", sha: s.subtreeSHA(c.repo, commit, prefix+dir)}
		} else {
			children[fp] = f
		}
	}
	if len(children) == 0 && p != "" {
		c.notFound()
		return
	}
	names := make([]string, 0, len(children))
	for n := range children {
		names = append(names, n)
	}
	sort.Strings(names)
	list := []obj{}
	for _, n := range names {
		list = append(list, s.contentJSON(c.repo, commit, n, children[n], false))
	}
	c.json(http.StatusOK, list)
}

// subtreeSHA finds the tree object at dir in a commit.
func (s *Server) subtreeSHA(rp *repo, commit, dir string) string {
	sha := rp.commits[commit].Tree
	for _, part := range strings.Split(dir, "/") {
		for _, e := range rp.trees[sha] {
			if e.name == part {
				sha = e.sha
				break
			}
		}
	}
	return sha
}

func (s *Server) rawFile(c *call) {
	rp := s.repos[repoKey(c.param("owner"), c.param("repo"))]
	if rp == nil {
		c.notFound()
		return
	}
	sha, ok := rp.resolve(c.param("sha"))
	if !ok {
		c.notFound()
		return
	}
	f, ok := rp.files(sha)[c.param("path")]
	if !ok {
		c.notFound()
		return
	}
	c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	c.w.Write(rp.blobs[f.sha])
}

// repoCommitJSON renders a commit as the commits and compare endpoints do:
// the git commit plus the GitHub accounts its author and committer resolve to.
func (s *Server) repoCommitJSON(rp *repo, cm *Commit, withFiles bool) obj {
	g := s.gitCommitJSON(rp, cm)
	parents := g["parents"]
	delete(g, "parents")
	delete(g, "sha")
	delete(g, "node_id")
	delete(g, "html_url")
	g["comment_count"] = 0
	o := obj{"sha": cm.SHA, "node_id": "C_" + cm.SHA[:10], "commit": g, "parents": parents,
		"author": s.userJSON(cm.Author.Login), "committer": s.userJSON(cm.Committer.Login),
		"url":      s.apiURL("/repos/%s/commits/%s", rp.FullName(), cm.SHA),
		"html_url": s.htmlURL("/%s/commit/%s", rp.FullName(), cm.SHA)}
	if withFiles {
		var base string
		if len(cm.Parents) > 0 {
			base = cm.Parents[0]
		}
		files := s.diffJSON(rp, base, cm.SHA)
		o["files"] = files
		o["stats"] = obj{"total": len(files), "additions": 0, "deletions": 0}
	}
	return o
}

// diffJSON lists the files that differ between two commits ("" is empty).
func (s *Server) diffJSON(rp *repo, base, head string) []obj {
	before, after := rp.files(base), rp.files(head)
	var names []string
	for p := range before {
		names = append(names, p)
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	out := []obj{}
	for _, p := range names {
		b, inBefore := before[p]
		a, inAfter := after[p]
		status, sha := "modified", a.sha
		switch {
		case !inBefore:
			status = "added"
		case !inAfter:
			status, sha = "removed", b.sha
		case a == b:
			continue
		}
		out = append(out, obj{"filename": p, "status": status, "sha": sha,
			"blob_url": s.htmlURL("/%s/blob/%s/%s", rp.FullName(), head, p)})
	}
	return out
}

func (s *Server) getRepoCommit(c *call) {
	ref := c.param("ref")
	if r, ok := strings.CutSuffix(ref, "/check-runs"); ok {
		c.params["ref"] = r
		s.listCheckRunsForRef(c)
		return
	}
	sha, ok := c.repo.resolve(ref)
	if !ok {
		// "commits/main/status" and the like are sub-resources the fake lacks.
		if i := strings.LastIndex(ref, "/"); i > 0 {
			if _, isRef := c.repo.resolve(ref[:i]); isRef {
				s.unexpected(c)
				return
			}
		}
		c.errorJSON(http.StatusUnprocessableEntity, "No commit found for SHA: "+ref)
		return
	}
	if strings.Contains(c.r.Header.Get("Accept"), ".sha") {
		c.w.Header().Set("Content-Type", "application/vnd.github.sha")
		c.w.Write([]byte(sha))
		return
	}
	c.json(http.StatusOK, s.repoCommitJSON(c.repo, c.repo.commits[sha], true))
}

func (s *Server) compare(c *call) {
	baseRef, headRef, ok := strings.Cut(c.param("basehead"), "...")
	if !ok {
		c.notFound()
		return
	}
	stripOwner := func(ref string) string {
		if owner, r, ok := strings.Cut(ref, ":"); ok && strings.EqualFold(owner, c.repo.Owner) {
			return r
		}
		return ref
	}
	base, ok1 := c.repo.resolve(stripOwner(baseRef))
	head, ok2 := c.repo.resolve(stripOwner(headRef))
	if !ok1 || !ok2 {
		c.notFound()
		return
	}
	baseAnc, headAnc := c.repo.ancestors(base), c.repo.ancestors(head)
	// Parents before children, walking from head, skipping what base has.
	var commits []*Commit
	seen := map[string]bool{}
	var visit func(sha string)
	visit = func(sha string) {
		if seen[sha] || baseAnc[sha] || c.repo.commits[sha] == nil {
			return
		}
		seen[sha] = true
		for _, p := range c.repo.commits[sha].Parents {
			visit(p)
		}
		commits = append(commits, c.repo.commits[sha])
	}
	visit(head)
	behind := 0
	for sha := range baseAnc {
		if !headAnc[sha] {
			behind++
		}
	}
	mergeBase := s.mergeBase(c.repo, head, baseAnc)
	status := "diverged"
	switch {
	case len(commits) == 0 && behind == 0:
		status = "identical"
	case behind == 0:
		status = "ahead"
	case len(commits) == 0:
		status = "behind"
	}
	list := []obj{}
	for _, cm := range commits {
		list = append(list, s.repoCommitJSON(c.repo, cm, false))
	}
	out := obj{"status": status, "ahead_by": len(commits), "behind_by": behind, "total_commits": len(commits),
		"base_commit": s.repoCommitJSON(c.repo, c.repo.commits[base], false), "commits": list,
		"files":    s.diffJSON(c.repo, mergeBase, head),
		"url":      s.apiURL("/repos/%s/compare/%s", c.repo.FullName(), c.param("basehead")),
		"html_url": s.htmlURL("/%s/compare/%s", c.repo.FullName(), c.param("basehead"))}
	if mergeBase != "" {
		out["merge_base_commit"] = s.repoCommitJSON(c.repo, c.repo.commits[mergeBase], false)
	}
	c.json(http.StatusOK, out)
}

// mergeBase is the first commit reachable from head, breadth first, that
// base also reaches; "" when the histories are unrelated.
func (s *Server) mergeBase(rp *repo, head string, baseAnc map[string]bool) string {
	queue, seen := []string{head}, map[string]bool{}
	for len(queue) > 0 {
		sha := queue[0]
		queue = queue[1:]
		if seen[sha] || rp.commits[sha] == nil {
			continue
		}
		seen[sha] = true
		if baseAnc[sha] {
			return sha
		}
		queue = append(queue, rp.commits[sha].Parents...)
	}
	return ""
}

func (s *Server) branchJSON(rp *repo, name string, full bool) obj {
	sha := rp.refs["refs/heads/"+name]
	commit := obj{"sha": sha, "url": s.apiURL("/repos/%s/commits/%s", rp.FullName(), sha)}
	if full {
		commit = s.repoCommitJSON(rp, rp.commits[sha], false)
	}
	return obj{"name": name, "commit": commit, "protected": false}
}

func (s *Server) listBranches(c *call) {
	var names []string
	for ref := range c.repo.refs {
		if b, ok := strings.CutPrefix(ref, "refs/heads/"); ok {
			names = append(names, b)
		}
	}
	sort.Strings(names)
	list := []obj{}
	for _, n := range names {
		list = append(list, s.branchJSON(c.repo, n, false))
	}
	c.json(http.StatusOK, paginate(c, list))
}

func (s *Server) getBranch(c *call) {
	name := c.param("branch")
	if _, ok := c.repo.refs["refs/heads/"+name]; !ok {
		c.errorJSON(http.StatusNotFound, "Branch not found")
		return
	}
	c.json(http.StatusOK, s.branchJSON(c.repo, name, true))
}
