package ghfake

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// EnforceVisibility makes repositories that are not public (Private, or
// Visibility "internal" or "private") behave as on GitHub for anyone
// without a token of their installation: their API endpoints and release
// downloads answer 404, whether or not what was asked for exists. Asset
// bytes fetched through the API (Accept: application/octet-stream) redirect
// to a signed download URL that serves them without a token, as GitHub's
// storage URLs do.
func (s *Server) EnforceVisibility() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.enforceVis = true
}

func (rp *repo) visibility() string {
	switch {
	case rp.Visibility != "":
		return rp.Visibility
	case rp.Private:
		return "private"
	}
	return "public"
}

// readable reports whether the request's token may see rp. Callers hold mu.
func (s *Server) readable(c *call, rp *repo) bool {
	if !s.enforceVis || rp.visibility() == "public" {
		return true
	}
	id, ok := s.tokens[c.rec.Token]
	return ok && id == rp.InstallationID && s.now.Before(s.tokenExpiry[c.rec.Token])
}

// visible answers 404 for a hidden repository. Callers hold mu.
func (s *Server) visible(c *call) bool {
	// The repository's installation is looked up with the App's JWT.
	if s.readable(c, c.repo) || strings.HasSuffix(c.rec.Path, "/installation") {
		return true
	}
	c.notFound()
	return false
}

// downloadable reports whether a browser download of rp's asset may be
// served: public, with a token of its installation, or signed. Callers
// hold mu.
func (s *Server) downloadable(c *call, rp *repo) bool {
	if s.readable(c, rp) {
		return true
	}
	sig := c.r.URL.Query().Get("signature")
	return sig != "" && sig == s.assetSignature(rp, c.param("tag"), c.param("name"))
}

func (s *Server) assetSignature(rp *repo, tag, name string) string {
	h := sha256.Sum256([]byte("ghfake/" + strconv.FormatInt(rp.ID, 10) + "/" + tag + "/" + name))
	return hex.EncodeToString(h[:16])
}

// signedAssetURL is where the API redirects for an asset's bytes.
func (s *Server) signedAssetURL(rp *repo, rel *Release, a *Asset) string {
	u := s.AssetURL(rp.Owner, rp.Name, rel.Tag, a.Name)
	if rp.visibility() == "public" {
		return u
	}
	return u + "?signature=" + s.assetSignature(rp, rel.Tag, a.Name)
}
