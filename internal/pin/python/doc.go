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
// (starlark.go) load() binds its names to unknown values, and both
// branches of an if on an unknown condition are read. In both modes:
//
//   - every call to a function the evaluator does not know (http_archive,
//     maybe(http_archive, ...), a build script's download(url=...,
//     sha256=...)) is a record of its keyword arguments, paired by
//     pin.Fields;
//   - every top-level def the module does not call runs once, after the
//     symbols are walked, with unknown parameters (uncalled.go), so
//     records that depend on them are reported as unresolved, naming the
//     parameter (pin.ParameterReason). Python mode, where CPython would
//     run none of this on import, gives these runs half of the budget
//     left and reports one that runs out as a finding, not an error; and
//     a record there whose digest is unknown only passes on a digest
//     written elsewhere (ImageSource(sha256=entry.sha256)), so it is not
//     reported;
//   - a final sweep (sweep.go), once over all the platforms' runs,
//     reports every digest literal, in any form pin.ParseDigest reads, that
//     no run accounted for (a pin, a record's or the walk's finding): in
//     Starlark as pin.MsgNoURL, in Python as pin.MsgUnreached (a table
//     entry nothing looks up, a class attribute that is not a field).
//     A literal in a branch every run skipped on a condition it decided
//     (an if, elif or else; an arm of x if c else y; the right of
//     and/or) is not reported: a darwin-only branch, evaluated for linux
//     alone, belongs to a platform, environment or constant not
//     evaluated, and pindrift cannot tell a stray there from a pin. Add
//     the platform (or set the variable) to have it read: a run that
//     takes the branch pairs its digests or reports them. A def called
//     twice that takes a branch once has taken it.
//
// A file reports at most pin.MaxFindings findings, and one more saying
// how many were left out.
//
// python imports pin and python/syntax and nothing else of pindrift; only
// pin/extract imports python.
package python
