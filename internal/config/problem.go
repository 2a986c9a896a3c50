package config

import "github.com/pindrift/pindrift/internal/strictyaml"

// Error is an invalid server configuration: every problem found, in file
// order, each located in the file or the environment variable it came
// from. Its text never contains a secret's value.
type Error = strictyaml.Error

// Problem is one thing wrong with a configuration, and where it is.
type Problem = strictyaml.Problem
