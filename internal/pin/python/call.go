package python

import (
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// callArgs are a call's evaluated arguments, with the span of each
// argument expression so records remember where each field was written.
type callArgs struct {
	n        *syntax.Node
	pos      []value
	posSpans []pin.Span
	kwNames  []string
	kwVals   []value
	kwSpans  []pin.Span
}

func (a *callArgs) kw(name string) (value, bool) {
	for i, k := range a.kwNames {
		if k == name {
			return a.kwVals[i], true
		}
	}
	return nil, false
}

// arg returns positional argument i or keyword name, or def.
func (a *callArgs) arg(i int, name string, def value) value {
	if i >= 0 && i < len(a.pos) {
		return a.pos[i]
	}
	if v, ok := a.kw(name); ok {
		return v
	}
	return def
}

func (a *callArgs) opaque() *opaqueV {
	if o := firstOpaque(a.pos...); o != nil {
		return o
	}
	return firstOpaque(a.kwVals...)
}

func (in *interp) evalCall(f *frame, n *syntax.Node) (value, error) {
	fn, err := in.eval(f, n.Field(syntax.FieldFunction))
	if err != nil {
		return nil, err
	}
	args := &callArgs{n: n}
	argNode := n.Field(syntax.FieldArguments)
	if argNode != nil && argNode.Kind == syntax.GeneratorExpression {
		v, err := in.eval(f, argNode)
		if err != nil {
			return nil, err
		}
		args.pos, args.posSpans = []value{v}, []pin.Span{spanOf(argNode)}
	} else if argNode != nil {
		for _, k := range argNode.Kids {
			switch k.Kind {
			case syntax.KeywordArgument:
				vn := k.Field(syntax.FieldValue)
				v, err := in.eval(f, vn)
				if err != nil {
					return nil, err
				}
				args.kwNames = append(args.kwNames, k.Field(syntax.FieldName).Token)
				args.kwVals = append(args.kwVals, v)
				args.kwSpans = append(args.kwSpans, spanOf(vn))
			case syntax.ListSplat:
				v, err := in.eval(f, k.Kids[0])
				if err != nil {
					return nil, err
				}
				if o, ok := v.(*opaqueV); ok {
					return opaqueBecause(n, o, "the call's *arguments"), nil
				}
				items, err := in.iterate(k, v)
				if err != nil {
					return nil, err
				}
				for _, it := range items {
					args.pos = append(args.pos, it)
					args.posSpans = append(args.posSpans, pin.Span{})
				}
			case syntax.DictionarySplat:
				v, err := in.eval(f, k.Kids[0])
				if err != nil {
					return nil, err
				}
				if o, ok := v.(*opaqueV); ok {
					return opaqueBecause(n, o, "the call's **arguments"), nil
				}
				d, ok := v.(*dictV)
				if !ok {
					return nil, at(pyErrf("TypeError", "argument after ** must be a mapping, not %s", typeName(v)), k)
				}
				if err := in.chargeSeq(k, int64(len(d.keys))); err != nil {
					return nil, err
				}
				for i, key := range d.keys {
					ks, ok := key.(*strV)
					if !ok {
						return nil, at(pyErrf("TypeError", "keywords must be strings"), k)
					}
					args.kwNames = append(args.kwNames, ks.s)
					args.kwVals = append(args.kwVals, d.vals[i])
					args.kwSpans = append(args.kwSpans, d.spans[i])
				}
			default:
				if !k.Named {
					continue
				}
				v, err := in.eval(f, k)
				if err != nil {
					return nil, err
				}
				args.pos = append(args.pos, v)
				args.posSpans = append(args.posSpans, spanOf(k))
			}
		}
	}
	if o, ok := fn.(*opaqueV); ok && in.star != nil {
		if fnNode := n.Field(syntax.FieldFunction); in.star.full && f.global && fnNode.Kind == syntax.Identifier && fnNode.Token == "load" {
			in.bindLoad(f, args)
			return none, nil
		}
		if err := in.star.record(in, f, n, args); err != nil {
			return nil, err
		}
		return &opaqueV{reason: o.reason, line: o.line, col: o.col}, nil
	}
	return in.call(n, fn, args)
}

// call invokes a callable value.
func (in *interp) call(n *syntax.Node, fn value, args *callArgs) (value, error) {
	switch c := fn.(type) {
	case *builtinV:
		if err := in.work(n, argUnits(args)); err != nil {
			return nil, err
		}
		v, err := c.fn(in, args)
		return v, at(err, n)
	case *boundV:
		// A bound method may wrap another; each layer is a call level.
		in.depth++
		defer func() { in.depth-- }()
		if in.depth > in.maxDepth {
			return nil, &budgetError{BudgetError: &pin.BudgetError{File: in.file, Line: n.Line, Column: n.Col,
				Msg: fmt.Sprintf("calls nested deeper than %d (bound methods wrapping bound methods?)", in.maxDepth)}}
		}
		bound := &callArgs{n: n,
			pos:      append([]value{c.self}, args.pos...),
			posSpans: append([]pin.Span{{}}, args.posSpans...),
			kwNames:  args.kwNames, kwVals: args.kwVals, kwSpans: args.kwSpans}
		return in.call(n, c.fn, bound)
	case *funcV:
		return in.callFunc(n, c, args)
	case *classV:
		return in.instantiate(n, c, args)
	case *typeV:
		if err := in.work(n, argUnits(args)); err != nil {
			return nil, err
		}
		v, err := c.ctor.fn(in, args)
		return v, at(err, n)
	case *opaqueV:
		return &opaqueV{reason: c.reason, line: c.line, col: c.col}, nil
	}
	return nil, at(pyErrf("TypeError", "'%s' object is not callable", typeName(fn)), n)
}

func (in *interp) makeFunc(f *frame, st *syntax.Node) (*funcV, error) {
	fn := &funcV{name: st.Field(syntax.FieldName).Token, body: st.Field(syntax.FieldBody)}
	if !f.global {
		fn.closure = f.sc
	}
	params, err := in.makeParams(f, st.Field(syntax.FieldParameters))
	if err != nil {
		return nil, err
	}
	fn.params = params
	return fn, nil
}

func (in *interp) makeLambda(f *frame, n *syntax.Node) (value, error) {
	fn := &funcV{name: "<lambda>", body: n.Field(syntax.FieldBody), isLambda: true}
	if !f.global {
		fn.closure = f.sc
	}
	if p := n.Field(syntax.FieldParameters); p != nil {
		params, err := in.makeParams(f, p)
		if err != nil {
			return nil, err
		}
		fn.params = params
	}
	return fn, nil
}

// makeParams reads a parameter list, evaluating defaults now, as def does.
func (in *interp) makeParams(f *frame, ps *syntax.Node) ([]param, error) {
	if ps == nil {
		return nil, nil
	}
	var out []param
	kwOnly := false
	for _, p := range ps.Kids {
		var pr param
		switch p.Kind {
		case syntax.Identifier:
			pr = param{name: p.Token}
		case syntax.TypedParameter:
			inner := p.Kids[0]
			switch inner.Kind {
			case syntax.ListSplatPattern:
				pr = param{name: inner.Kids[0].Token, kind: paramVarPos}
			case syntax.DictionarySplatPattern:
				pr = param{name: inner.Kids[0].Token, kind: paramVarKw}
			default:
				pr = param{name: inner.Token}
			}
		case syntax.DefaultParameter, syntax.TypedDefaultParameter:
			v, err := in.eval(f, p.Field(syntax.FieldValue))
			if err != nil {
				return nil, err
			}
			pr = param{name: p.Field(syntax.FieldName).Token, def: v, hasDef: true}
		case syntax.ListSplatPattern:
			pr = param{name: p.Kids[0].Token, kind: paramVarPos}
		case syntax.DictionarySplatPattern:
			pr = param{name: p.Kids[0].Token, kind: paramVarKw}
		case syntax.KeywordSeparator:
			kwOnly = true
			continue
		case syntax.PositionalSeparator:
			for i := range out {
				out[i].posOnly = true
			}
			continue
		default:
			continue
		}
		if pr.kind == paramVarPos {
			kwOnly = true
		} else if pr.kind == paramPos && kwOnly {
			pr.kind = paramKwOnly
		}
		out = append(out, pr)
	}
	return out, nil
}

// bind maps a call's arguments onto parameters, as CPython does.
func bind(fname string, params []param, args *callArgs, sc *scope) error {
	posUsed := 0
	var varKw *dictV
	for _, p := range params {
		switch p.kind {
		case paramPos:
			if posUsed < len(args.pos) {
				sc.vars[p.name] = args.pos[posUsed]
				posUsed++
			}
		case paramVarPos:
			rest := []value{}
			if posUsed < len(args.pos) {
				rest = append(rest, args.pos[posUsed:]...)
				posUsed = len(args.pos)
			}
			sc.vars[p.name] = &tupleV{items: rest}
		case paramVarKw:
			varKw = newDict()
			sc.vars[p.name] = varKw
		}
	}
	if posUsed < len(args.pos) {
		return pyErrf("TypeError", "%s() takes %d positional arguments but %d were given", fname, posUsed, len(args.pos))
	}
	for i, name := range args.kwNames {
		matched := false
		for _, p := range params {
			if p.name == name && (p.kind == paramPos && !p.posOnly || p.kind == paramKwOnly) {
				if _, dup := sc.vars[name]; dup {
					return pyErrf("TypeError", "%s() got multiple values for argument '%s'", fname, name)
				}
				sc.vars[name] = args.kwVals[i]
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if varKw == nil {
			return pyErrf("TypeError", "%s() got an unexpected keyword argument '%s'", fname, name)
		}
		if err := varKw.set(&strV{s: name}, args.kwVals[i], args.kwSpans[i]); err != nil {
			return err
		}
	}
	for _, p := range params {
		if p.kind != paramPos && p.kind != paramKwOnly {
			continue
		}
		if _, ok := sc.vars[p.name]; ok {
			continue
		}
		if !p.hasDef {
			return pyErrf("TypeError", "%s() missing required argument: '%s'", fname, p.name)
		}
		sc.vars[p.name] = p.def
	}
	return nil
}

func (in *interp) callFunc(n *syntax.Node, fn *funcV, args *callArgs) (value, error) {
	in.depth++
	defer func() { in.depth-- }()
	if in.depth > in.maxDepth {
		return nil, &budgetError{BudgetError: &pin.BudgetError{File: in.file, Line: n.Line, Column: n.Col,
			Msg: fmt.Sprintf("calls nested deeper than %d (runaway recursion in %s?)", in.maxDepth, fn.name)}}
	}
	if in.star != nil {
		in.star.called[fn.body] = true
	}
	sc := newScope(fn.closure)
	if err := bind(fn.name, fn.params, args, sc); err != nil {
		return nil, at(err, n)
	}
	fr := &frame{sc: sc, fn: fn, ret: none}
	if fn.isLambda {
		v, err := in.eval(fr, fn.body)
		return in.functionResult(v, err)
	}
	c, err := in.execBlock(fr, fn.body)
	if c != ctrlReturn {
		fr.ret = none
	}
	if err != nil {
		in.markOuterMutations(fr, fn, err)
	}
	return in.functionResult(fr.ret, err)
}

// markOuterMutations flags the non-local containers a function was
// changing in place when it stopped on an unknown value or an exception:
// what they hold may be only part of what the code meant to put there.
func (in *interp) markOuterMutations(fr *frame, fn *funcV, err error) {
	var be *budgetError
	if errors.As(err, &be) {
		return
	}
	var o *opaqueV
	var of *opaqueFlow
	var pe *pyError
	switch {
	case errors.As(err, &of):
		o = of.o
	case errors.As(err, &pe):
		o = &opaqueV{reason: fmt.Sprintf("%s() raised %s: %s", fn.name, pe.typ, pe.msg), line: pe.line, col: pe.col}
	default:
		return
	}
	// A body is read once however often its function fails.
	names, ok := in.mutatedCache[fn.body]
	if !ok {
		names = mutatedNames(fn.body)
		if in.mutatedCache == nil {
			in.mutatedCache = map[*syntax.Node][]string{}
		}
		in.mutatedCache[fn.body] = names
	}
	for _, name := range names {
		if _, local := fr.sc.vars[name]; local && !fr.sc.globals[name] {
			continue
		}
		if v, err := in.lookup(fr, fn.body, name); err == nil {
			in.markIncomplete(v, o)
		}
	}
}

// functionResult turns control flow that depended on an unknown value into
// an unknown result, so evaluation of the caller goes on.
func (in *interp) functionResult(v value, err error) (value, error) {
	var of *opaqueFlow
	if errors.As(err, &of) {
		return of.o, nil
	}
	return v, err
}

// execDecorated applies decorators bottom-up by calling them, as Python
// does; decorators the evaluator does not know make the result unknown.
func (in *interp) execDecorated(f *frame, st *syntax.Node) error {
	def := st.Field(syntax.FieldDefinition)
	var v value
	var name string
	switch def.Kind {
	case syntax.FunctionDefinition:
		fn, err := in.makeFunc(f, def)
		if err != nil {
			return err
		}
		v, name = fn, fn.name
	case syntax.ClassDefinition:
		cls, err := in.makeClass(f, def, st)
		if err != nil {
			return err
		}
		in.assignName(f, cls.name, cls)
		return nil
	default:
		return &opaqueFlow{in.opaque(st, "decorated %s is not evaluated", def.Kind)}
	}
	decs := st.NamedKids()
	for i := len(decs) - 1; i >= 0; i-- {
		d := decs[i]
		if d.Kind != syntax.Decorator {
			continue
		}
		dv, err := in.eval(f, d.Kids[0])
		if err != nil {
			return err
		}
		if o, ok := dv.(*opaqueV); ok {
			v = &opaqueV{reason: fmt.Sprintf("%s is decorated with %s, which is not evaluated (%s)",
				name, truncate(d.Kids[0].Text(in.src), 60), o.reason), line: d.Line, col: d.Col}
			break
		}
		v, err = in.call(d, dv, &callArgs{n: d, pos: []value{v}, posSpans: []pin.Span{{}}})
		if err != nil {
			return err
		}
	}
	in.assignName(f, name, v)
	return nil
}
