//go:build !race

package sandbox

// childEnv is the child's whole environment: nothing.
func childEnv() []string { return []string{} }
