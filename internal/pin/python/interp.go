package python

import (
	"context"
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// interp evaluates one module under one platform model.
type interp struct {
	// ctx ends the evaluation when done; it is polled every ctxPollSteps.
	ctx      context.Context
	file     string
	src      []byte
	env      map[string]string
	platform pin.Platform
	maxSteps int
	maxDepth int
	steps    int
	depth    int
	// units is work not yet worth a whole step (see cost.go).
	units int64
	// nextPoll is the step count at which ctx is next looked at.
	nextPoll int
	// mem is the bytes of values built so far; maxMem bounds it.
	mem    int64
	maxMem int64
	// fmtDepth is the nesting of str.format calls in format specs.
	fmtDepth int
	// mutatedCache holds mutatedNames of function bodies.
	mutatedCache map[*syntax.Node][]string
	// symLine is the line of the module-level statement that last
	// assigned each name, where a budget error of the pin walk points.
	symLine  map[string]int
	globals  *scope
	builtins map[string]value
	// defined lists module-level names in order of first assignment.
	defined []string
	modules map[string]*moduleV
	// wildcards lists modules imported with *, to explain NameErrors.
	wildcards []string
	// incomplete records containers that code which could not be
	// evaluated was going to add to: their pins are reported with a
	// warning that more may exist.
	incomplete map[any]*opaqueV
	// star is the records' state (every call to an unknown function, and
	// all of Starlark mode).
	star *starlark
	// br records the branches decided conditions took and skipped, for
	// the sweep.
	br branches
}

// ctxPollSteps is how often, in steps, the evaluation looks at its context.
const ctxPollSteps = 4096

func (in *interp) step(n *syntax.Node) error {
	in.steps++
	return in.checkSteps(n)
}

// maxValueSize bounds one string's bytes or one container's elements.
const maxValueSize = 8 << 20

func (in *interp) opaque(n *syntax.Node, format string, args ...any) *opaqueV {
	return &opaqueV{reason: fmt.Sprintf(format, args...), line: n.Line, col: n.Col}
}

// execModule runs every top-level statement. A statement that raises or
// depends on an unknown value makes the names it assigns unknown, with the
// reason, and evaluation goes on with the next statement.
func (in *interp) execModule(mod *syntax.Node) error {
	f := &frame{sc: in.globals, global: true}
	for _, st := range mod.Kids {
		_, err := in.exec(f, st)
		if err == nil {
			if in.symLine == nil {
				in.symLine = map[string]int{}
			}
			for _, name := range assignedNames(st) {
				in.symLine[name] = st.Line
			}
			continue
		}
		var be *budgetError
		if errors.As(err, &be) {
			return be.BudgetError
		}
		o := in.failureOpaque(st, err)
		for _, name := range mutatedNames(st) {
			in.markIncomplete(in.globals.vars[name], o)
		}
		for _, name := range assignedNames(st) {
			if _, seen := in.globals.vars[name]; !seen {
				in.defined = append(in.defined, name)
			}
			in.globals.vars[name] = o
		}
	}
	return nil
}

// failureOpaque describes why a statement could not be evaluated.
func (in *interp) failureOpaque(st *syntax.Node, err error) *opaqueV {
	var of *opaqueFlow
	if errors.As(err, &of) {
		return of.o
	}
	var pe *pyError
	if errors.As(err, &pe) {
		line, col := pe.line, pe.col
		if line == 0 {
			line, col = st.Line, st.Col
		}
		return &opaqueV{reason: fmt.Sprintf("evaluating it raised %s: %s", pe.typ, pe.msg), line: line, col: col}
	}
	return &opaqueV{reason: err.Error(), line: st.Line, col: st.Col}
}

func (in *interp) execBlock(f *frame, block *syntax.Node) (ctrl, error) {
	for _, st := range block.Kids {
		c, err := in.exec(f, st)
		if err != nil || c != ctrlNone {
			return c, err
		}
	}
	return ctrlNone, nil
}

func (in *interp) exec(f *frame, st *syntax.Node) (ctrl, error) {
	if err := in.step(st); err != nil {
		return ctrlNone, err
	}
	switch st.Kind {
	case syntax.ExpressionStatement:
		for _, e := range st.Kids {
			if _, err := in.evalStmtExpr(f, e); err != nil {
				return ctrlNone, err
			}
		}
		return ctrlNone, nil
	case syntax.Block:
		return in.execBlock(f, st)
	case syntax.IfStatement:
		return in.execIf(f, st)
	case syntax.ForStatement:
		return in.execFor(f, st)
	case syntax.WhileStatement:
		return in.execWhile(f, st)
	case syntax.FunctionDefinition:
		fn, err := in.makeFunc(f, st)
		if err != nil {
			return ctrlNone, err
		}
		in.assignName(f, fn.name, fn)
		return ctrlNone, nil
	case syntax.ClassDefinition:
		cls, err := in.makeClass(f, st, nil)
		if err != nil {
			return ctrlNone, err
		}
		in.assignName(f, cls.name, cls)
		return ctrlNone, nil
	case syntax.DecoratedDefinition:
		return ctrlNone, in.execDecorated(f, st)
	case syntax.ReturnStatement:
		f.ret = none
		if len(st.Kids) > 0 {
			v, err := in.evalTupleish(f, st.Kids[0])
			if err != nil {
				return ctrlNone, err
			}
			f.ret = v
		}
		return ctrlReturn, nil
	case syntax.PassStatement, syntax.FutureImportStatement, syntax.TypeAliasStatement:
		return ctrlNone, nil
	case syntax.BreakStatement:
		return ctrlBreak, nil
	case syntax.ContinueStatement:
		return ctrlContinue, nil
	case syntax.ImportStatement, syntax.ImportFromStatement:
		return ctrlNone, in.execImport(f, st)
	case syntax.GlobalStatement, syntax.NonlocalStatement:
		if st.Kind == syntax.GlobalStatement {
			if f.sc.globals == nil {
				f.sc.globals = map[string]bool{}
			}
			for _, k := range st.Kids {
				f.sc.globals[k.Text(in.src)] = true
			}
		}
		return ctrlNone, nil
	case syntax.TryStatement:
		return in.execTry(f, st)
	case syntax.RaiseStatement:
		msg := "exception raised"
		if len(st.Kids) > 0 {
			msg = "raise " + truncate(st.Kids[0].Text(in.src), 80)
		}
		return ctrlNone, &pyError{typ: "Exception", msg: msg, line: st.Line, col: st.Col}
	case syntax.AssertStatement:
		if len(st.Kids) == 0 {
			return ctrlNone, nil
		}
		v, err := in.eval(f, st.Kids[0])
		if err != nil {
			return ctrlNone, err
		}
		b, ok := truth(v)
		if !ok {
			return ctrlNone, &opaqueFlow{in.opaque(st, "assert depends on an unknown value")}
		}
		if !b {
			return ctrlNone, &pyError{typ: "AssertionError", msg: truncate(st.Kids[0].Text(in.src), 80), line: st.Line, col: st.Col}
		}
		return ctrlNone, nil
	case syntax.DeleteStatement:
		return ctrlNone, in.execDelete(f, st)
	case syntax.WithStatement:
		// A context manager does I/O or holds resources; its body is not
		// evaluated, and what it assigns is unknown.
		return ctrlNone, &opaqueFlow{in.opaque(st, "a with statement is not evaluated")}
	}
	return ctrlNone, &opaqueFlow{in.opaque(st, "%s is not evaluated", st.Kind)}
}

// evalStmtExpr evaluates an expression statement: an assignment, an
// augmented assignment, or an expression kept for its effects (a call).
func (in *interp) evalStmtExpr(f *frame, e *syntax.Node) (value, error) {
	switch e.Kind {
	case syntax.Assignment:
		return nil, in.execAssign(f, e)
	case syntax.AugmentedAssignment:
		return nil, in.execAugAssign(f, e)
	case syntax.String, syntax.ConcatenatedString:
		// A docstring.
		return nil, nil
	}
	return in.eval(f, e)
}
