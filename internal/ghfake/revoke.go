package ghfake

import "net/http"

// RevokeTokens revokes every installation token issued so far for
// installationID, as GitHub does when a token is revoked through the API,
// the installation's permissions change, or its key is rotated: any
// request carrying one answers 401 "Bad credentials" from then on, while
// new tokens work. It returns how many tokens it revoked.
func (s *Server) RevokeTokens(installationID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.revoked == nil {
		s.revoked = map[string]bool{}
	}
	n := 0
	for tok, id := range s.tokens {
		if id == installationID {
			s.revoked[tok] = true
			delete(s.tokens, tok)
			n++
		}
	}
	return n
}

// revokedToken answers 401 for a request carrying a revoked token, with
// or without RequireToken. Callers hold mu.
func (s *Server) revokedToken(c *call) bool {
	if c.rec.Token == "" || !s.revoked[c.rec.Token] {
		return false
	}
	c.errorJSON(http.StatusUnauthorized, "Bad credentials")
	return true
}
