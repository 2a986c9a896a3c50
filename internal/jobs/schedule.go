package jobs

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// parseSchedule reads a standard five-field cron expression or a
// descriptor (@daily, @every 1h) and evaluates it in UTC whatever the
// process's time zone.
func parseSchedule(spec string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("sweep schedule %q: %w", spec, err)
	}
	if ss, ok := s.(*cron.SpecSchedule); ok && ss.Location == time.Local {
		ss.Location = time.UTC
	}
	return s, nil
}
