package server

import (
	"context"

	"github.com/pindrift/pindrift/internal/jobs"
)

// CloseDatabase closes the job queue's database under a running server,
// as when the database goes away, so that tests can see /readyz refuse.
func (s *Server) CloseDatabase() error { return s.jobs.Close() }

// SweepNow runs the sweep once, as its schedule would, so that tests need
// not race a frequent schedule.
func (s *Server) SweepNow(ctx context.Context) error {
	return (&handler{s: s}).Sweep(ctx, func(ctx context.Context, a jobs.VerifyRepo) error {
		_, err := s.jobs.Enqueue(ctx, a)
		return err
	})
}
