package ghfake

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strings"
	"time"
)

func (s *Server) registerGitRoutes() {
	s.api("GET /repos/{owner}/{repo}/git/ref/{ref...}", s.getRef)
	s.api("GET /repos/{owner}/{repo}/git/refs/{ref...}", s.getRefs)
	s.api("GET /repos/{owner}/{repo}/git/matching-refs/{ref...}", s.matchingRefs)
	s.api("POST /repos/{owner}/{repo}/git/refs", s.createRef)
	s.api("PATCH /repos/{owner}/{repo}/git/refs/{ref...}", s.updateRef)
	s.api("DELETE /repos/{owner}/{repo}/git/refs/{ref...}", s.deleteRef)
	s.api("GET /repos/{owner}/{repo}/git/commits/{sha}", s.getGitCommit)
	s.api("POST /repos/{owner}/{repo}/git/commits", s.createGitCommit)
	s.api("GET /repos/{owner}/{repo}/git/trees/{sha}", s.getTree)
	s.api("POST /repos/{owner}/{repo}/git/trees", s.createTree)
	s.api("GET /repos/{owner}/{repo}/git/blobs/{sha}", s.getBlob)
	s.api("POST /repos/{owner}/{repo}/git/blobs", s.createBlob)
}

func (s *Server) refJSON(rp *repo, ref string) obj {
	sha := rp.refs[ref]
	return obj{"ref": ref, "node_id": "REF_" + sha[:10], "url": s.apiURL("/repos/%s/git/%s", rp.FullName(), ref),
		"object": obj{"type": "commit", "sha": sha, "url": s.apiURL("/repos/%s/git/commits/%s", rp.FullName(), sha)}}
}

func (s *Server) getRef(c *call) {
	ref := "refs/" + c.param("ref")
	if _, ok := c.repo.refs[ref]; !ok {
		c.notFound()
		return
	}
	c.json(http.StatusOK, s.refJSON(c.repo, ref))
}

// getRefs is the legacy endpoint: an exact match is one object, a prefix
// match a list.
func (s *Server) getRefs(c *call) {
	ref := "refs/" + c.param("ref")
	if _, ok := c.repo.refs[ref]; ok {
		c.json(http.StatusOK, s.refJSON(c.repo, ref))
		return
	}
	list := s.refsWithPrefix(c.repo, ref+"/")
	if len(list) == 0 {
		c.notFound()
		return
	}
	c.json(http.StatusOK, paginate(c, list))
}

func (s *Server) matchingRefs(c *call) {
	c.json(http.StatusOK, paginate(c, s.refsWithPrefix(c.repo, "refs/"+c.param("ref"))))
}

func (s *Server) refsWithPrefix(rp *repo, prefix string) []obj {
	var names []string
	for ref := range rp.refs {
		if strings.HasPrefix(ref, prefix) {
			names = append(names, ref)
		}
	}
	sort.Strings(names)
	list := []obj{}
	for _, ref := range names {
		list = append(list, s.refJSON(rp, ref))
	}
	return list
}

func (s *Server) createRef(c *call) {
	var in struct{ Ref, SHA string }
	if !c.decode(&in) {
		return
	}
	if !strings.HasPrefix(in.Ref, "refs/") || strings.Count(in.Ref, "/") < 2 {
		c.errorJSON(http.StatusUnprocessableEntity, "Reference name must start with 'refs/' and have at least two slashes.")
		return
	}
	if _, ok := c.repo.refs[in.Ref]; ok {
		c.errorJSON(http.StatusUnprocessableEntity, "Reference already exists")
		return
	}
	if c.repo.commits[in.SHA] == nil {
		c.errorJSON(http.StatusUnprocessableEntity, "Object does not exist")
		return
	}
	c.repo.refs[in.Ref] = in.SHA
	c.json(http.StatusCreated, s.refJSON(c.repo, in.Ref))
}

func (s *Server) updateRef(c *call) {
	var in struct {
		SHA   string
		Force bool
	}
	if !c.decode(&in) {
		return
	}
	ref := "refs/" + c.param("ref")
	old, ok := c.repo.refs[ref]
	switch {
	case !ok:
		c.errorJSON(http.StatusUnprocessableEntity, "Reference does not exist")
	case c.repo.commits[in.SHA] == nil:
		c.errorJSON(http.StatusUnprocessableEntity, "Object does not exist")
	case !in.Force && !c.repo.ancestors(in.SHA)[old]:
		c.errorJSON(http.StatusUnprocessableEntity, "Update is not a fast forward")
	default:
		c.repo.refs[ref] = in.SHA
		c.json(http.StatusOK, s.refJSON(c.repo, ref))
	}
}

func (s *Server) deleteRef(c *call) {
	ref := "refs/" + c.param("ref")
	if _, ok := c.repo.refs[ref]; !ok {
		c.errorJSON(http.StatusUnprocessableEntity, "Reference does not exist")
		return
	}
	delete(c.repo.refs, ref)
	c.noContent()
}

func sigJSON(sg Signature) obj {
	return obj{"name": sg.Name, "email": sg.Email, "date": ts(sg.Date)}
}

func (s *Server) gitCommitJSON(rp *repo, cm *Commit) obj {
	parents := []obj{}
	for _, p := range cm.Parents {
		parents = append(parents, obj{"sha": p, "url": s.apiURL("/repos/%s/git/commits/%s", rp.FullName(), p),
			"html_url": s.htmlURL("/%s/commit/%s", rp.FullName(), p)})
	}
	reason := "unsigned"
	if cm.Verified {
		reason = "valid"
	}
	return obj{
		"sha": cm.SHA, "node_id": "C_" + cm.SHA[:10], "message": cm.Message,
		"url": s.apiURL("/repos/%s/git/commits/%s", rp.FullName(), cm.SHA), "html_url": s.htmlURL("/%s/commit/%s", rp.FullName(), cm.SHA),
		"author": sigJSON(cm.Author), "committer": sigJSON(cm.Committer),
		"tree":         obj{"sha": cm.Tree, "url": s.apiURL("/repos/%s/git/trees/%s", rp.FullName(), cm.Tree)},
		"parents":      parents,
		"verification": obj{"verified": cm.Verified, "reason": reason, "signature": nil, "payload": nil},
	}
}

func (s *Server) getGitCommit(c *call) {
	cm := c.repo.commits[c.param("sha")]
	if cm == nil {
		c.notFound()
		return
	}
	c.json(http.StatusOK, s.gitCommitJSON(c.repo, cm))
}

type sigInput struct {
	Name, Email string
	Date        *time.Time
}

func (s *Server) createGitCommit(c *call) {
	var in struct {
		Message   string
		Tree      string
		Parents   []string
		Author    *sigInput
		Committer *sigInput
		Signature string
	}
	if !c.decode(&in) {
		return
	}
	if c.repo.trees[in.Tree] == nil && in.Tree != emptyTreeSHA {
		c.invalid("Commit", "tree", "invalid", "Tree SHA does not exist")
		return
	}
	for _, p := range in.Parents {
		if c.repo.commits[p] == nil {
			c.invalid("Commit", "parents", "invalid", "Parent SHA does not exist or is not a commit object")
			return
		}
	}
	now := s.tick()
	toSig := func(in *sigInput, def Signature) Signature {
		if in == nil {
			return def
		}
		sg := Signature{Name: in.Name, Email: in.Email, Login: loginForEmail(in.Email), Date: now}
		if in.Date != nil {
			sg.Date = in.Date.UTC()
		}
		return sg
	}
	// Without an author GitHub uses the authenticated identity; without a
	// committer, the author.
	author := toSig(in.Author, s.signature(s.app.Login, now))
	committer := toSig(in.Committer, author)
	cm := &Commit{Tree: in.Tree, Parents: in.Parents, Message: in.Message, Author: author, Committer: committer,
		Verified: in.Signature == "" && committer.Login == s.app.Login}
	if in.Tree == emptyTreeSHA {
		c.repo.putTree(nil)
	}
	c.repo.putCommit(cm)
	c.json(http.StatusCreated, s.gitCommitJSON(c.repo, cm))
}

// emptyTreeSHA is git's well-known empty tree.
const emptyTreeSHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

func (s *Server) treeEntryJSON(rp *repo, path string, mode, typ, sha string) obj {
	e := obj{"path": path, "mode": mode, "type": typ, "sha": sha}
	switch typ {
	case "blob":
		e["size"] = len(rp.blobs[sha])
		e["url"] = s.apiURL("/repos/%s/git/blobs/%s", rp.FullName(), sha)
	case "tree":
		e["url"] = s.apiURL("/repos/%s/git/trees/%s", rp.FullName(), sha)
	}
	return e
}

func (s *Server) treeJSON(rp *repo, sha string, recursive bool) obj {
	entries := []obj{}
	var walk func(sha, prefix string)
	walk = func(sha, prefix string) {
		for _, e := range rp.trees[sha] {
			entries = append(entries, s.treeEntryJSON(rp, prefix+e.name, e.mode, e.typ, e.sha))
			if recursive && e.typ == "tree" {
				walk(e.sha, prefix+e.name+"/")
			}
		}
	}
	walk(sha, "")
	truncated := false
	if recursive && s.treeLimit > 0 && len(entries) > s.treeLimit {
		entries, truncated = entries[:s.treeLimit], true
	}
	return obj{"sha": sha, "url": s.apiURL("/repos/%s/git/trees/%s", rp.FullName(), sha), "tree": entries, "truncated": truncated}
}

func (s *Server) getTree(c *call) {
	sha := c.param("sha")
	if resolved, ok := c.repo.resolve(sha); ok {
		sha = c.repo.commits[resolved].Tree // GitHub accepts a commit-ish here too.
	}
	if _, ok := c.repo.trees[sha]; !ok {
		c.notFound()
		return
	}
	rec := c.r.URL.Query().Get("recursive")
	c.json(http.StatusOK, s.treeJSON(c.repo, sha, rec != "" && rec != "0" && rec != "false"))
}

var validModes = map[string]string{"100644": "blob", "100755": "blob", "120000": "blob", "040000": "tree", "160000": "commit"}

func (s *Server) createTree(c *call) {
	var in struct {
		BaseTree string `json:"base_tree"`
		Tree     []struct {
			Path, Mode, Type string
			SHA              *string
			Content          *string
		}
	}
	if !c.decode(&in) {
		return
	}
	flat := map[string]fileEntry{}
	if in.BaseTree != "" {
		if _, ok := c.repo.trees[in.BaseTree]; !ok {
			c.invalid("Tree", "base_tree", "invalid", "base_tree is not a valid tree oid")
			return
		}
		c.repo.flatten(in.BaseTree, "", flat)
	}
	for _, e := range in.Tree {
		typ, ok := validModes[e.Mode]
		if !ok || e.Path == "" || (e.Type != "" && e.Type != typ) {
			c.invalid("Tree", "tree", "invalid", "tree entry "+e.Path+" has an invalid mode or type")
			return
		}
		switch {
		case e.Content != nil:
			if typ != "blob" {
				c.invalid("Tree", "tree", "invalid", "content is only allowed for blobs")
				return
			}
			flat[e.Path] = fileEntry{mode: e.Mode, typ: typ, sha: c.repo.putBlob([]byte(*e.Content))}
		case e.SHA == nil: // a null sha deletes the path
			removePath(flat, e.Path)
		case typ == "blob":
			if _, ok := c.repo.blobs[*e.SHA]; !ok {
				c.invalid("Tree", "tree.sha", "invalid", *e.SHA+" is not a valid blob")
				return
			}
			flat[e.Path] = fileEntry{mode: e.Mode, typ: typ, sha: *e.SHA}
		case typ == "tree":
			if _, ok := c.repo.trees[*e.SHA]; !ok {
				c.invalid("Tree", "tree.sha", "invalid", *e.SHA+" is not a valid tree")
				return
			}
			removePath(flat, e.Path)
			c.repo.flatten(*e.SHA, e.Path+"/", flat)
		default:
			flat[e.Path] = fileEntry{mode: e.Mode, typ: typ, sha: *e.SHA}
		}
	}
	sha := c.repo.buildTree(flat)
	c.json(http.StatusCreated, s.treeJSON(c.repo, sha, false))
}

func removePath(flat map[string]fileEntry, path string) {
	delete(flat, path)
	for p := range flat {
		if strings.HasPrefix(p, path+"/") {
			delete(flat, p)
		}
	}
}

func (s *Server) getBlob(c *call) {
	sha := c.param("sha")
	content, ok := c.repo.blobs[sha]
	if !ok {
		c.notFound()
		return
	}
	if strings.Contains(c.r.Header.Get("Accept"), "raw") {
		c.w.Header().Set("Content-Type", "application/vnd.github.raw")
		c.w.Write(content)
		return
	}
	c.json(http.StatusOK, obj{"sha": sha, "node_id": "B_" + sha[:10], "size": len(content),
		"url": s.apiURL("/repos/%s/git/blobs/%s", c.repo.FullName(), sha), "encoding": "base64",
		"content": wrapBase64(content)})
}

func (s *Server) createBlob(c *call) {
	var in struct{ Content, Encoding string }
	if !c.decode(&in) {
		return
	}
	content := []byte(in.Content)
	switch in.Encoding {
	case "", "utf-8":
	case "base64":
		var err error
		if content, err = base64.StdEncoding.DecodeString(in.Content); err != nil {
			c.invalid("Blob", "content", "invalid", "content is not valid Base64")
			return
		}
	default:
		c.invalid("Blob", "encoding", "invalid", "encoding must be utf-8 or base64")
		return
	}
	sha := c.repo.putBlob(content)
	c.json(http.StatusCreated, obj{"sha": sha, "url": s.apiURL("/repos/%s/git/blobs/%s", c.repo.FullName(), sha)})
}

// wrapBase64 encodes like GitHub: base64 with a newline every 60 characters.
func wrapBase64(b []byte) string {
	enc := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(enc) > 60 {
		out.WriteString(enc[:60] + "\n")
		enc = enc[60:]
	}
	out.WriteString(enc + "\n")
	return out.String()
}
