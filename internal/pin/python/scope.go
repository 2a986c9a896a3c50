package python

import (
	"fmt"

	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// scope is a namespace: the module's globals, a function call's locals or
// a class body.
type scope struct {
	vars    map[string]value
	parent  *scope // enclosing function scope for closures; nil at module level
	globals map[string]bool
}

func newScope(parent *scope) *scope {
	return &scope{vars: map[string]value{}, parent: parent}
}

// ctrl is how a statement ends: normally, or by break, continue or
// return.
type ctrl int

const (
	ctrlNone ctrl = iota
	ctrlBreak
	ctrlContinue
	ctrlReturn
)

// frame is one function activation.
type frame struct {
	sc     *scope
	ret    value
	fn     *funcV
	global bool
}

// lookup resolves a name through the frame's scopes, the globals and the
// builtins.
func (in *interp) lookup(f *frame, n *syntax.Node, name string) (value, error) {
	for sc := f.sc; sc != nil; sc = sc.parent {
		if sc.globals[name] {
			break
		}
		if v, ok := sc.vars[name]; ok {
			return v, nil
		}
	}
	if v, ok := in.globals.vars[name]; ok {
		return v, nil
	}
	if v, ok := in.builtins[name]; ok {
		return v, nil
	}
	if len(in.wildcards) > 0 {
		return &opaqueV{reason: fmt.Sprintf("%s may come from 'from %s import *', which is not evaluated", name, in.wildcards[0]),
			line: n.Line, col: n.Col}, nil
	}
	// CPython would raise NameError; an unknown value keeps the damage to
	// the pins that depend on the name (a builtin the evaluator withholds,
	// such as open or __import__, lands here too).
	return &opaqueV{reason: fmt.Sprintf("name '%s' is not defined (or not available to the evaluator)", name),
		line: n.Line, col: n.Col}, nil
}

func (in *interp) assignName(f *frame, name string, v value) {
	if f.sc.globals[name] || f.global {
		if _, seen := in.globals.vars[name]; !seen {
			in.defined = append(in.defined, name)
		}
		in.globals.vars[name] = v
		return
	}
	f.sc.vars[name] = v
}
