// Package actiontest tests action.yml, the composite GitHub Action: its
// tests run the action's shell steps the way the Actions runner does,
// against release assets served on loopback (all good, one drifted,
// unreachable, bad inputs, hostile inputs), and lint the action and the
// example workflow with actionlint.
//
// It holds tests only; this file exists for this comment. It is test
// support (layers_test.go): nothing imports it, and its tests may import
// any package.
package actiontest
