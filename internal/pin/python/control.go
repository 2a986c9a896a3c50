package python

import (
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

func (in *interp) execIf(f *frame, st *syntax.Node) (ctrl, error) {
	cond, err := in.eval(f, st.Field(syntax.FieldCondition))
	if err != nil {
		return ctrlNone, err
	}
	b, ok := truth(cond)
	if !ok {
		if in.star != nil && in.star.full {
			return ctrlNone, in.execUnknownIf(f, st, opaqueBecause(st, cond, "the if condition"))
		}
		return ctrlNone, &opaqueFlow{opaqueBecause(st, cond, "the if condition")}
	}
	alts := st.FieldAll(syntax.FieldAlternative)
	if b {
		in.br.take(st.Field(syntax.FieldConsequence))
		in.skipAll(alts)
		return in.execBlock(f, st.Field(syntax.FieldConsequence))
	}
	in.br.skip(st.Field(syntax.FieldConsequence))
	for i, alt := range alts {
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
				in.br.take(alt)
				in.skipAll(alts[i+1:])
				return in.execBlock(f, alt.Field(syntax.FieldConsequence))
			}
			in.br.skip(alt)
		case syntax.ElseClause:
			in.br.take(alt)
			return in.execBlock(f, alt.Field(syntax.FieldBody))
		}
	}
	return ctrlNone, nil
}

// skipAll records the elif and else clauses a taken branch skipped.
func (in *interp) skipAll(alts []*syntax.Node) {
	for _, alt := range alts {
		in.br.skip(alt)
	}
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
