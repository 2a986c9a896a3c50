package ghfake

import (
	"net/http"
	"strconv"
	"strings"
)

// Repo is a repository's settings.
type Repo struct {
	Owner, Name   string
	DefaultBranch string // "main" when empty
	Private       bool
	ID            int64 // assigned when zero
	// InstallationID is the App installation covering the repository; 0 means
	// the App is not installed on it.
	InstallationID int64
	// Visibility is "public", "internal" or "private"; empty means
	// "private" when Private is set, else "public".
	Visibility string
}

// FullName is "owner/name".
func (r Repo) FullName() string { return r.Owner + "/" + r.Name }

type repo struct {
	Repo
	refs       map[string]string // "refs/heads/main" -> commit sha
	commits    map[string]*Commit
	trees      map[string][]treeEntry
	blobs      map[string][]byte
	issues     map[int]*issue
	lastNumber int
	comments   []*Comment
	labels     []*Label
	releases   []*Release
	checkRuns  []*CheckRun
	attests    map[string][]Attestation // "sha256:<hex>" -> attestations
	perms      map[string]string        // login -> permission
}

func repoKey(owner, name string) string { return strings.ToLower(owner + "/" + name) }

// AddRepo adds or replaces a repository's settings and returns them with
// defaults filled in. Seed helpers add a repository with defaults on first use.
func (s *Server) AddRepo(r Repo) Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addRepo(r).Repo
}

func (s *Server) addRepo(r Repo) *repo {
	if r.DefaultBranch == "" {
		r.DefaultBranch = "main"
	}
	if old := s.repos[repoKey(r.Owner, r.Name)]; old != nil {
		if r.ID == 0 {
			r.ID = old.ID
		}
		old.Repo = r
		return old
	}
	if r.ID == 0 {
		r.ID = s.newID()
	}
	rp := &repo{Repo: r, refs: map[string]string{}, commits: map[string]*Commit{},
		trees: map[string][]treeEntry{}, blobs: map[string][]byte{}, issues: map[int]*issue{},
		attests: map[string][]Attestation{}, perms: map[string]string{}}
	s.repos[repoKey(r.Owner, r.Name)] = rp
	return rp
}

// repoFor returns the repository, adding it with defaults if needed. Callers hold mu.
func (s *Server) repoFor(owner, name string) *repo {
	if rp := s.repos[repoKey(owner, name)]; rp != nil {
		return rp
	}
	return s.addRepo(Repo{Owner: owner, Name: name})
}

// repoOrFail is for accessors: an unknown repository is a test bug. Callers hold mu.
func (s *Server) repoOrFail(owner, name string) *repo {
	s.t.Helper()
	rp := s.repos[repoKey(owner, name)]
	if rp == nil {
		s.t.Fatalf("ghfake: repository %s/%s was never added", owner, name)
	}
	return rp
}

// SetPermission sets a user's permission on a repository ("admin",
// "maintain", "write", "triage", "read", "none").
func (s *Server) SetPermission(owner, name, login, permission string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repoFor(owner, name).perms[strings.ToLower(login)] = permission
}

func (s *Server) registerRepoRoutes() {
	s.api("GET /repos/{owner}/{repo}", s.getRepo)
	s.api("GET /repos/{owner}/{repo}/collaborators/{user}/permission", s.getPermission)
}

func (s *Server) getRepo(c *call) { c.json(http.StatusOK, s.repoJSON(c.repo)) }

func (s *Server) repoJSON(rp *repo) obj {
	visibility := rp.visibility()
	return obj{
		"id": rp.ID, "node_id": nodeID("R", rp.ID), "name": rp.Name, "full_name": rp.FullName(),
		"owner": s.userJSON(rp.Owner), "private": visibility != "public", "visibility": visibility,
		"default_branch": rp.DefaultBranch, "fork": false, "archived": false,
		"html_url": s.htmlURL("/%s", rp.FullName()), "url": s.apiURL("/repos/%s", rp.FullName()),
	}
}

// legacy GitHub roles reported in "permission" next to the finer role_name.
var legacyPermission = map[string]string{
	"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read", "none": "none",
}

func (s *Server) getPermission(c *call) {
	login := c.param("user")
	role, ok := c.repo.perms[strings.ToLower(login)]
	if !ok {
		role = "read"
		if c.repo.Private {
			role = "none"
		}
	}
	c.json(http.StatusOK, obj{"permission": legacyPermission[role], "role_name": role, "user": s.userJSON(login)})
}

// userJSON renders a user; logins ending in "[bot]" are Bots. Callers hold mu.
func (s *Server) userJSON(login string) obj {
	if login == "" {
		return nil
	}
	id, ok := s.users[strings.ToLower(login)]
	if !ok {
		id = s.newID()
		s.users[strings.ToLower(login)] = id
	}
	typ := "User"
	if strings.HasSuffix(login, "[bot]") {
		typ = "Bot"
	}
	return obj{"login": login, "id": id, "node_id": nodeID("U", id), "type": typ,
		"html_url": s.htmlURL("/%s", login), "url": s.apiURL("/users/%s", login)}
}

func nodeID(kind string, id int64) string {
	return kind + "_kw" + strconv.FormatInt(id, 36)
}
