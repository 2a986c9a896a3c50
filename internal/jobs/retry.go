package jobs

import (
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// RetryAfterError asks for the job to run again at At, without using up an
// attempt (GitHub's rate-limit reset, a Retry-After header).
type RetryAfterError struct {
	At  time.Time
	Err error
}

// RetryAfter returns an error that, returned by a Handler, reschedules the
// job for at. cause, which may be nil, is kept for logs and errors.Is.
func RetryAfter(at time.Time, cause error) error {
	return &RetryAfterError{At: at, Err: cause}
}

func (e *RetryAfterError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("retry after %s", e.At.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("retry after %s: %v", e.At.UTC().Format(time.RFC3339), e.Err)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// asRetryAfter finds a RetryAfterError in err's chain.
func asRetryAfter(err error) (*RetryAfterError, bool) {
	var ra *RetryAfterError
	ok := errors.As(err, &ra)
	return ra, ok
}

// Permanent marks a handler error that no retry can fix (an invalid
// configuration, a manifest that does not parse): the job is cancelled
// instead of being retried with backoff.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return river.JobCancel(err)
}
