//go:build !race

package sandbox

// childEnv is the child's whole environment: nothing.
func childEnv() []string { return []string{} }

// minMemoryBytes is the least memory limit children get; only
// race-enabled builds raise it.
const minMemoryBytes = 0
