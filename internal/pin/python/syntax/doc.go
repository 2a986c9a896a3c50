// Package syntax turns Python source into a tree of typed nodes with
// positions, for the evaluator in package python to walk.
//
// It owns everything that touches tree-sitter and cgo: parsing with the
// tree-sitter-python grammar, copying the tree into plain Go Nodes with
// one foreign call (flatten.go), the Kind and Field constants generated
// from the grammar (kinds_gen.go, rewritten by go generate), and the
// checks for text the grammar accepts but CPython refuses (validate.go).
// Nodes carry what the evaluator needs as nodes, such as the names an
// except clause catches, so that no caller compares kind names or
// searches source text.
//
// The grammar tables and tree-sitter's switch to its own libc allocator
// are set up once, by the first Parse: a binary that links the package
// but never parses is unaffected.
//
// syntax imports tree-sitter and nothing of pindrift.
package syntax
