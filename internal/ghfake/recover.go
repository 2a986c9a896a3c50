package ghfake

// Recover drops every injected failure not yet consumed, as when an outage
// ends: tests hold GitHub down for as long as they look, then let it answer.
func (s *Server) Recover() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = nil
}
