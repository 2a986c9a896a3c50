//go:build race

package sandbox_test

// raceEnabled: the race detector multiplies memory use, so memory limits
// in tests are raised.
const raceEnabled = true
