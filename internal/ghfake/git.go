package ghfake

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Commit is a git commit in the fake.
type Commit struct {
	SHA       string
	Tree      string
	Parents   []string
	Message   string
	Author    Signature
	Committer Signature
	// Verified is true for commits the App created through the API, as
	// GitHub signs those.
	Verified bool
}

// Signature is a commit's author or committer. Login is the GitHub account
// the email resolves to, empty when none does.
type Signature struct {
	Name, Email, Login string
	Date               time.Time
}

type treeEntry struct {
	name, mode, typ, sha string
}

// fileEntry is a non-tree entry of a flattened tree.
type fileEntry struct {
	mode, typ, sha string
}

// Objects are hashed the way git hashes them, so blob SHAs match
// `git hash-object` and equal content always has an equal SHA.
func gitHash(kind string, body []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (rp *repo) putBlob(content []byte) string {
	sha := gitHash("blob", content)
	rp.blobs[sha] = append([]byte(nil), content...)
	return sha
}

func (rp *repo) putTree(entries []treeEntry) string {
	// git orders entries by name, comparing a tree's name as if it ended in "/".
	key := func(e treeEntry) string {
		if e.typ == "tree" {
			return e.name + "/"
		}
		return e.name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	var body []byte
	for _, e := range entries {
		mode := strings.TrimPrefix(e.mode, "0")
		raw, _ := hex.DecodeString(e.sha)
		body = append(body, mode+" "+e.name+"\x00"...)
		body = append(body, raw...)
	}
	sha := gitHash("tree", body)
	rp.trees[sha] = entries
	return sha
}

func (rp *repo) putCommit(c *Commit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", c.Tree)
	for _, p := range c.Parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	sig := func(s Signature) string { return fmt.Sprintf("%s <%s> %d +0000", s.Name, s.Email, s.Date.Unix()) }
	fmt.Fprintf(&b, "author %s\ncommitter %s\n\n%s", sig(c.Author), sig(c.Committer), c.Message)
	c.SHA = gitHash("commit", []byte(b.String()))
	rp.commits[c.SHA] = c
	return c.SHA
}

// flatten lists the non-tree entries under tree sha by full path.
func (rp *repo) flatten(sha, prefix string, out map[string]fileEntry) {
	for _, e := range rp.trees[sha] {
		if e.typ == "tree" {
			rp.flatten(e.sha, prefix+e.name+"/", out)
			continue
		}
		out[prefix+e.name] = fileEntry{mode: e.mode, typ: e.typ, sha: e.sha}
	}
}

// buildTree stores the trees for a flat path listing and returns the root's SHA.
func (rp *repo) buildTree(files map[string]fileEntry) string {
	var entries []treeEntry
	subdirs := map[string]map[string]fileEntry{}
	for p, f := range files {
		dir, rest, nested := strings.Cut(p, "/")
		if !nested {
			entries = append(entries, treeEntry{name: p, mode: f.mode, typ: f.typ, sha: f.sha})
			continue
		}
		if subdirs[dir] == nil {
			subdirs[dir] = map[string]fileEntry{}
		}
		subdirs[dir][rest] = f
	}
	for dir, sub := range subdirs {
		entries = append(entries, treeEntry{name: dir, mode: "040000", typ: "tree", sha: rp.buildTree(sub)})
	}
	return rp.putTree(entries)
}

var hexSHA = regexp.MustCompile(`^[0-9a-f]{7,40}$`)

// resolve turns a SHA (full or abbreviated), branch, tag or ref name into a
// commit SHA.
func (rp *repo) resolve(ref string) (string, bool) {
	if _, ok := rp.commits[ref]; ok {
		return ref, true
	}
	for _, full := range []string{ref, "refs/" + ref, "refs/heads/" + ref, "refs/tags/" + ref} {
		if sha, ok := rp.refs[full]; ok {
			return sha, true
		}
	}
	if hexSHA.MatchString(ref) {
		var found string
		for sha := range rp.commits {
			if strings.HasPrefix(sha, ref) {
				if found != "" {
					return "", false
				}
				found = sha
			}
		}
		return found, found != ""
	}
	return "", false
}

// files lists the files of a commit by path.
func (rp *repo) files(commitSHA string) map[string]fileEntry {
	out := map[string]fileEntry{}
	if c := rp.commits[commitSHA]; c != nil {
		rp.flatten(c.Tree, "", out)
	}
	return out
}

// ancestors returns sha and every commit reachable from it.
func (rp *repo) ancestors(sha string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{sha}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] || rp.commits[s] == nil {
			continue
		}
		seen[s] = true
		stack = append(stack, rp.commits[s].Parents...)
	}
	return seen
}

// signature builds the signature of a GitHub account.
func (s *Server) signature(login string, at time.Time) Signature {
	email := login + "@users.noreply.github.com"
	if strings.HasSuffix(login, "[bot]") {
		s.userJSON(login) // assigns the id used in the bot's noreply address
		email = fmt.Sprintf("%d+%s@users.noreply.github.com", s.users[strings.ToLower(login)], login)
	}
	return Signature{Name: login, Email: email, Login: login, Date: at}
}

// loginForEmail maps a noreply address back to its account, as GitHub links
// commits to users by email; other addresses link to nobody.
func loginForEmail(email string) string {
	local, ok := strings.CutSuffix(email, "@users.noreply.github.com")
	if !ok {
		return ""
	}
	if _, after, found := strings.Cut(local, "+"); found {
		return after
	}
	return local
}

// SetFile commits one file to a branch and returns the commit's SHA.
func (s *Server) SetFile(owner, name, branch, path, content, author string) string {
	return s.SetFiles(owner, name, branch, map[string]string{path: content}, author)
}

// SetFiles commits files to a branch as author (a login) and returns the
// commit's SHA. A missing branch starts from the default branch, or as a root
// commit when that does not exist either.
func (s *Server) SetFiles(owner, name, branch string, files map[string]string, author string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seedCommit(owner, name, branch, author, func(rp *repo, flat map[string]fileEntry) {
		for p, content := range files {
			flat[p] = fileEntry{mode: "100644", typ: "blob", sha: rp.putBlob([]byte(content))}
		}
	})
}

// DeleteFile commits the removal of a file from a branch and returns the
// commit's SHA.
func (s *Server) DeleteFile(owner, name, branch, path, author string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seedCommit(owner, name, branch, author, func(_ *repo, flat map[string]fileEntry) {
		delete(flat, path)
	})
}

func (s *Server) seedCommit(owner, name, branch, author string, change func(*repo, map[string]fileEntry)) string {
	rp := s.repoFor(owner, name)
	parent, ok := rp.refs["refs/heads/"+branch]
	if !ok {
		parent, ok = rp.refs["refs/heads/"+rp.DefaultBranch]
	}
	flat := map[string]fileEntry{}
	var parents []string
	if ok {
		flat = rp.files(parent)
		parents = []string{parent}
	}
	change(rp, flat)
	sig := s.signature(author, s.tick())
	c := &Commit{Tree: rp.buildTree(flat), Parents: parents, Message: "Update files",
		Author: sig, Committer: sig}
	sha := rp.putCommit(c)
	rp.refs["refs/heads/"+branch] = sha
	return sha
}

// CreateBranch points a new or existing branch at the commit ref resolves to.
func (s *Server) CreateBranch(owner, name, branch, from string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Helper()
	rp := s.repoFor(owner, name)
	sha, ok := rp.resolve(from)
	if !ok {
		s.t.Fatalf("ghfake: CreateBranch: %s/%s has no ref %q", owner, name, from)
	}
	rp.refs["refs/heads/"+branch] = sha
	return sha
}

// SetVerified overrides a commit's signature verification.
func (s *Server) SetVerified(owner, name, sha string, verified bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Helper()
	c := s.repoOrFail(owner, name).commits[sha]
	if c == nil {
		s.t.Fatalf("ghfake: SetVerified: no commit %s in %s/%s", sha, owner, name)
	}
	c.Verified = verified
}

// Ref returns the commit SHA a ref points at. ref may be "refs/heads/x",
// "heads/x", a branch or a tag name.
func (s *Server) Ref(owner, name, ref string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoOrFail(owner, name)
	for _, full := range []string{ref, "refs/" + ref, "refs/heads/" + ref, "refs/tags/" + ref} {
		if sha, ok := rp.refs[full]; ok {
			return sha, true
		}
	}
	return "", false
}

// Refs returns every ref of a repository and the SHA it points at.
func (s *Server) Refs(owner, name string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for k, v := range s.repoOrFail(owner, name).refs {
		out[k] = v
	}
	return out
}

// FileAt returns a file's content at a ref or SHA.
func (s *Server) FileAt(owner, name, ref, path string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoOrFail(owner, name)
	sha, ok := rp.resolve(ref)
	if !ok {
		return "", false
	}
	f, ok := rp.files(sha)[path]
	if !ok {
		return "", false
	}
	return string(rp.blobs[f.sha]), true
}

// Commit returns the commit a ref or SHA resolves to.
func (s *Server) Commit(owner, name, ref string) (Commit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoOrFail(owner, name)
	sha, ok := rp.resolve(ref)
	if !ok {
		return Commit{}, false
	}
	c := *rp.commits[sha]
	c.Parents = append([]string(nil), c.Parents...)
	return c, true
}
