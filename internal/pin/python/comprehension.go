package python

import (
	"errors"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

func (in *interp) evalComprehension(f *frame, n *syntax.Node) (value, error) {
	body := n.Field(syntax.FieldBody)
	var clauses []*syntax.Node
	for _, k := range n.Kids {
		if k.Kind == syntax.ForInClause || k.Kind == syntax.IfClause {
			clauses = append(clauses, k)
		}
	}
	cf := &frame{sc: newScope(f.sc), fn: f.fn}
	if f.global {
		cf.sc = newScope(nil)
	}
	var items []value
	d := newDict()
	var gen func(i int) error
	gen = func(i int) error {
		if i == len(clauses) {
			if n.Kind == syntax.DictionaryComprehension {
				k, err := in.eval(cf, body.Field(syntax.FieldKey))
				if err != nil {
					return err
				}
				v, err := in.eval(cf, body.Field(syntax.FieldValue))
				if err != nil {
					return err
				}
				if err := in.setEntry(body, d, k); err != nil {
					return err
				}
				return at(d.set(k, v, spanOf(body.Field(syntax.FieldValue))), body)
			}
			v, err := in.eval(cf, body)
			if err != nil {
				return err
			}
			items = append(items, v)
			return in.grow(n, len(items))
		}
		c := clauses[i]
		if c.Kind == syntax.IfClause {
			v, err := in.eval(cf, c.Kids[0])
			if err != nil {
				return err
			}
			b, ok := truth(v)
			if !ok {
				return &opaqueFlow{opaqueBecause(c, v, "the comprehension's condition")}
			}
			if b {
				return gen(i + 1)
			}
			return nil
		}
		seq, err := in.eval(cf, c.Field(syntax.FieldRight))
		if err != nil {
			return err
		}
		if r, ok := seq.(*rangeV); ok {
			// Counted through, not built, as in a for statement.
			for j, l := int64(0), r.length(); j < l; j++ {
				if err := in.assignTarget(cf, c.Field(syntax.FieldLeft), r.start+j*r.step, pin.Span{}); err != nil {
					return err
				}
				if err := gen(i + 1); err != nil {
					return err
				}
			}
			return nil
		}
		elems, err := in.iterate(c, seq)
		if err != nil {
			return err
		}
		for _, e := range elems {
			if err := in.assignTarget(cf, c.Field(syntax.FieldLeft), e, pin.Span{}); err != nil {
				return err
			}
			if err := gen(i + 1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := gen(0); err != nil {
		var of *opaqueFlow
		if errors.As(err, &of) {
			return of.o, nil
		}
		return nil, err
	}
	switch n.Kind {
	case syntax.DictionaryComprehension:
		return d, nil
	case syntax.SetComprehension:
		s := &setV{d: newDict()}
		for _, it := range items {
			if err := s.d.set(it, none, pin.Span{}); err != nil {
				return nil, at(err, n)
			}
		}
		return s, nil
	}
	if items == nil {
		items = []value{}
	}
	return &listV{items: items}, nil
}
