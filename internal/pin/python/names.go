package python

import "github.com/pindrift/pindrift/internal/pin/python/syntax"

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
