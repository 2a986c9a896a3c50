package python

import (
	"math"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// binary applies a binary operator.
func (in *interp) binary(n *syntax.Node, op string, a, b value) (value, error) {
	if o := firstOpaque(a, b); o != nil {
		return o, nil
	}
	switch x := a.(type) {
	case *strV:
		switch op {
		case "+":
			y, ok := b.(*strV)
			if !ok {
				break
			}
			if err := in.chargeStr(n, int64(len(x.s)+len(y.s))); err != nil {
				return nil, err
			}
			return &strV{s: x.s + y.s, span: spanOf(n)}, nil
		case "%":
			s, err := in.percentFormat(n, x.s, b)
			if err != nil {
				return nil, at(err, n)
			}
			return &strV{s: s, span: spanOf(n)}, nil
		case "*":
			if k, ok := asInt(b); ok {
				return in.repeatStr(n, x.s, k)
			}
		}
	case *listV:
		switch op {
		case "+":
			if y, ok := b.(*listV); ok {
				if err := in.chargeSeq(n, int64(len(x.items)+len(y.items))); err != nil {
					return nil, err
				}
				return &listV{items: concat(x.items, y.items)}, nil
			}
		case "*":
			if k, ok := asInt(b); ok {
				items, err := in.repeatSeq(n, x.items, k)
				return &listV{items: items}, err
			}
		}
	case *tupleV:
		switch op {
		case "+":
			if y, ok := b.(*tupleV); ok {
				if err := in.chargeSeq(n, int64(len(x.items)+len(y.items))); err != nil {
					return nil, err
				}
				return &tupleV{items: concat(x.items, y.items)}, nil
			}
		case "*":
			if k, ok := asInt(b); ok {
				items, err := in.repeatSeq(n, x.items, k)
				return &tupleV{items: items}, err
			}
		}
	case *dictV:
		if y, ok := b.(*dictV); ok && op == "|" {
			if err := in.chargeDict(n, int64(len(x.keys)+len(y.keys))); err != nil {
				return nil, err
			}
			d := x.copy()
			for i, k := range y.keys {
				if err := d.set(k, y.vals[i], y.spans[i]); err != nil {
					return nil, at(err, n)
				}
			}
			return d, nil
		}
	case *setV:
		if y, ok := b.(*setV); ok {
			if err := in.chargeDict(n, int64(len(x.d.keys)+len(y.d.keys))); err != nil {
				return nil, err
			}
			return setOp(n, op, x, y)
		}
	case *typeV, *classV:
		if op == "|" {
			// X | None in an annotation or alias.
			return &opaqueV{reason: "a type union", line: n.Line, col: n.Col, harmless: true}, nil
		}
	}
	if ia, ok := asInt(a); ok {
		if ib, ok := asInt(b); ok {
			if _, isBool := a.(bool); isBool && (op == "&" || op == "|" || op == "^") {
				if _, isBoolB := b.(bool); isBoolB {
					r, err := intOp(n, op, ia, ib)
					if err != nil {
						return nil, err
					}
					return r.(int64) != 0, nil
				}
			}
			switch op {
			case "*":
				if s, ok := b.(*strV); ok {
					return in.repeatStr(n, s.s, ia)
				}
			}
			return intOp(n, op, ia, ib)
		}
		switch y := b.(type) {
		case *strV:
			if op == "*" {
				return in.repeatStr(n, y.s, ia)
			}
		case *listV:
			if op == "*" {
				items, err := in.repeatSeq(n, y.items, ia)
				return &listV{items: items}, err
			}
		case *tupleV:
			if op == "*" {
				items, err := in.repeatSeq(n, y.items, ia)
				return &tupleV{items: items}, err
			}
		}
	}
	if fa, ok := asFloat(a); ok {
		if fb, ok := asFloat(b); ok {
			return floatOp(n, op, fa, fb)
		}
	}
	return nil, at(pyErrf("TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b)), n)
}

func concat(a, b []value) []value {
	out := make([]value, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

func (in *interp) repeatStr(n *syntax.Node, s string, k int64) (value, error) {
	if k <= 0 || s == "" {
		return &strV{span: spanOf(n)}, nil
	}
	if k > maxValueSize || int64(len(s))*k > maxValueSize {
		return nil, in.charge(n, maxValueSize+1)
	}
	if err := in.chargeStr(n, int64(len(s))*k); err != nil {
		return nil, err
	}
	return &strV{s: strings.Repeat(s, int(k)), span: spanOf(n)}, nil
}

func (in *interp) repeatSeq(n *syntax.Node, items []value, k int64) ([]value, error) {
	if k <= 0 || len(items) == 0 {
		return []value{}, nil
	}
	if k > maxValueSize || int64(len(items))*k > maxValueSize {
		return nil, in.charge(n, maxValueSize+1)
	}
	if err := in.charge(n, int64(len(items))*k); err != nil {
		return nil, err
	}
	out := make([]value, 0, len(items)*int(k))
	for i := int64(0); i < k; i++ {
		out = append(out, items...)
	}
	return out, nil
}

func overflow(n *syntax.Node) (value, error) {
	return &opaqueV{reason: "integer overflow (values beyond 64 bits are not evaluated)", line: n.Line, col: n.Col}, nil
}

func intOp(n *syntax.Node, op string, a, b int64) (value, error) {
	switch op {
	case "+":
		r := a + b
		if (b > 0 && r < a) || (b < 0 && r > a) {
			return overflow(n)
		}
		return r, nil
	case "-":
		r := a - b
		if (b < 0 && r < a) || (b > 0 && r > a) {
			return overflow(n)
		}
		return r, nil
	case "*":
		if a == 0 || b == 0 {
			return int64(0), nil
		}
		r := a * b
		if r/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
			return overflow(n)
		}
		return r, nil
	case "/":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "division by zero"), n)
		}
		return float64(a) / float64(b), nil
	case "//", "%":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "integer division or modulo by zero"), n)
		}
		if a == math.MinInt64 && b == -1 {
			return overflow(n)
		}
		q, r := a/b, a%b
		if r != 0 && (r < 0) != (b < 0) {
			q--
			r += b
		}
		if op == "//" {
			return q, nil
		}
		return r, nil
	case "**":
		if b < 0 {
			return math.Pow(float64(a), float64(b)), nil
		}
		result := int64(1)
		for i := int64(0); i < b; i++ {
			next := result * a
			if a != 0 && next/a != result {
				return overflow(n)
			}
			result = next
			if result == 0 || result == 1 && a == 1 {
				break
			}
			if a == -1 {
				if b%2 == 0 {
					return int64(1), nil
				}
				return int64(-1), nil
			}
		}
		return result, nil
	case "<<":
		if b < 0 {
			return nil, at(pyErrf("ValueError", "negative shift count"), n)
		}
		if b >= 63 || (a<<b)>>b != a {
			return overflow(n)
		}
		return a << b, nil
	case ">>":
		if b < 0 {
			return nil, at(pyErrf("ValueError", "negative shift count"), n)
		}
		if b >= 63 {
			if a < 0 {
				return int64(-1), nil
			}
			return int64(0), nil
		}
		return a >> b, nil
	case "&":
		return a & b, nil
	case "|":
		return a | b, nil
	case "^":
		return a ^ b, nil
	}
	return nil, at(pyErrf("TypeError", "unsupported operand type(s) for %s: 'int' and 'int'", op), n)
}

func floatOp(n *syntax.Node, op string, a, b float64) (value, error) {
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "float division by zero"), n)
		}
		return a / b, nil
	case "//":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "float floor division by zero"), n)
		}
		return math.Floor(a / b), nil
	case "%":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "float modulo"), n)
		}
		r := math.Mod(a, b)
		if r != 0 && (r < 0) != (b < 0) {
			r += b
		}
		return r, nil
	case "**":
		return math.Pow(a, b), nil
	}
	return nil, at(pyErrf("TypeError", "unsupported operand type(s) for %s: 'float' and 'float'", op), n)
}

func setOp(n *syntax.Node, op string, a, b *setV) (value, error) {
	out := &setV{d: newDict()}
	add := func(k value) { _ = out.d.set(k, none, pin.Span{}) } // members were hashed when added
	switch op {
	case "|":
		for _, k := range a.d.keys {
			add(k)
		}
		for _, k := range b.d.keys {
			add(k)
		}
	case "&", "-":
		for _, k := range a.d.keys {
			_, inB, _ := b.d.get(k)
			if inB == (op == "&") {
				add(k)
			}
		}
	case "^":
		for _, k := range a.d.keys {
			if _, inB, _ := b.d.get(k); !inB {
				add(k)
			}
		}
		for _, k := range b.d.keys {
			if _, inA, _ := a.d.get(k); !inA {
				add(k)
			}
		}
	default:
		return nil, at(pyErrf("TypeError", "unsupported operand type(s) for %s: 'set' and 'set'", op), n)
	}
	return out, nil
}
