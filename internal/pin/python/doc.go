// Package python finds the pins a Python module promises, by evaluating the
// module statically: package syntax parses the source into typed nodes,
// and a side-effect-free interpreter for the subset of Python such modules
// use computes every value, remembering for each string the source span
// it came from. Repository code is never executed, and nothing here touches
// the file system, the network or other processes.
//
// Anyone who can open a pull request controls the input, so every run is
// bounded by counts, never by time: a step budget (pin.Options.MaxSteps)
// that every operation charges in proportion to its work, parsing
// included; a memory budget (pin.Options.MaxMemory) over all the values a
// run builds; a cap on one value (8 Mi bytes or elements); and bounds on
// every recursion (syntax nesting, call depth, the nesting of values
// followed by ==, <, repr and hashing), so that no input can overflow the
// Go stack. Self-containing values behave as in CPython: repr shows [...],
// and comparing two of them raises RecursionError. See cost.go and
// cycle.go; testdata/hostile holds the attacks these bounds were tested
// against.
//
// The interpreter core is interp.go (statements), expr.go and call.go.
// Each value type lives in its own file with the operations it supports
// (value_*.go, class.go, modules.go). Builtins are named functions, listed
// in one table (builtins.go), that read their arguments with unpackArgs.
//
// Starlark (Bazel's .bzl, BUILD, WORKSPACE, MODULE.bazel) is a mode of
// this evaluator (pin.Options.Format == pin.Starlark), not a second parser
// and evaluator: one hardened evaluator (budgets, sandbox, hostile corpus,
// fuzzing) is safer than two, tree-sitter-python parses Starlark, and the
// record finding is the same for Python build scripts. In that mode
// (starlark.go) load() binds its names to unknown values; every call to a
// function the evaluator does not know (http_archive, maybe(http_archive,
// ...)) is a record of its keyword arguments, paired by pin.Fields; every
// top-level def the file does not call runs once with unknown parameters,
// so records that depend on them are reported as unresolved; both
// branches of an if on an unknown condition are read; and a final sweep
// reports every digest literal no record accounted for. Python mode reads
// records from the calls it runs as well (a build script's
// download(url=..., sha256=...)), and nothing more of the above.
//
// python imports pin and python/syntax and nothing else of pindrift; only
// pin/extract imports python.
package python
