package python

// RunStats are the steps and accounted bytes of one platform's run.
type RunStats struct {
	Steps int
	Bytes int64
}

// RecordRunStats makes every run append its stats to *into until the
// returned function is called. Tests that use it must not run in
// parallel with other Extract calls.
func RecordRunStats(into *[]RunStats) (stop func()) {
	testHookRunStats = func(steps int, bytes int64) { *into = append(*into, RunStats{steps, bytes}) }
	return func() { testHookRunStats = nil }
}

// Cost-model constants the corpus test checks against.
const (
	MaxValueSize = maxValueSize
)
