package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river/rivertype"
)

// Stats counts jobs by River state ("available", "running", ...), every
// state present even at zero so gauges do not vanish.
func (j *Jobs) Stats(ctx context.Context) (map[string]int64, error) {
	counts := make(map[string]int64)
	for _, s := range rivertype.JobStates() {
		counts[string(s)] = 0
	}
	err := j.be.db().queryEach(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`, nil,
		func(scan func(...any) error) error {
			var state string
			var n int64
			if err := scan(&state, &n); err != nil {
				return err
			}
			counts[state] = n
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("job stats: %w", err)
	}
	return counts, nil
}
