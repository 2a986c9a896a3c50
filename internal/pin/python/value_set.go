package python

import "github.com/pindrift/pindrift/internal/pin"

type setV struct{ d *dictV }

func selfSet(a *callArgs) *setV { return a.pos[0].(*setV) }

var setMethods = map[string]methodFn{
	"add": func(in *interp, a *callArgs) (value, error) {
		if err := in.setEntry(a.n, selfSet(a).d, a.arg(1, "elem", none)); err != nil {
			return nil, err
		}
		return none, selfSet(a).d.set(a.arg(1, "elem", none), none, pin.Span{})
	},
	"discard": func(in *interp, a *callArgs) (value, error) {
		_, _, err := selfSet(a).d.del(a.arg(1, "elem", none))
		return none, err
	},
	"remove": func(in *interp, a *callArgs) (value, error) {
		_, found, err := selfSet(a).d.del(a.arg(1, "elem", none))
		if err == nil && !found {
			err = pyErrf("KeyError", "%s", pyRepr(a.arg(1, "elem", none)))
		}
		return none, err
	},
	"update": func(in *interp, a *callArgs) (value, error) {
		s := selfSet(a)
		for _, other := range a.pos[1:] {
			items, err := in.iterate(a.n, other)
			if err != nil {
				return nil, err
			}
			if err := in.chargeDict(a.n, int64(len(items))); err != nil {
				return nil, err
			}
			for _, it := range items {
				if err := s.d.set(it, none, pin.Span{}); err != nil {
					return nil, err
				}
			}
		}
		return none, nil
	},
	"copy": func(in *interp, a *callArgs) (value, error) {
		return &setV{d: selfSet(a).d.copy()}, in.chargeDict(a.n, int64(len(selfSet(a).d.keys)))
	},
	"union":        setMethod("|"),
	"intersection": setMethod("&"),
	"difference":   setMethod("-"),
}

func setMethod(op string) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		out := selfSet(a)
		for _, other := range a.pos[1:] {
			items, err := in.iterate(a.n, other)
			if err != nil {
				return nil, err
			}
			if err := in.chargeDict(a.n, int64(len(items)+len(out.d.keys))); err != nil {
				return nil, err
			}
			o := &setV{d: newDict()}
			for _, it := range items {
				if err := o.d.set(it, none, pin.Span{}); err != nil {
					return nil, err
				}
			}
			r, err := setOp(a.n, op, out, o)
			if err != nil {
				return nil, err
			}
			out = r.(*setV)
		}
		if out == selfSet(a) {
			return &setV{d: out.d.copy()}, nil
		}
		return out, nil
	}
}
