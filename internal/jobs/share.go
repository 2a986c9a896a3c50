package jobs

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rs/zerolog"
)

// An installation's share of the workers is a set of numbered slots, each
// a lease in pindrift_repo_locks like a repository's ("installation:ID#N"),
// so it holds across replicas and a crashed holder's slot expires with its
// lease. A job takes a free slot before its repository lease. When all
// Options.InstallationShare slots are taken it runs anyway unless a job of
// another installation is waiting: a lone installation may use every
// worker, but one with a long queue cannot keep the others waiting.

func slotKey(installationID int64, n int) string {
	return "installation:" + strconv.FormatInt(installationID, 10) + "#" + strconv.Itoa(n)
}

// takeShare returns a slot lease for the installation, nil with ok when
// the job may run without one, or ok false when it must wait.
func (j *Jobs) takeShare(ctx context.Context, installationID int64) (l *lease, ok bool, err error) {
	for n := range j.opts.InstallationShare {
		l, ok, err := j.acquire(ctx, slotKey(installationID, n))
		if err != nil || ok {
			return l, ok, err
		}
	}
	waiting, err := j.othersWaiting(ctx, installationID)
	if err != nil {
		return nil, false, err
	}
	if waiting {
		zerolog.Ctx(ctx).Debug().Int("share", j.opts.InstallationShare).
			Msg("installation has its share of workers and others wait; job waits")
		return nil, false, nil
	}
	return nil, true, nil
}

// othersWaiting reports whether a repository job of another installation
// is due and not running.
func (j *Jobs) othersWaiting(ctx context.Context, installationID int64) (bool, error) {
	inst := `CAST(args->>'installation_id' AS BIGINT)`
	due := `scheduled_at <= now()`
	if j.dialect == dialectSQLite {
		inst = `CAST(json_extract(args, '$.installation_id') AS INTEGER)`
		due = `scheduled_at <= datetime('now', 'subsec')`
	}
	var n int64
	err := j.be.db().queryRow(ctx, `SELECT COUNT(*) FROM river_job
		WHERE state = 'available' AND kind IN (?, ?) AND `+due+` AND `+inst+` <> ?`,
		KindVerifyRepo, KindCheckPR, installationID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("jobs of other installations: %w", err)
	}
	return n > 0, nil
}

// shareRetry is how long a job over its installation's share waits: the
// lock retry, so it is back as soon as a repository would be.
func (j *Jobs) shareRetry() time.Duration { return j.opts.LockRetry }
