package strictyaml

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Document is a parsed configuration file and where each setting is
// written in it, so Problems found after decoding can name a line.
type Document struct {
	values map[string]token.Position // key path -> its value
	keys   map[string]token.Position // key path -> the key itself
	byPos  map[token.Position]string // value position -> key path
	// extra are string settings the decoded type has no field for, by key
	// path, and extraNodes those of them the file holds.
	extra      map[string]*string
	extraNodes map[string]ast.Node
}

// Decode parses one YAML document into v, a pointer to a struct
// already holding the defaults: a key that is absent or null keeps its
// default. Every unknown key, duplicate key and value of the wrong kind is
// a problem, all of them reported rather than the first; v is only written
// when there is none.
//
// Decoding is checked against v's type before it runs because the decoder
// alone is lenient where a configuration must not be: it truncates 1.5 to
// 1, reads the string "8080" as a number, and stops at the first problem.
//
// extra adds string settings that v's type has no field for, by key path
// (github.app.private_key_file, in go-githubapp's struct): they are checked
// and located like the others and written to their string.
func Decode(data []byte, v any, extra map[string]*string) (*Document, []Problem) {
	doc := &Document{values: map[string]token.Position{}, keys: map[string]token.Position{}, byPos: map[token.Position]string{},
		extra: extra, extraNodes: map[string]ast.Node{}}
	// Duplicate keys are let through the parser so that walk reports all of
	// them, with their key paths.
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return doc, []Problem{yamlProblem(err, nil)}
	}
	var body ast.Node
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if _, empty := d.Body.(*ast.CommentGroupNode); empty {
			continue
		}
		if body != nil {
			pos := nodePos(d.Body)
			return doc, []Problem{{Line: pos.Line, Column: pos.Column,
				Message: "the file must hold one YAML document; a second one starts here"}}
		}
		body = d.Body
	}
	if body == nil {
		return doc, nil // empty: every setting keeps its default
	}
	var ps []Problem
	doc.walk(body, reflect.TypeOf(v).Elem(), "", &ps)
	if len(ps) > 0 {
		return doc, ps
	}
	// walk has refused every key the type does not know but the extra
	// ones, which the decoder would refuse too when strict.
	var opts []yaml.DecodeOption
	if len(doc.extraNodes) == 0 {
		opts = append(opts, yaml.Strict())
	}
	if err := yaml.NodeToValue(body, v, opts...); err != nil {
		return doc, []Problem{yamlProblem(err, doc)}
	}
	for key, n := range doc.extraNodes {
		if err := yaml.NodeToValue(n, doc.extra[key]); err != nil {
			return doc, []Problem{yamlProblem(err, doc)}
		}
	}
	return doc, nil
}

// yamlProblem turns a parser or decoder error into a Problem. Only the
// message is kept: the library's rendering quotes the surrounding source,
// which may hold a secret.
func yamlProblem(err error, doc *Document) Problem {
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil {
		return Problem{Message: "invalid YAML"}
	}
	pos := *ye.GetToken().Position
	p := Problem{Line: pos.Line, Column: pos.Column, Message: ye.GetMessage()}
	if doc != nil {
		p.Key = doc.byPos[pos]
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		p.Message = "must be " + kindName(te.DstType)
	}
	return p
}

// locate finds where key is written: its value, or with keyPos the key
// itself. A key that is absent is placed at the key of the nearest
// enclosing setting that is present; (0, 0) when none is.
func (d *Document) Locate(key string, keyPos bool) (line, col int) {
	for k := key; ; k = parentKey(k) {
		if keyPos || k != key {
			if p, ok := d.keys[k]; ok {
				return p.Line, p.Column
			}
		}
		if p, ok := d.values[k]; ok {
			return p.Line, p.Column
		}
		if k == "" {
			return 0, 0
		}
	}
}

// walk checks node against type t, recording where every setting is.
func (d *Document) walk(n ast.Node, t reflect.Type, path string, ps *[]Problem) {
	for {
		if a, ok := n.(*ast.AnchorNode); ok {
			n = a.Value
			continue
		}
		if tg, ok := n.(*ast.TagNode); ok {
			n = tg.Value
			continue
		}
		break
	}
	pos := nodePos(n)
	d.values[path] = pos
	d.byPos[*n.GetToken().Position] = path
	switch n.(type) {
	case *ast.NullNode:
		return // null keeps the default
	case *ast.AliasNode:
		return // checked where its anchor is, and by the decoder
	}
	bad := func() {
		*ps = append(*ps, Problem{Line: pos.Line, Column: pos.Column, Key: path, Message: "must be " + kindName(t)})
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Duration]() {
		// An int64 to reflect, but written as "30s": a bare number would
		// be nanoseconds, which nobody means.
		if s, ok := n.(*ast.StringNode); !ok || !isDuration(s.Value) {
			*ps = append(*ps, Problem{Line: pos.Line, Column: pos.Column, Key: path, Message: "must be a duration such as 30s or 2m"})
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		pairs, ok := mappingPairs(n)
		if !ok {
			bad()
			return
		}
		fields, names := yamlFields(t)
		for _, k := range SortedKeys(d.extra) {
			if parentKey(k) == path {
				names = append(names, k[len(path)+1:])
			}
		}
		d.walkPairs(pairs, path, ps, func(key string) (reflect.Type, string) {
			f, ok := fields[key]
			if _, extra := d.extra[JoinKey(path, key)]; !ok && extra {
				return reflect.TypeFor[string](), ""
			}
			if !ok {
				where := "here"
				if path != "" {
					where = "in " + path
				}
				return nil, fmt.Sprintf("unknown key (known keys %s: %s)", where, strings.Join(names, ", "))
			}
			return f, ""
		})
	case reflect.Map:
		pairs, ok := mappingPairs(n)
		if !ok {
			bad()
			return
		}
		d.walkPairs(pairs, path, ps, func(string) (reflect.Type, string) { return t.Elem(), "" })
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			bad()
			return
		}
		for i, v := range seq.Values {
			d.walk(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i), ps)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if _, ok := n.(*ast.IntegerNode); !ok {
			bad()
		}
	case reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			bad()
		}
	case reflect.String:
		switch n.(type) {
		case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
			bad()
		}
	}
}

// walkPairs checks a mapping's pairs; child gives the type of a key's
// value, or a message when the key is not allowed.
func (d *Document) walkPairs(pairs []*ast.MappingValueNode, path string, ps *[]Problem, child func(string) (reflect.Type, string)) {
	seen := map[string]token.Position{}
	for _, kv := range pairs {
		kpos := *kv.Key.GetToken().Position
		if _, merge := kv.Key.(*ast.MergeKeyNode); merge {
			*ps = append(*ps, Problem{Line: kpos.Line, Column: kpos.Column, Key: path,
				Message: "merge keys (<<) are not supported; write the settings out"})
			continue
		}
		name := keyString(kv.Key)
		kp := JoinKey(path, name)
		d.keys[kp] = kpos
		if first, dup := seen[name]; dup {
			*ps = append(*ps, Problem{Line: kpos.Line, Column: kpos.Column, Key: kp,
				Message: fmt.Sprintf("duplicate key (first at line %d)", first.Line)})
			continue
		}
		seen[name] = kpos
		t, msg := child(name)
		if msg != "" {
			*ps = append(*ps, Problem{Line: kpos.Line, Column: kpos.Column, Key: kp, Message: msg})
			continue
		}
		if _, extra := d.extra[kp]; extra {
			d.extraNodes[kp] = kv.Value
		}
		d.walk(kv.Value, t, kp, ps)
	}
}

func mappingPairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

func keyString(k ast.MapKeyNode) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	return k.GetToken().Value
}

// nodePos is where a reader sees a node start: a block mapping starts at
// its first key, not at the colon the parser reports.
func nodePos(n ast.Node) token.Position {
	switch m := n.(type) {
	case *ast.MappingNode:
		if !m.IsFlowStyle && len(m.Values) > 0 {
			return nodePos(m.Values[0])
		}
	case *ast.MappingValueNode:
		return *m.Key.GetToken().Position
	}
	return *n.GetToken().Position
}

// yamlFields maps a struct's YAML keys to their types, and lists the keys
// in declaration order.
func yamlFields(t reflect.Type) (map[string]reflect.Type, []string) {
	fields := map[string]reflect.Type{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Type
		names = append(names, name)
	}
	return fields, names
}

func isDuration(s string) bool {
	_, err := time.ParseDuration(s)
	return err == nil
}

func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "a mapping of keys to values"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	if t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64 {
		return "a whole number"
	}
	return "a " + t.Kind().String()
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// JoinKey appends a map key to a key path, quoting keys that would be
// ambiguous in the dotted form.
func JoinKey(path, key string) string {
	if !plainKey.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// parentKey strips a key path's last element. It is only asked about
// paths whose last element is a schema key or an index, never a quoted
// map key, since those are always present in the document.
func parentKey(path string) string {
	i := max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, '['))
	if i < 0 {
		return ""
	}
	return path[:i]
}

// SortedKeys is for messages and deterministic iteration.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
