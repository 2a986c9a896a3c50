package python

type listV struct{ items []value }

// tupleV is a tuple. Tuples never change, so the identity of one used as
// a dict key is computed once and kept (see hashKey).
type tupleV struct {
	items []value
	hk    *tupleKey
}

func selfList(a *callArgs) *listV { return a.pos[0].(*listV) }

var listMethods = map[string]methodFn{
	"append": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		l.items = append(l.items, a.arg(1, "object", none))
		return none, in.grow(a.n, len(l.items))
	},
	"extend": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		v := a.arg(1, "iterable", none)
		if o := firstOpaque(v); o != nil {
			l.items = append(l.items, o)
			return none, nil
		}
		items, err := in.iterate(a.n, v)
		if err != nil {
			return nil, err
		}
		if err := in.checkSize(a.n, int64(len(l.items)+len(items))); err != nil {
			return nil, err
		}
		if err := in.chargeSeq(a.n, int64(len(items))); err != nil {
			return nil, err
		}
		l.items = append(l.items, items...)
		return none, nil
	},
	"insert": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		i, err := intArg(a, 0, "index", 0)
		if err != nil {
			return nil, err
		}
		n := int64(len(l.items))
		if i < 0 {
			i = max(i+n, 0)
		}
		i = min(i, n)
		if err := in.chargeSeq(a.n, n+1); err != nil {
			return nil, err
		}
		l.items = concat(concat(l.items[:i], []value{a.arg(2, "object", none)}), l.items[i:])
		return none, nil
	},
	"pop": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		i, err := intArg(a, 0, "index", -1)
		if err != nil {
			return nil, err
		}
		j, err := index(a.n, i, len(l.items))
		if err != nil {
			return nil, err
		}
		v := l.items[j]
		if err := in.chargeSeq(a.n, int64(len(l.items)-j)); err != nil {
			return nil, err
		}
		l.items = append(l.items[:j:j], l.items[j+1:]...)
		return v, nil
	},
	"remove": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		for i, it := range l.items {
			e, ok, err := in.eqElem(a.n, a.arg(1, "value", none), it)
			if err != nil {
				return nil, err
			}
			if ok && e {
				if err := in.work(a.n, int64(len(l.items)-i)); err != nil {
					return nil, err
				}
				l.items = append(l.items[:i:i], l.items[i+1:]...)
				return none, nil
			}
		}
		return nil, pyErrf("ValueError", "list.remove(x): x not in list")
	},
	"index": func(in *interp, a *callArgs) (value, error) { return in.seqIndex(selfList(a).items, a) },
	"count": func(in *interp, a *callArgs) (value, error) { return in.seqCount(selfList(a).items, a) },
	"copy": func(in *interp, a *callArgs) (value, error) {
		return &listV{items: append([]value{}, selfList(a).items...)}, in.chargeSeq(a.n, int64(len(selfList(a).items)))
	},
	"clear": func(in *interp, a *callArgs) (value, error) {
		selfList(a).items = []value{}
		return none, nil
	},
	"reverse": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		if err := in.work(a.n, int64(len(l.items))); err != nil {
			return nil, err
		}
		for i, j := 0, len(l.items)-1; i < j; i, j = i+1, j-1 {
			l.items[i], l.items[j] = l.items[j], l.items[i]
		}
		return none, nil
	},
	"sort": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		key, _ := a.kw("key")
		rev, _ := a.kw("reverse")
		sorted, err := in.sorted(a.n, l.items, key, rev)
		if err != nil {
			return nil, err
		}
		if o, ok := sorted.(*opaqueV); ok {
			return o, nil
		}
		l.items = sorted.(*listV).items
		return none, nil
	},
}

var tupleMethods = map[string]methodFn{
	"index": func(in *interp, a *callArgs) (value, error) { return in.seqIndex(a.pos[0].(*tupleV).items, a) },
	"count": func(in *interp, a *callArgs) (value, error) { return in.seqCount(a.pos[0].(*tupleV).items, a) },
}

func (in *interp) seqIndex(items []value, a *callArgs) (value, error) {
	needle := a.arg(1, "value", none)
	for i, it := range items {
		e, ok, err := in.eqElem(a.n, needle, it)
		if err != nil {
			return nil, err
		}
		if ok && e {
			return int64(i), nil
		}
	}
	return nil, pyErrf("ValueError", "%s is not in list", pyRepr(needle))
}

func (in *interp) seqCount(items []value, a *callArgs) (value, error) {
	needle := a.arg(1, "value", none)
	n := int64(0)
	for _, it := range items {
		e, ok, err := in.eqElem(a.n, needle, it)
		if err != nil {
			return nil, err
		}
		if ok && e {
			n++
		}
	}
	return n, nil
}
