package runnertest

import (
	"context"
	"sync"

	"github.com/pindrift/pindrift/internal/runner"
)

// Discoveries is an in-memory runner.Discoveries whose calls can be made
// to fail, as a database that is down would.
type Discoveries struct {
	mu   sync.Mutex
	last map[string]runner.Discovery
	err  error
}

var _ runner.Discoveries = (*Discoveries)(nil)

// NewDiscoveries returns an empty store.
func NewDiscoveries() *Discoveries {
	return &Discoveries{last: map[string]runner.Discovery{}}
}

// Fail makes every later call return err; nil heals the store.
func (s *Discoveries) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// Get returns what is recorded for owner/repo, whatever Fail says.
func (s *Discoveries) Get(owner, repo string) (runner.Discovery, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.last[owner+"/"+repo]
	return d, ok
}

// Last implements runner.Discoveries.
func (s *Discoveries) Last(_ context.Context, owner, repo string) (runner.Discovery, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return runner.Discovery{}, false, s.err
	}
	d, ok := s.last[owner+"/"+repo]
	return d, ok, nil
}

// Record implements runner.Discoveries.
func (s *Discoveries) Record(_ context.Context, owner, repo string, d runner.Discovery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.last[owner+"/"+repo] = d
	return nil
}
