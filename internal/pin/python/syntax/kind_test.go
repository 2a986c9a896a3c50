package syntax

import (
	"strings"
	"testing"
)

// TestKindsMatchGrammar fails when kinds_gen.go is stale: every named kind
// and field of the linked grammar must have its constant (go generate
// rewrites the file).
func TestKindsMatchGrammar(t *testing.T) {
	lang := setup()
	for id := uint16(0); id < uint16(lang.NodeKindCount()); id++ {
		name := lang.NodeKindForId(id)
		if !lang.NodeKindIsNamed(id) || !lang.NodeKindIsVisible(id) || name != strings.ToLower(name) {
			continue
		}
		if k := language.kinds[id].kind; k == Token || k.String() != name {
			t.Errorf("kind %q (symbol %d) maps to %v", name, id, k)
		}
	}
	for id := uint16(1); id <= uint16(lang.FieldCount()); id++ {
		name := lang.FieldNameForId(id)
		if f := language.fields[id]; f == NoField || f.String() != name {
			t.Errorf("field %q (id %d) maps to %v", name, id, f)
		}
	}
}

func TestParseError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		src  string
		want Error
	}{
		"unexpected token": {src: "x = (1,\ny = 2 2\n", want: Error{Line: 2, Col: 7}},
		"incomplete line":  {src: "x =\n1\n", want: Error{Line: 1, Col: 4}},
		"too deep":         {src: "x = " + strings.Repeat("(", 1100) + "1" + strings.Repeat(")", 1100) + "\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tc.src))
			se, ok := err.(*Error)
			if !ok {
				t.Fatalf("Parse: %v (%T), want an *Error", err, err)
			}
			if tc.want.Line != 0 && (se.Line != tc.want.Line || se.Col != tc.want.Col) {
				t.Errorf("error at %d:%d (%s), want %d:%d", se.Line, se.Col, se.Msg, tc.want.Line, tc.want.Col)
			}
		})
	}
}
