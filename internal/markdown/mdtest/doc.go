// Package mdtest reads Markdown the way GitHub does (CommonMark with the
// GFM extensions, by goldmark) so tests can assert on what a reader sees:
// which text is code, which is prose, which HTML and which links the
// document holds.
//
// It is test support (layers_test.go): only tests import it, at any layer,
// and no production code may, which keeps goldmark out of the binary. It
// imports goldmark and no pindrift package, so that it judges package
// markdown's output without sharing its assumptions.
package mdtest
