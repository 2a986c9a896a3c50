package ghfake

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// refusals is RefuseRandomly's state.
type refusals struct {
	fraction   float64
	rng        *rand.Rand
	retryAfter time.Duration
	refused    int
}

// RefuseRandomly makes GitHub's secondary rate limit refuse a fraction of
// the requests made with an installation token, chosen by a generator
// seeded with seed: 403, "You have exceeded a secondary rate limit" and
// Retry-After, as GitHub answers. The App's own (JWT) requests, listing
// installations and minting tokens, are spared, so what is measured is
// how the work of a job gets through. fraction 0 stops it.
func (s *Server) RefuseRandomly(fraction float64, seed uint64, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fraction <= 0 {
		s.refuse = nil
		return
	}
	s.refuse = &refusals{fraction: fraction, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), retryAfter: retryAfter}
}

// Refused is how many requests RefuseRandomly refused.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse == nil {
		return 0
	}
	return s.refuse.refused
}

// refuseRandomly answers c with a secondary rate limit when its turn
// comes. Callers hold mu.
func (s *Server) refuseRandomly(c *call) bool {
	rf := s.refuse
	if rf == nil || !c.rec.API || c.rec.Installation == 0 || rf.rng.Float64() >= rf.fraction {
		return false
	}
	rf.refused++
	c.w.Header().Set("Retry-After", strconv.Itoa(int(rf.retryAfter/time.Second)))
	// go-github tells a secondary limit from other 403s by this URL.
	c.json(http.StatusForbidden, obj{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
		"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
		"status":            "403"})
	return true
}
