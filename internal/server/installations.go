package server

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/jobs"
)

// SetInstallation records an installation's state from its installation
// delivery, for every replica.
func (q *queue) SetInstallation(ctx context.Context, id int64, st jobs.InstallationState) error {
	return q.jobs.SetInstallationState(ctx, id, st)
}

// skipInstallation reports whether a job of installation id must not run:
// the installation is suspended (its tokens are refused until it is
// unsuspended, which verifies its repositories again) or deleted. The job
// then ends without an error, so it is not retried for days.
func (s *Server) skipInstallation(ctx context.Context, id int64) (bool, error) {
	st, err := s.jobs.InstallationState(ctx, id)
	if err != nil {
		return false, err
	}
	if st == jobs.InstallationActive {
		return false, nil
	}
	zerolog.Ctx(ctx).Info().Str("installation_state", string(st)).Msg("installation " + string(st) + "; job skipped")
	return true, nil
}
