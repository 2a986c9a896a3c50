package python

import (
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// fieldSpec is what dataclasses.field(...) and pydantic.Field(...) return
// in a class body: a field's default or default factory.
type fieldSpec struct {
	def     value
	hasDef  bool
	factory value
}

// makeClass evaluates a class body. Annotated names become record fields
// (pydantic models, dataclasses and NamedTuples all work this way);
// functions become methods; other assignments are class attributes.
func (in *interp) makeClass(f *frame, st *syntax.Node, decorated *syntax.Node) (*classV, error) {
	cls := &classV{name: st.Field(syntax.FieldName).Token, attrs: map[string]value{}}
	if sup := st.Field(syntax.FieldSuperclasses); sup != nil {
		for _, k := range sup.Kids {
			if k.Kind == syntax.KeywordArgument || !k.Named {
				continue
			}
			b, err := in.eval(f, k)
			if err != nil {
				return nil, err
			}
			if bc, ok := b.(*classV); ok {
				if err := in.chargeSeq(k, int64(len(cls.fields)+len(bc.fields)+len(bc.lineage()))); err != nil {
					return nil, err
				}
				cls.bases = append(cls.bases, bc)
				cls.fields = append(cls.fields, bc.fields...)
				cls.record = cls.record || bc.record
				cls.isTuple = cls.isTuple || bc.isTuple
				cls.isEnum = cls.isEnum || bc.isEnum
			}
		}
	}
	if n := len(cls.lineage()); n > maxAncestors {
		return nil, at(pyErrf("TypeError", "class %s has %d ancestors, more than the %d the evaluator follows", cls.name, n-1, maxAncestors), st)
	}
	outer := f.sc
	if f.global {
		outer = nil
	}
	cf := &frame{sc: newScope(outer), fn: f.fn}
	body := st.Field(syntax.FieldBody)
	for _, s := range body.Kids {
		if name, ann, right, ok := annotatedField(s); ok {
			if isClassVar(ann) {
				if _, err := in.exec(cf, s); err != nil {
					return nil, err
				}
				continue
			}
			fd := fieldDef{name: name}
			if right != nil {
				v, err := in.eval(cf, right)
				if err != nil {
					return nil, err
				}
				if spec, ok := v.(*fieldSpec); ok {
					fd.def, fd.hasDef, fd.factory = spec.def, spec.hasDef, spec.factory
				} else {
					fd.def, fd.hasDef = v, true
				}
			}
			cls.setField(fd)
			continue
		}
		if _, err := in.exec(cf, s); err != nil {
			return nil, err
		}
	}
	for name, v := range cf.sc.vars {
		cls.attrs[name] = v
	}
	if len(cls.fields) > 0 {
		cls.record = true
	}
	if cls.isEnum {
		cls.record = false
		cls.members = newDict()
		for _, s := range body.Kids {
			for _, name := range assignedNames(s) {
				v, ok := cls.attrs[name]
				if _, isFn := v.(*funcV); !ok || isFn || strings.HasPrefix(name, "_") {
					continue
				}
				attrs := newDict()
				_ = attrs.set(&strV{s: "value"}, v, pin.Span{}) // a str key always hashes
				m := &instanceV{class: cls, attrs: attrs, enumName: name}
				_ = cls.members.set(&strV{s: name}, m, pin.Span{})
			}
		}
	}
	return cls, nil
}

// annotatedField recognises "name: T" and "name: T = value" in a class body.
func annotatedField(s *syntax.Node) (name string, ann, right *syntax.Node, ok bool) {
	if s.Kind != syntax.ExpressionStatement || len(s.Kids) != 1 {
		return "", nil, nil, false
	}
	a := s.Kids[0]
	if a.Kind != syntax.Assignment || a.Field(syntax.FieldType) == nil {
		return "", nil, nil, false
	}
	left := a.Field(syntax.FieldLeft)
	if left.Kind != syntax.Identifier {
		return "", nil, nil, false
	}
	return left.Token, a.Field(syntax.FieldType), a.Field(syntax.FieldRight), true
}

// setField adds a field, or redefines an inherited one in place.
func (c *classV) setField(fd fieldDef) {
	for i := range c.fields {
		if c.fields[i].name == fd.name {
			c.fields[i] = fd
			return
		}
	}
	c.fields = append(c.fields, fd)
}

// lookupAttr finds a class attribute through the bases, depth first.
func (c *classV) lookupAttr(name string) (value, bool) {
	for _, a := range c.lineage() {
		if v, ok := a.attrs[name]; ok {
			return v, true
		}
	}
	return nil, false
}

// maxAncestors bounds a class's distinct ancestors, so that looking an
// attribute up costs a bounded amount however the classes were stacked.
const maxAncestors = 1000

// lineage lists c and its distinct ancestors in depth-first order, the
// order lookupAttr searches (a class reached twice answers the same both
// times, so it is listed once). It is computed once, iteratively: a
// diamond stacked sixty times would otherwise be searched 2^60 times.
func (c *classV) lineage() []*classV {
	if c.ancestors != nil {
		return c.ancestors
	}
	seen := map[*classV]bool{}
	var out []*classV
	stack := []*classV{c}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[top] {
			continue
		}
		seen[top] = true
		out = append(out, top)
		for i := len(top.bases) - 1; i >= 0; i-- {
			if !seen[top.bases[i]] {
				stack = append(stack, top.bases[i])
			}
		}
	}
	c.ancestors = out
	return out
}

// instantiate calls a class: an enum lookup, a record built from its
// fields, or an object set up by the module's own __init__.
func (in *interp) instantiate(n *syntax.Node, cls *classV, args *callArgs) (value, error) {
	if cls.isEnum {
		if len(args.pos) != 1 {
			return nil, at(pyErrf("TypeError", "%s() takes one value", cls.name), n)
		}
		for _, m := range cls.members.vals {
			mv, _, _ := m.(*instanceV).attrs.get(&strV{s: "value"})
			if e, ok := equal(mv, args.pos[0]); ok && e {
				return m, nil
			}
		}
		if o := firstOpaque(args.pos[0]); o != nil {
			return o, nil
		}
		return nil, at(pyErrf("ValueError", "%s is not a valid %s", pyRepr(args.pos[0]), cls.name), n)
	}
	obj := &instanceV{class: cls, attrs: newDict()}
	if init, ok := cls.lookupAttr("__init__"); ok {
		if fn, isFn := init.(*funcV); isFn {
			if _, err := in.call(n, &boundV{self: obj, fn: fn}, args); err != nil {
				return nil, err
			}
			return obj, nil
		}
	}
	if !cls.record {
		if len(args.pos)+len(args.kwNames) > 0 {
			if o := args.opaque(); o != nil {
				return o, nil
			}
			return nil, at(pyErrf("TypeError", "%s() takes no arguments", cls.name), n)
		}
		return obj, nil
	}
	if len(args.pos) > len(cls.fields) {
		return nil, at(pyErrf("TypeError", "%s() takes %d positional arguments but %d were given", cls.name, len(cls.fields), len(args.pos)), n)
	}
	given := map[string]bool{}
	vals := make([]value, len(cls.fields))
	spans := make([]pin.Span, len(cls.fields))
	for i, v := range args.pos {
		vals[i], spans[i] = v, args.posSpans[i]
		given[cls.fields[i].name] = true
	}
	for i, name := range args.kwNames {
		j := -1
		for k, fd := range cls.fields {
			if fd.name == name {
				j = k
			}
		}
		if j < 0 {
			return nil, at(pyErrf("TypeError", "%s() got an unexpected keyword argument '%s'", cls.name, name), n)
		}
		if given[name] {
			return nil, at(pyErrf("TypeError", "%s() got multiple values for argument '%s'", cls.name, name), n)
		}
		vals[j], spans[j] = args.kwVals[i], args.kwSpans[i]
		given[name] = true
	}
	for i, fd := range cls.fields {
		if given[fd.name] {
			continue
		}
		switch {
		case fd.factory != nil:
			v, err := in.call(n, fd.factory, &callArgs{n: n})
			if err != nil {
				return nil, err
			}
			vals[i] = v
		case fd.hasDef:
			vals[i] = fd.def
			if s, ok := fd.def.(*strV); ok {
				spans[i] = s.span
			}
		default:
			return nil, at(pyErrf("TypeError", "%s() missing required argument: '%s'", cls.name, fd.name), n)
		}
	}
	for i, fd := range cls.fields {
		_ = obj.attrs.set(&strV{s: fd.name}, vals[i], spans[i]) // str keys always hash
	}
	if post, ok := cls.lookupAttr("__post_init__"); ok {
		if fn, isFn := post.(*funcV); isFn {
			if _, err := in.call(n, &boundV{self: obj, fn: fn}, &callArgs{n: n}); err != nil {
				return nil, err
			}
		}
	}
	return obj, nil
}

// getAttr is Python's obj.name for every kind of value.
func (in *interp) getAttr(n *syntax.Node, obj value, name string) (value, error) {
	switch x := obj.(type) {
	case *opaqueV:
		return x, nil
	case *moduleV:
		if v, ok := x.attrs[name]; ok {
			return v, nil
		}
		if x.name == "typing" || x.name == "typing_extensions" || strings.HasPrefix(x.name, "collections.abc") {
			return &opaqueV{reason: x.name + "." + name, line: n.Line, col: n.Col, harmless: true}, nil
		}
		return in.opaque(n, "%s.%s is not modelled by the evaluator", x.name, name), nil
	case *instanceV:
		if x.class.isEnum {
			switch name {
			case "value":
				v, _, _ := x.attrs.get(&strV{s: "value"})
				return v, nil
			case "name":
				return &strV{s: x.enumName}, nil
			}
		}
		if v, found := x.attrs.getStr(name); found {
			return v, nil
		}
		if v, ok := x.class.lookupAttr(name); ok {
			return in.bindAttr(n, x, v)
		}
		if m := recordMethod(x, name); m != nil {
			return m, nil
		}
		return nil, at(pyErrf("AttributeError", "'%s' object has no attribute '%s'", x.class.name, name), n)
	case *classV:
		if x.isEnum {
			if m, found, _ := x.members.get(&strV{s: name}); found {
				return m, nil
			}
		}
		if v, ok := x.lookupAttr(name); ok {
			if fn, isFn := v.(*funcV); isFn && fn.kind == "classmethod" {
				return &boundV{self: x, fn: fn}, nil
			}
			return v, nil
		}
		if name == "__name__" {
			return &strV{s: x.name}, nil
		}
		return nil, at(pyErrf("AttributeError", "type object '%s' has no attribute '%s'", x.name, name), n)
	case *funcV:
		if name == "__name__" {
			return &strV{s: x.name}, nil
		}
	case *typeV:
		if m := unboundMethod(x.name, name); m != nil {
			return m, nil
		}
	}
	if m := methodOf(obj, name); m != nil {
		return &boundV{self: obj, fn: m}, nil
	}
	return nil, at(pyErrf("AttributeError", "'%s' object has no attribute '%s'", typeName(obj), name), n)
}

// bindAttr turns a class attribute found through an instance into what
// Python gives: a bound method, a property's value, or the attribute.
func (in *interp) bindAttr(n *syntax.Node, self *instanceV, v value) (value, error) {
	fn, ok := v.(*funcV)
	if !ok {
		return v, nil
	}
	switch fn.kind {
	case "staticmethod":
		return fn, nil
	case "classmethod":
		return &boundV{self: self.class, fn: fn}, nil
	case "property":
		return in.call(n, fn, &callArgs{n: n, pos: []value{self}, posSpans: []pin.Span{{}}})
	}
	return &boundV{self: self, fn: fn}, nil
}

// recordMethod models the copy-with-changes methods records commonly use
// to derive one manifest row from another.
func recordMethod(x *instanceV, name string) value {
	if !x.class.record {
		return nil
	}
	switch name {
	case "_replace", "model_copy", "copy":
		return &builtinV{name: name, fn: func(in *interp, a *callArgs) (value, error) {
			out := &instanceV{class: x.class, attrs: x.attrs.copy()}
			updates := newDict()
			if name == "_replace" {
				for i, k := range a.kwNames {
					_ = updates.set(&strV{s: k}, a.kwVals[i], a.kwSpans[i])
				}
			} else if u, ok := a.kw("update"); ok {
				d, isDict := u.(*dictV)
				if !isDict {
					return firstOpaqueOr(u, pyErrf("TypeError", "update must be a dict"))
				}
				updates = d
			}
			for i, k := range updates.keys {
				if _, found, _ := out.attrs.get(k); !found && name == "_replace" {
					return nil, pyErrf("ValueError", "got unexpected field name: %s", pyRepr(k))
				}
				if err := out.attrs.set(k, updates.vals[i], updates.spans[i]); err != nil {
					return nil, err
				}
			}
			return out, nil
		}}
	case "model_dump", "_asdict", "dict":
		return &builtinV{name: name, fn: func(in *interp, a *callArgs) (value, error) {
			return x.attrs.copy(), nil
		}}
	}
	return nil
}

func firstOpaqueOr(v value, err error) (value, error) {
	if o := firstOpaque(v); o != nil {
		return o, nil
	}
	return nil, err
}

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

// isClassVar reports an annotation that mentions ClassVar (ClassVar[int],
// typing.ClassVar, "ClassVar[str]"): a class attribute, not a field.
func isClassVar(ann *syntax.Node) bool {
	for _, t := range ann.Leaves() {
		if strings.Contains(t.Token, "ClassVar") {
			return true
		}
	}
	return false
}
