//go:build race

package sandbox

// childEnv is the child's whole environment. A race-enabled binary (tests
// run with -race) would otherwise sleep a second on exit, waiting for
// late races, once per extraction.
func childEnv() []string { return []string{"GORACE=atexit_sleep_ms=0"} }

// minMemoryBytes is the least memory limit children get: the race
// detector's shadow memory multiplies what a child maps, and a
// race-enabled child does not start in less than about 1 GiB.
const minMemoryBytes = 1 << 30
