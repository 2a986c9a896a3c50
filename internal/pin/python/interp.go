package python

import (
	"context"
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// pyError is a Python exception raised during evaluation (KeyError,
// TypeError, an explicit raise). It unwinds like one: a try statement may
// catch it; at module level it makes the statement's targets unknown.
type pyError struct {
	typ  string
	msg  string
	line int
	col  int
}

func (e *pyError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.line, e.typ, e.msg)
	}
	return e.typ + ": " + e.msg
}

func pyErrf(typ, format string, args ...any) *pyError {
	return &pyError{typ: typ, msg: fmt.Sprintf(format, args...)}
}

// opaqueFlow unwinds evaluation when control flow depends on an unknown
// value (if unknown: ...). A function call it escapes from returns an
// opaque value; a module-level statement it escapes from makes its targets
// unknown.
type opaqueFlow struct{ o *opaqueV }

func (e *opaqueFlow) Error() string { return e.o.reason }

// budgetError wraps the fatal BudgetError so it passes through every
// handler untouched.
type budgetError struct {
	*pin.BudgetError
	// attributed marks an error already moved to the enclosing loop, or
	// that stays where it happened.
	attributed bool
	// inLoop marks an error that names its innermost loop.
	inLoop bool
}

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

// funcV is a def or a lambda.
type funcV struct {
	name     string
	params   []param
	body     *syntax.Node // block, or an expression for a lambda
	isLambda bool
	closure  *scope // defining scope (nil for module-level functions)
	// kind is "", "staticmethod", "classmethod" or "property".
	kind string
}

type param struct {
	name    string
	kind    int // paramPos, paramVarPos, paramKwOnly, paramVarKw
	def     value
	hasDef  bool
	posOnly bool
}

const (
	paramPos = iota
	paramVarPos
	paramKwOnly
	paramVarKw
)

// classV is a class defined in the module. Classes whose body declares
// annotated fields construct records, the way pydantic models, dataclasses
// and NamedTuples do.
type classV struct {
	name    string
	bases   []*classV
	fields  []fieldDef
	attrs   map[string]value // methods and class attributes
	record  bool
	isTuple bool // NamedTuple: also indexable and unpackable
	isEnum  bool
	members *dictV // enum members by name
	// ancestors caches lineage().
	ancestors []*classV
}

type fieldDef struct {
	name   string
	def    value
	hasDef bool
	// factory is a default_factory, called for each new record.
	factory value
}

// instanceV is an object of a module class; attrs holds its fields (for
// records, in declaration order) and any attribute set on it.
type instanceV struct {
	class    *classV
	attrs    *dictV
	enumName string
}

// boundV is a method bound to its receiver.
type boundV struct {
	self value
	fn   value
}

// builtinV is a function implemented by the evaluator.
type builtinV struct {
	name string
	fn   func(in *interp, call *callArgs) (value, error)
}

// moduleV is one of the modules the evaluator models (os, sys, platform,
// typing, ...).
type moduleV struct {
	name  string
	attrs map[string]value
}

// typeV is a builtin type such as str or dict: callable as a constructor,
// subscriptable in annotations.
type typeV struct {
	name string
	ctor *builtinV
}

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
}

// ctxPollSteps is how often, in steps, the evaluation looks at its context.
const ctxPollSteps = 4096

func (in *interp) step(n *syntax.Node) error {
	in.steps++
	return in.checkSteps(n)
}

// maxValueSize bounds one string's bytes or one container's elements.
const maxValueSize = 8 << 20

// at gives a pyError a position if it has none.
func at(err error, n *syntax.Node) error {
	var pe *pyError
	if errors.As(err, &pe) && pe.line == 0 {
		pe.line, pe.col = n.Line, n.Col
	}
	return err
}

func (in *interp) opaque(n *syntax.Node, format string, args ...any) *opaqueV {
	return &opaqueV{reason: fmt.Sprintf(format, args...), line: n.Line, col: n.Col}
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

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
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

func (in *interp) execAssign(f *frame, e *syntax.Node) error {
	right := e.Field(syntax.FieldRight)
	if right == nil {
		// An annotation without a value declares nothing at run time.
		return nil
	}
	var v value
	var err error
	if right.Kind == syntax.Assignment {
		// a = b = value: the inner assignment runs first and its value is
		// assigned to the outer targets too.
		if err := in.execAssign(f, right); err != nil {
			return err
		}
		v, err = in.eval(f, innermostValue(right))
	} else {
		v, err = in.evalTupleish(f, right)
	}
	if err != nil {
		return err
	}
	return in.assignTarget(f, e.Field(syntax.FieldLeft), v, spanOf(innermostValue(e)))
}

func innermostValue(e *syntax.Node) *syntax.Node {
	for e.Kind == syntax.Assignment && e.Field(syntax.FieldRight) != nil {
		e = e.Field(syntax.FieldRight)
	}
	return e
}

// evalTupleish evaluates a right-hand side that may be a bare tuple
// (expression_list: return a, b).
func (in *interp) evalTupleish(f *frame, e *syntax.Node) (value, error) {
	if e.Kind == syntax.ExpressionList {
		items, err := in.evalElements(f, e.Kids)
		if err != nil {
			return nil, err
		}
		return &tupleV{items: items}, nil
	}
	return in.eval(f, e)
}

func (in *interp) assignTarget(f *frame, t *syntax.Node, v value, sp pin.Span) error {
	switch t.Kind {
	case syntax.Identifier:
		in.assignName(f, t.Text(in.src), v)
		return nil
	case syntax.PatternList, syntax.TuplePattern, syntax.ListPattern, syntax.Tuple, syntax.List, syntax.ExpressionList:
		return in.unpack(f, t, v)
	case syntax.ParenthesizedExpression:
		return in.assignTarget(f, t.Kids[0], v, sp)
	case syntax.Subscript:
		obj, err := in.eval(f, t.Field(syntax.FieldValue))
		if err != nil {
			return err
		}
		key, err := in.evalSubscriptKey(f, t)
		if err != nil {
			return err
		}
		return at(in.setItem(t, obj, key, v, sp), t)
	case syntax.Attribute:
		obj, err := in.eval(f, t.Field(syntax.FieldObject))
		if err != nil {
			return err
		}
		name := t.Field(syntax.FieldAttribute).Text(in.src)
		switch o := obj.(type) {
		case *instanceV:
			return o.attrs.set(&strV{s: name}, v, sp)
		case *classV:
			o.attrs[name] = v
			return nil
		case *opaqueV:
			return nil
		}
		return at(pyErrf("AttributeError", "cannot set attribute '%s' on %s", name, typeName(obj)), t)
	}
	return at(pyErrf("SyntaxError", "cannot assign to %s", t.Kind), t)
}

func (in *interp) unpack(f *frame, t *syntax.Node, v value) error {
	targets := t.NamedKids()
	if o, ok := v.(*opaqueV); ok {
		for _, tg := range targets {
			if tg.Kind == syntax.ListSplatPattern {
				tg = tg.Kids[0]
			}
			if err := in.assignTarget(f, tg, o, pin.Span{}); err != nil {
				return err
			}
		}
		return nil
	}
	items, err := in.iterate(t, v)
	if err != nil {
		return err
	}
	star := -1
	for i, tg := range targets {
		if tg.Kind == syntax.ListSplatPattern || tg.Kind == syntax.ListSplat {
			star = i
		}
	}
	if star < 0 {
		if len(items) != len(targets) {
			return at(pyErrf("ValueError", "cannot unpack %d values into %d targets", len(items), len(targets)), t)
		}
		for i, tg := range targets {
			if err := in.assignTarget(f, tg, items[i], pin.Span{}); err != nil {
				return err
			}
		}
		return nil
	}
	after := len(targets) - star - 1
	if len(items) < star+after {
		return at(pyErrf("ValueError", "not enough values to unpack (expected at least %d, got %d)", star+after, len(items)), t)
	}
	for i := 0; i < star; i++ {
		if err := in.assignTarget(f, targets[i], items[i], pin.Span{}); err != nil {
			return err
		}
	}
	rest := append([]value(nil), items[star:len(items)-after]...)
	if err := in.assignTarget(f, targets[star].Kids[0], &listV{items: rest}, pin.Span{}); err != nil {
		return err
	}
	for i := 0; i < after; i++ {
		if err := in.assignTarget(f, targets[star+1+i], items[len(items)-after+i], pin.Span{}); err != nil {
			return err
		}
	}
	return nil
}

func (in *interp) execAugAssign(f *frame, e *syntax.Node) error {
	left, right := e.Field(syntax.FieldLeft), e.Field(syntax.FieldRight)
	op := e.Field(syntax.FieldOperator).Text(in.src)
	op = op[:len(op)-1] // "+=" -> "+"
	cur, err := in.eval(f, left)
	if err != nil {
		return err
	}
	rhs, err := in.eval(f, right)
	if err != nil {
		return err
	}
	// Lists and dicts are updated in place, as CPython's __iadd__/__ior__ do.
	switch c := cur.(type) {
	case *listV:
		if op == "+" {
			items, err := in.iterate(right, rhs)
			if err != nil {
				return err
			}
			if err := in.checkSize(e, int64(len(c.items)+len(items))); err != nil {
				return err
			}
			if err := in.chargeSeq(e, int64(len(items))); err != nil {
				return err
			}
			c.items = append(c.items, items...)
			return nil
		}
	case *dictV:
		if op == "|" {
			if d, ok := rhs.(*dictV); ok {
				if err := in.chargeDict(e, int64(len(d.keys))); err != nil {
					return err
				}
				for i, k := range d.keys {
					if err := c.set(k, d.vals[i], d.spans[i]); err != nil {
						return at(err, e)
					}
				}
				return nil
			}
		}
	}
	v, err := in.binary(e, op, cur, rhs)
	if err != nil {
		return err
	}
	return in.assignTarget(f, left, v, spanOf(e))
}

func (in *interp) execDelete(f *frame, st *syntax.Node) error {
	for _, t := range st.NamedKids() {
		targets := []*syntax.Node{t}
		if t.Kind == syntax.ExpressionList {
			targets = t.NamedKids()
		}
		for _, tg := range targets {
			switch tg.Kind {
			case syntax.Identifier:
				delete(f.sc.vars, tg.Text(in.src))
			case syntax.Subscript:
				obj, err := in.eval(f, tg.Field(syntax.FieldValue))
				if err != nil {
					return err
				}
				key, err := in.evalSubscriptKey(f, tg)
				if err != nil {
					return err
				}
				switch o := obj.(type) {
				case *dictV:
					if _, ok, err := o.del(key); err != nil || !ok {
						if err == nil {
							err = pyErrf("KeyError", "%s", pyRepr(key))
						}
						return at(err, tg)
					}
				case *listV:
					i, err := index(tg, key, len(o.items))
					if err != nil {
						return err
					}
					if err := in.work(tg, int64(len(o.items)-i)); err != nil {
						return err
					}
					o.items = append(o.items[:i:i], o.items[i+1:]...)
				case *opaqueV:
				default:
					return at(pyErrf("TypeError", "'%s' object does not support item deletion", typeName(obj)), tg)
				}
			}
		}
	}
	return nil
}

func (in *interp) execIf(f *frame, st *syntax.Node) (ctrl, error) {
	cond, err := in.eval(f, st.Field(syntax.FieldCondition))
	if err != nil {
		return ctrlNone, err
	}
	b, ok := truth(cond)
	if !ok {
		return ctrlNone, &opaqueFlow{opaqueBecause(st, cond, "the if condition")}
	}
	if b {
		return in.execBlock(f, st.Field(syntax.FieldConsequence))
	}
	for _, alt := range st.FieldAll(syntax.FieldAlternative) {
		switch alt.Kind {
		case syntax.ElifClause:
			c, err := in.eval(f, alt.Field(syntax.FieldCondition))
			if err != nil {
				return ctrlNone, err
			}
			b, ok := truth(c)
			if !ok {
				return ctrlNone, &opaqueFlow{opaqueBecause(alt, c, "the elif condition")}
			}
			if b {
				return in.execBlock(f, alt.Field(syntax.FieldConsequence))
			}
		case syntax.ElseClause:
			return in.execBlock(f, alt.Field(syntax.FieldBody))
		}
	}
	return ctrlNone, nil
}

// opaqueBecause explains that what depends on v is unknown because v is.
func opaqueBecause(n *syntax.Node, v value, what string) *opaqueV {
	o, _ := v.(*opaqueV)
	reason := what + " is unknown"
	if o != nil {
		reason = fmt.Sprintf("%s depends on an unknown value (%s)", what, o.reason)
	}
	return &opaqueV{reason: reason, line: n.Line, col: n.Col}
}

func (in *interp) execFor(f *frame, st *syntax.Node) (c ctrl, err error) {
	defer func() { err = in.loopBudget(st, err) }()
	seq, err := in.eval(f, st.Field(syntax.FieldRight))
	if err != nil {
		return ctrlNone, err
	}
	if o, ok := seq.(*opaqueV); ok {
		return ctrlNone, &opaqueFlow{opaqueBecause(st, o, "the for loop's iterable")}
	}
	left, body := st.Field(syntax.FieldLeft), st.Field(syntax.FieldBody)
	if r, ok := seq.(*rangeV); ok {
		// A range is counted through, not built: each iteration pays
		// its own steps.
		for i, l := int64(0), r.length(); i < l; i++ {
			if err := in.assignTarget(f, left, r.start+i*r.step, pin.Span{}); err != nil {
				return ctrlNone, err
			}
			if stop, c, err := in.loopIteration(f, body); stop {
				return c, err
			}
		}
		return in.loopElse(f, st)
	}
	items, err := in.iterate(st, seq)
	if err != nil {
		return ctrlNone, err
	}
	for _, it := range items {
		if err := in.assignTarget(f, left, it, pin.Span{}); err != nil {
			return ctrlNone, err
		}
		if stop, c, err := in.loopIteration(f, body); stop {
			return c, err
		}
	}
	return in.loopElse(f, st)
}

// loopIteration runs a loop body once; stop reports that the loop ends
// here (break, return or an error), skipping any else clause.
func (in *interp) loopIteration(f *frame, body *syntax.Node) (stop bool, c ctrl, err error) {
	c, err = in.execBlock(f, body)
	switch {
	case err != nil:
		return true, ctrlNone, err
	case c == ctrlBreak:
		return true, ctrlNone, nil
	case c == ctrlReturn:
		return true, c, nil
	}
	return false, ctrlNone, nil
}

// loopElse runs a loop's else clause, reached when the loop was not broken.
func (in *interp) loopElse(f *frame, st *syntax.Node) (ctrl, error) {
	if alt := st.Field(syntax.FieldAlternative); alt != nil {
		return in.execBlock(f, alt.Field(syntax.FieldBody))
	}
	return ctrlNone, nil
}

// loopBudget attributes an exhausted budget inside a loop to the loop
// itself, which is what a user needs to look at.
func (in *interp) loopBudget(st *syntax.Node, err error) error {
	var be *budgetError
	if errors.As(err, &be) && be.Line >= st.Line && be.Line <= st.EndLine && !be.attributed {
		be.Line, be.Column = st.Line, st.Col
		be.Msg = fmt.Sprintf("the loop here did not finish within the evaluation budget of %d steps (an endless loop?)", in.maxSteps)
		be.attributed = true
		be.inLoop = true
	} else if errors.As(err, &be) && be.Err == nil && !be.inLoop && be.Line >= st.Line && be.Line <= st.EndLine {
		// An error that stays where the value was built still names the
		// innermost loop that built it.
		be.Msg += fmt.Sprintf(" (in the loop at line %d)", st.Line)
		be.inLoop = true
	}
	return err
}

func (in *interp) execWhile(f *frame, st *syntax.Node) (c ctrl, err error) {
	defer func() { err = in.loopBudget(st, err) }()
	for {
		if err := in.step(st); err != nil {
			return ctrlNone, err
		}
		cond, err := in.eval(f, st.Field(syntax.FieldCondition))
		if err != nil {
			return ctrlNone, err
		}
		b, ok := truth(cond)
		if !ok {
			return ctrlNone, &opaqueFlow{opaqueBecause(st, cond, "the while condition")}
		}
		if !b {
			break
		}
		if stop, c, err := in.loopIteration(f, st.Field(syntax.FieldBody)); stop {
			return c, err
		}
	}
	return in.loopElse(f, st)
}

// execTry runs the body; a Python exception runs the first handler whose
// type names match (or a bare except), then finally.
func (in *interp) execTry(f *frame, st *syntax.Node) (ctrl, error) {
	c, err := in.execBlock(f, st.Field(syntax.FieldBody))
	var pe *pyError
	if err != nil && errors.As(err, &pe) {
		handled := false
		for _, k := range st.Kids {
			if k.Kind != syntax.ExceptClause || handled {
				continue
			}
			if exceptMatches(k, pe.typ) {
				handled = true
				c, err = in.execBlock(f, k.Kids[len(k.Kids)-1])
			}
		}
	} else if err == nil && c == ctrlNone {
		for _, k := range st.Kids {
			if k.Kind == syntax.ElseClause {
				c, err = in.execBlock(f, k.Field(syntax.FieldBody))
			}
		}
	}
	for _, k := range st.Kids {
		if k.Kind == syntax.FinallyClause {
			fc, ferr := in.execBlock(f, k.Kids[len(k.Kids)-1])
			if ferr != nil || fc != ctrlNone {
				return fc, ferr
			}
		}
	}
	return c, err
}

// exceptMatches decides whether an except clause catches an exception of
// type typ, by name: the evaluator models no exception hierarchy beyond
// the common bases.
func exceptMatches(clause *syntax.Node, typ string) bool {
	names, bare := clause.ExceptNames()
	if bare {
		return true
	}
	for _, n := range names {
		switch n.Token {
		case typ, "Exception", "BaseException":
			return true
		case "LookupError":
			if typ == "KeyError" || typ == "IndexError" {
				return true
			}
		}
	}
	return false
}

// assignedNames lists the names a statement may bind at module level, for
// marking them unknown when the statement cannot be evaluated.
func assignedNames(st *syntax.Node) []string {
	var names []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
	}
	var targets func(t *syntax.Node)
	targets = func(t *syntax.Node) {
		switch t.Kind {
		case syntax.Identifier:
			add(t.Token)
		case syntax.PatternList, syntax.TuplePattern, syntax.ListPattern, syntax.Tuple, syntax.List, syntax.ParenthesizedExpression, syntax.ListSplatPattern, syntax.ExpressionList:
			for _, k := range t.Kids {
				targets(k)
			}
		}
	}
	var walk func(n *syntax.Node)
	walk = func(n *syntax.Node) {
		switch n.Kind {
		case syntax.Assignment, syntax.AugmentedAssignment:
			targets(n.Field(syntax.FieldLeft))
			if r := n.Field(syntax.FieldRight); r != nil && r.Kind == syntax.Assignment {
				walk(r)
			}
			return
		case syntax.ForStatement:
			targets(n.Field(syntax.FieldLeft))
		case syntax.FunctionDefinition, syntax.ClassDefinition:
			add(n.Field(syntax.FieldName).Token)
			return
		case syntax.ImportStatement, syntax.ImportFromStatement:
			for _, k := range n.FieldAll(syntax.FieldName) {
				if k.Kind == syntax.AliasedImport {
					add(k.Field(syntax.FieldAlias).Token)
				} else if len(k.Kids) > 0 {
					add(k.Kids[0].Token)
				}
			}
			return
		case syntax.Lambda, syntax.Call, syntax.ListComprehension, syntax.DictionaryComprehension, syntax.SetComprehension, syntax.GeneratorExpression:
			return
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	walk(st)
	return names
}

// mutatedNames lists the names whose values a statement changes in place:
// X[k] = v, X.attr = v, X.append(...), X.update(...), del X[k].
func mutatedNames(st *syntax.Node) []string {
	var names []string
	seen := map[string]bool{}
	add := func(n *syntax.Node) {
		for n != nil && (n.Kind == syntax.Subscript || n.Kind == syntax.Attribute) {
			if n.Kind == syntax.Subscript {
				n = n.Field(syntax.FieldValue)
			} else {
				n = n.Field(syntax.FieldObject)
			}
		}
		if n != nil && n.Kind == syntax.Identifier && !seen[n.Token] {
			seen[n.Token] = true
			names = append(names, n.Token)
		}
	}
	var walk func(n *syntax.Node)
	walk = func(n *syntax.Node) {
		switch n.Kind {
		case syntax.FunctionDefinition, syntax.ClassDefinition, syntax.Lambda:
			return
		case syntax.Assignment, syntax.AugmentedAssignment:
			if l := n.Field(syntax.FieldLeft); l != nil && (l.Kind == syntax.Subscript || l.Kind == syntax.Attribute) {
				add(l)
			}
			if n.Kind == syntax.AugmentedAssignment {
				add(n.Field(syntax.FieldLeft))
			}
		case syntax.DeleteStatement:
			for _, k := range n.Kids {
				if k.Kind == syntax.Subscript || k.Kind == syntax.Attribute {
					add(k)
				}
			}
		case syntax.Call:
			if fn := n.Field(syntax.FieldFunction); fn != nil && fn.Kind == syntax.Attribute && mutatingMethods[fn.Field(syntax.FieldAttribute).Token] {
				add(fn.Field(syntax.FieldObject))
			}
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	walk(st)
	return names
}

var mutatingMethods = map[string]bool{
	"append": true, "extend": true, "insert": true, "update": true, "setdefault": true,
	"add": true, "pop": true, "remove": true, "discard": true, "clear": true, "sort": true, "reverse": true,
}

func (in *interp) markIncomplete(v value, o *opaqueV) {
	switch v.(type) {
	case *dictV, *listV, *setV, *instanceV:
		if in.incomplete == nil {
			in.incomplete = map[any]*opaqueV{}
		}
		if _, seen := in.incomplete[v]; !seen {
			in.incomplete[v] = o
		}
	}
}
