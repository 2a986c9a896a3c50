package server

// CloseDatabase closes the job queue's database under a running server,
// as when the database goes away, so that tests can see /readyz refuse.
func (s *Server) CloseDatabase() error { return s.jobs.Close() }

// InstallationGone exposes the classification of permanent installation
// errors to table tests.
var InstallationGone = installationGone
