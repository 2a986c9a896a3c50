package python

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// newModules models the standard-library modules manifests read: the
// environment and host platform come from the caller's model, never from
// the machine running the evaluator.
func newModules(env map[string]string, p pin.Platform) map[string]*moduleV {
	environ := newDict()
	for _, k := range slices.Sorted(maps.Keys(env)) {
		_ = environ.set(&strV{s: k}, &strV{s: env[k]}, pin.Span{}) // str keys always hash
	}
	getenv := builtin("os.getenv", func(in *interp, a *callArgs) (value, error) {
		k := a.arg(0, "key", none)
		if o := firstOpaque(k); o != nil {
			return o, nil
		}
		v, found, err := environ.get(k)
		if err != nil || found {
			return v, err
		}
		return a.arg(1, "default", none), nil
	})
	osPath := &moduleV{name: "os.path", attrs: map[string]value{
		"join": builtin("os.path.join", func(in *interp, a *callArgs) (value, error) {
			parts, err := strArgs(a)
			if err != nil || parts == nil {
				return firstOpaqueOr(a.opaque(), err)
			}
			out := ""
			for _, s := range parts {
				if strings.HasPrefix(s, "/") || out == "" {
					out = s
				} else if strings.HasSuffix(out, "/") {
					out += s
				} else {
					out += "/" + s
				}
			}
			return &strV{s: out, span: spanOf(a.n)}, nil
		}),
		"basename": strFunc("os.path.basename", func(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }),
		"dirname": strFunc("os.path.dirname", func(s string) string {
			i := strings.LastIndexByte(s, '/') + 1
			head := s[:i]
			if trimmed := strings.TrimRight(head, "/"); trimmed != "" {
				return trimmed
			}
			return head
		}),
		"normpath": strFunc("os.path.normpath", path.Clean),
		"sep":      &strV{s: "/"},
	}}
	osName := "posix"
	if p.System == "Windows" {
		osName = "nt"
	}
	mods := map[string]*moduleV{
		"os": {name: "os", attrs: map[string]value{
			"environ": environ,
			"getenv":  getenv,
			"path":    osPath,
			"sep":     &strV{s: "/"},
			"name":    &strV{s: osName},
			"linesep": &strV{s: "\n"},
		}},
		"os.path": osPath,
		"sys": {name: "sys", attrs: map[string]value{
			"platform":     &strV{s: p.SysPlatform},
			"version_info": &tupleV{items: []value{int64(3), int64(11), int64(0), &strV{s: "final"}, int64(0)}},
			"maxsize":      int64(1<<63 - 1),
			"byteorder":    &strV{s: "little"},
		}},
		"platform": {name: "platform", attrs: map[string]value{
			"system":  constFunc("platform.system", p.System),
			"machine": constFunc("platform.machine", p.Machine),
		}},
		"typing": {name: "typing", attrs: map[string]value{
			"TYPE_CHECKING": false,
			"NamedTuple":    &classV{name: "NamedTuple", attrs: map[string]value{}, record: true, isTuple: true},
			"cast": builtin("typing.cast", func(in *interp, a *callArgs) (value, error) {
				return a.arg(1, "val", none), nil
			}),
		}},
		"dataclasses": {name: "dataclasses", attrs: map[string]value{
			"dataclass": decoratorFactory("dataclasses.dataclass"),
			"field":     builtin("dataclasses.field", fieldFunc("default")),
			"replace": builtin("dataclasses.replace", func(in *interp, a *callArgs) (value, error) {
				obj, ok := a.arg(0, "obj", none).(*instanceV)
				if !ok || !obj.class.record {
					return firstOpaqueOr(a.arg(0, "obj", none), pyErrf("TypeError", "replace() should be called on dataclass instances"))
				}
				return in.call(a.n, recordMethod(obj, "_replace"), &callArgs{n: a.n, kwNames: a.kwNames, kwVals: a.kwVals, kwSpans: a.kwSpans})
			}),
			"asdict": builtin("dataclasses.asdict", func(in *interp, a *callArgs) (value, error) {
				obj, ok := a.arg(0, "obj", none).(*instanceV)
				if !ok || !obj.class.record {
					return firstOpaqueOr(a.arg(0, "obj", none), pyErrf("TypeError", "asdict() should be called on dataclass instances"))
				}
				return obj.attrs.copy(), nil
			}),
		}},
		"pydantic": {name: "pydantic", attrs: map[string]value{
			"BaseModel": &classV{name: "BaseModel", attrs: map[string]value{}, record: true},
			"Field":     builtin("pydantic.Field", fieldFunc("default")),
			"ConfigDict": builtin("pydantic.ConfigDict", func(in *interp, a *callArgs) (value, error) {
				d := newDict()
				for i, k := range a.kwNames {
					_ = d.set(&strV{s: k}, a.kwVals[i], a.kwSpans[i]) // str keys always hash
				}
				return d, nil
			}),
			"field_validator": decoratorFactory("pydantic.field_validator"),
			"model_validator": decoratorFactory("pydantic.model_validator"),
		}},
		"functools": {name: "functools", attrs: map[string]value{
			"lru_cache": decoratorFactory("functools.lru_cache"),
			"cache":     decoratorFactory("functools.cache"),
		}},
		"enum": {name: "enum", attrs: map[string]value{
			"Enum":    &classV{name: "Enum", attrs: map[string]value{}, isEnum: true},
			"StrEnum": &classV{name: "StrEnum", attrs: map[string]value{}, isEnum: true},
			"IntEnum": &classV{name: "IntEnum", attrs: map[string]value{}, isEnum: true},
			"unique":  decoratorFactory("enum.unique"),
		}},
	}
	mods["typing_extensions"] = &moduleV{name: "typing_extensions", attrs: mods["typing"].attrs}
	mods["collections.abc"] = &moduleV{name: "collections.abc", attrs: map[string]value{}}
	return mods
}

func constFunc(name, s string) *builtinV {
	return builtin(name, func(in *interp, a *callArgs) (value, error) { return &strV{s: s, span: spanOf(a.n)}, nil })
}

func strFunc(name string, f func(string) string) *builtinV {
	return builtin(name, func(in *interp, a *callArgs) (value, error) {
		s, ok := a.arg(0, "p", none).(*strV)
		if !ok {
			return firstOpaqueOr(a.arg(0, "p", none), pyErrf("TypeError", "%s() expects a str", name))
		}
		return &strV{s: f(s.s), span: spanOf(a.n)}, nil
	})
}

func strArgs(a *callArgs) ([]string, error) {
	out := make([]string, len(a.pos))
	for i, v := range a.pos {
		s, ok := v.(*strV)
		if !ok {
			if firstOpaque(v) != nil {
				return nil, nil
			}
			return nil, pyErrf("TypeError", "expected str, got %s", typeName(v))
		}
		out[i] = s.s
	}
	return out, nil
}

// decoratorFactory models decorators that return the function unchanged,
// used bare (@cache) or called (@lru_cache(maxsize=None)).
func decoratorFactory(name string) *builtinV {
	var self *builtinV
	self = builtin(name, func(in *interp, a *callArgs) (value, error) {
		if len(a.pos) == 1 && len(a.kwNames) == 0 {
			switch a.pos[0].(type) {
			case *funcV, *classV:
				return a.pos[0], nil
			}
		}
		return self, nil
	})
	return self
}

// fieldFunc models dataclasses.field and pydantic.Field.
func fieldFunc(defaultKw string) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		fs := &fieldSpec{}
		if v, ok := a.kw(defaultKw); ok {
			fs.def, fs.hasDef = v, true
		} else if len(a.pos) > 0 {
			if o, isEllipsis := a.pos[0].(*opaqueV); !isEllipsis || o.reason != "Ellipsis" {
				fs.def, fs.hasDef = a.pos[0], true
			}
		}
		if f, ok := a.kw("default_factory"); ok {
			fs.factory = f
		}
		return fs, nil
	}
}

// execImport binds imported names. Modules the evaluator models give their
// modelled values; anything else is unknown, with the import as reason.
func (in *interp) execImport(f *frame, st *syntax.Node) error {
	if st.Kind == syntax.ImportStatement {
		for _, k := range st.FieldAll(syntax.FieldName) {
			dotted, alias := k, ""
			if k.Kind == syntax.AliasedImport {
				dotted, alias = k.Field(syntax.FieldName), k.Field(syntax.FieldAlias).Token
			}
			full := dotted.DottedName(in.src)
			if alias != "" {
				in.assignName(f, alias, in.module(st, full))
				continue
			}
			top, _, _ := strings.Cut(full, ".")
			in.assignName(f, top, in.module(st, top))
		}
		return nil
	}
	modNode := st.Field(syntax.FieldModuleName)
	mod := modNode.DottedName(in.src)
	if mod == "__future__" {
		return nil
	}
	for _, k := range st.Kids {
		if k.Kind == syntax.WildcardImport {
			in.wildcards = append(in.wildcards, mod)
		}
	}
	for _, k := range st.FieldAll(syntax.FieldName) {
		dotted, alias := k, ""
		if k.Kind == syntax.AliasedImport {
			dotted, alias = k.Field(syntax.FieldName), k.Field(syntax.FieldAlias).Token
		}
		name := dotted.DottedName(in.src)
		if alias == "" {
			alias = name
		}
		var v value
		if m, ok := in.modules[mod]; ok && modNode.Kind != syntax.RelativeImport {
			v = in.moduleAttr(st, m, name)
		} else if sub, ok := in.modules[mod+"."+name]; ok {
			v = sub
		} else {
			v = &opaqueV{reason: fmt.Sprintf("%s is imported from %s, which is not evaluated", name, mod), line: st.Line, col: st.Col}
		}
		in.assignName(f, alias, v)
	}
	return nil
}

func (in *interp) module(st *syntax.Node, name string) value {
	if m, ok := in.modules[name]; ok {
		return m
	}
	return &opaqueV{reason: fmt.Sprintf("module %s is not evaluated", name), line: st.Line, col: st.Col}
}

func (in *interp) moduleAttr(st *syntax.Node, m *moduleV, name string) value {
	if v, ok := m.attrs[name]; ok {
		return v
	}
	if sub, ok := in.modules[m.name+"."+name]; ok {
		return sub
	}
	harmless := m.name == "typing" || m.name == "typing_extensions" || m.name == "collections.abc"
	return &opaqueV{reason: fmt.Sprintf("%s.%s is not modelled by the evaluator", m.name, name), line: st.Line, col: st.Col, harmless: harmless}
}

// moduleV is one of the modules the evaluator models (os, sys, platform,
// typing, ...).
type moduleV struct {
	name  string
	attrs map[string]value
}
