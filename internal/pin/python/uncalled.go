package python

import (
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// runUncalledDefs evaluates once the body of every top-level def the
// module did not call (Bazel's go_rules_dependencies(), called from
// another file; a build script's helper its caller imports), each
// parameter an unknown value naming itself, so that the records written
// there are found, and the records that depend on a parameter are
// reported with it. Defs that other defs call by name run last: most are
// reached first, with real arguments, from their callers, and are not
// run again.
//
// In Python mode CPython would run none of this on import, so reading it
// must never cost the file the pins of the code that does run: the defs
// share half of the budget left, and one that exhausts it is a finding,
// not an error, returned as cut. Starlark mode keeps the whole budget
// and its errors.
func (in *interp) runUncalledDefs(mod *syntax.Node) (cut *pin.Finding, err error) {
	var defs []*syntax.Node
	calledByDefs := map[string]bool{}
	for _, st := range mod.Kids {
		def := st
		if st.Kind == syntax.DecoratedDefinition {
			def = st.Field(syntax.FieldDefinition)
		}
		if def != nil && def.Kind == syntax.FunctionDefinition {
			defs = append(defs, def)
			calleeNames(def.Field(syntax.FieldBody), calledByDefs)
		}
	}
	if len(defs) == 0 {
		return nil, nil
	}
	if !in.star.full {
		// The steps the defs take are given back afterwards, so what
		// follows (the sweep of digest literals, linear in the syntax
		// tree) has the budget it would have had without them: a file
		// costs at most half a budget more than the code that runs.
		steps, maxSteps, maxMem := in.steps, in.maxSteps, in.maxMem
		in.maxSteps = in.steps + max(0, in.maxSteps-in.steps)/2
		in.maxMem = in.mem + max(0, in.maxMem-in.mem)/2
		in.star.passThrough = true
		defer func() { in.steps, in.maxSteps, in.maxMem, in.star.passThrough = steps, maxSteps, maxMem, false }()
	}
	for _, late := range []bool{false, true} {
		for _, def := range defs {
			if calledByDefs[def.Field(syntax.FieldName).Token] != late {
				continue
			}
			err := in.runUncalledDef(def)
			var be *budgetError
			if err == nil || !errors.As(err, &be) {
				continue
			}
			if in.star.full || be.Err != nil {
				return nil, be.BudgetError
			}
			name := def.Field(syntax.FieldName).Token
			return &pin.Finding{Symbol: name, Line: def.Line, Column: def.Col, Span: spanOf(def),
				Message: fmt.Sprintf("def %s, which the module never calls, was read only up to line %d, where its share of the evaluation budget ran out; records after that point are not found, and digests the defs hold are reported as such",
					name, be.Line)}, nil
		}
	}
	return nil, nil
}

// runUncalledDef runs def's body once with unknown parameters, unless the
// module called it. It returns only budget errors.
func (in *interp) runUncalledDef(def *syntax.Node) error {
	name := def.Field(syntax.FieldName).Token
	fn, ok := in.globals.vars[name].(*funcV)
	if !ok || fn.body != def.Field(syntax.FieldBody) {
		// A decorated def is bound to what its decorator returned, or a
		// later def took its name: read the def as written.
		var err error
		if fn, err = in.makeFunc(&frame{sc: in.globals, global: true}, def); err != nil {
			return budgetOnly(err)
		}
	}
	if in.star.called[fn.body] {
		return nil
	}
	in.star.called[fn.body] = true
	sc := newScope(nil)
	for _, p := range fn.params {
		sc.vars[p.name] = &opaqueV{reason: pin.ParameterReason(p.name, fn.name), line: def.Line, col: def.Col}
	}
	fr := &frame{sc: sc, fn: fn, ret: none}
	in.depth++
	_, err := in.execBlock(fr, fn.body)
	in.depth--
	// Any other error (an exception, a loop over a parameter) ends this
	// body: the records before it are kept, and the digests after it are
	// reported by the sweep.
	return budgetOnly(err)
}

// budgetOnly keeps a budget error and drops any other.
func budgetOnly(err error) error {
	var be *budgetError
	if errors.As(err, &be) {
		return be
	}
	return nil
}

// calleeNames adds to out the names that calls under n call directly.
// Syntax nesting is bounded by the parser, so the recursion is too.
func calleeNames(n *syntax.Node, out map[string]bool) {
	if n.Kind == syntax.Call {
		if fn := n.Field(syntax.FieldFunction); fn != nil && fn.Kind == syntax.Identifier {
			out[fn.Token] = true
		}
	}
	for _, k := range n.Kids {
		calleeNames(k, out)
	}
}
