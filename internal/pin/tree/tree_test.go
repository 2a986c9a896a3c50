package tree

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
)

var parsers = map[string]func(string, []byte, Limits) (*Node, error){
	"json": ParseJSON, "yaml": ParseYAML, "toml": ParseTOML,
}

// find returns the first string scalar of n whose value is v.
func find(n *Node, v string) *Node {
	switch n.Kind {
	case Scalar:
		if n.String && n.Value == v {
			return n
		}
	case Mapping:
		for _, e := range n.Entries {
			if f := find(e.Value, v); f != nil {
				return f
			}
		}
	case Sequence:
		for _, c := range n.Items {
			if f := find(c, v); f != nil {
				return f
			}
		}
	}
	return nil
}

func TestScalarSpans(t *testing.T) {
	t.Parallel()
	const hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	const sri = "sha256-ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8="
	for _, tc := range []struct {
		name, format, src, value string
		want                     pin.Span
		literal                  bool
	}{
		{"json hex", "json", `{"sha256": "` + hex + `"}`, hex, pin.Span{Start: 11, End: 77, Line: 1, Column: 12}, true},
		{"json sri on line 2", "json", "{\n  \"integrity\": \"" + sri + "\"\n}", sri, pin.Span{Start: 17, End: 70, Line: 2, Column: 16}, true},
		{"json escape", "json", `{"a": "x\u0041"}`, "xA", pin.Span{Start: 6, End: 15, Line: 1, Column: 7}, false},
		{"json in array", "json", `{"urls": ["a", "b"]}`, "b", pin.Span{Start: 15, End: 18, Line: 1, Column: 16}, true},
		{"json after bom", "json", "\uFEFF{\"a\": \"b\"}", "b", pin.Span{Start: 9, End: 12, Line: 1, Column: 10}, true},
		{"yaml plain", "yaml", "sha256: " + hex + "\n", hex, pin.Span{Start: 8, End: 72, Line: 1, Column: 9}, true},
		{"yaml plain with comment", "yaml", "a: 1\nsha256: " + strings.ToUpper(hex) + "  # x\n", strings.ToUpper(hex), pin.Span{Start: 13, End: 77, Line: 2, Column: 9}, true},
		{"yaml double quoted", "yaml", `k: "abc"`, "abc", pin.Span{Start: 3, End: 8, Line: 1, Column: 4}, true},
		{"yaml single quoted", "yaml", `k: 'abc'`, "abc", pin.Span{Start: 3, End: 8, Line: 1, Column: 4}, true},
		{"yaml single quote escape", "yaml", `k: 'it''s'`, "it's", pin.Span{Start: 3, End: 10, Line: 1, Column: 4}, false},
		{"yaml double quote escape", "yaml", `k: "a\tb"`, "a\tb", pin.Span{Start: 3, End: 9, Line: 1, Column: 4}, false},
		{"yaml anchor", "yaml", "k: &a abc\n", "abc", pin.Span{Start: 6, End: 9, Line: 1, Column: 7}, true},
		{"yaml tag", "yaml", "k: !!str abc\n", "abc", pin.Span{Start: 9, End: 12, Line: 1, Column: 10}, true},
		{"yaml block", "yaml", "k: |\n  abc\n", "abc\n", pin.Span{Start: 3, End: 4, Line: 1, Column: 4}, false},
		{"yaml folded plain", "yaml", "k: abc\n  def\n", "abc def", pin.Span{Start: 3, End: 6, Line: 1, Column: 4}, false},
		{"yaml multibyte key", "yaml", "é: abc\n", "abc", pin.Span{Start: 4, End: 7, Line: 1, Column: 5}, true},
		{"yaml flow", "yaml", "{k: abc, l: [x, \"y\"]}", "y", pin.Span{Start: 16, End: 19, Line: 1, Column: 17}, true},
		{"yaml list item", "yaml", "Installers:\n  - InstallerUrl: u\n", "u", pin.Span{Start: 30, End: 31, Line: 2, Column: 19}, true},
		{"toml basic", "toml", `sha256 = "` + hex + `"`, hex, pin.Span{Start: 9, End: 75, Line: 1, Column: 10}, true},
		{"toml literal", "toml", "[a]\nk = 'abc'\n", "abc", pin.Span{Start: 8, End: 13, Line: 2, Column: 5}, true},
		{"toml multiline", "toml", "k = \"\"\"\nabc\"\"\"\n", "abc", pin.Span{Start: 4, End: 14, Line: 1, Column: 5}, false},
		{"toml escape", "toml", `k = "a\u0041"`, "aA", pin.Span{Start: 4, End: 13, Line: 1, Column: 5}, false},
		{"toml array table", "toml", "[[assets]]\nurl = \"u\"\n[[assets]]\nurl = \"v\"\n", "v", pin.Span{Start: 38, End: 41, Line: 4, Column: 7}, true},
		{"toml inline table", "toml", "x = {url = \"u\", sha256 = \"s\"}\n", "s", pin.Span{Start: 25, End: 28, Line: 1, Column: 26}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, err := parsers[tc.format]("f", []byte(tc.src), LimitsOf(pin.Options{}))
			if err != nil {
				t.Fatal(err)
			}
			n := find(root, tc.value)
			if n == nil {
				t.Fatalf("no string scalar %q in the tree", tc.value)
			}
			if diff := cmp.Diff(tc.want, n.Span); diff != "" {
				t.Errorf("span (-want +got):\n%s", diff)
			}
			if n.Literal != tc.literal {
				t.Errorf("Literal = %v, want %v", n.Literal, tc.literal)
			}
			if n.Literal {
				q := 0
				if c := tc.src[n.Span.Start]; c == '"' || c == '\'' {
					q = 1
				}
				if got := tc.src[n.Span.Start+q : n.Span.End-q]; got != tc.value {
					t.Errorf("literal text %q, want %q", got, tc.value)
				}
			}
		})
	}
}

func TestTOMLTables(t *testing.T) {
	t.Parallel()
	src := "[tool.x.downloads]\nlinux_url = \"u\"\n[[assets]]\nname = \"a\"\n[[assets]]\nname = \"b\"\n[assets.extra]\nk = 1\n"
	root, err := ParseTOML("f.toml", []byte(src), LimitsOf(pin.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var walk func(n *Node, path string)
	walk = func(n *Node, path string) {
		switch n.Kind {
		case Scalar:
			got = append(got, path+"="+n.Value)
		case Mapping:
			for _, e := range n.Entries {
				walk(e.Value, path+"."+e.Key)
			}
		case Sequence:
			for i, c := range n.Items {
				walk(c, path+"["+string(rune('0'+i))+"]")
			}
		}
	}
	walk(root, "")
	want := []string{".tool.x.downloads.linux_url=u", ".assets[0].name=a", ".assets[1].name=b", ".assets[1].extra.k=1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if root.Size != 12 {
		t.Errorf("Size = %d, want 12", root.Size)
	}
}

func TestYAMLAliasesShareNodes(t *testing.T) {
	t.Parallel()
	src := "base: &b {url: u, sha256: s}\nother: *b\nmerged:\n  <<: *b\n  url: v\n"
	root, err := ParseYAML("f.yml", []byte(src), LimitsOf(pin.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	base, other, merged := root.Entries[0].Value, root.Entries[1].Value, root.Entries[2].Value
	if base != other {
		t.Error("the alias does not share its anchor's node")
	}
	var keys []string
	for _, e := range merged.Entries {
		keys = append(keys, e.Key+"="+e.Value.Value)
	}
	if diff := cmp.Diff([]string{"url=v", "sha256=s"}, keys); diff != "" {
		t.Errorf("merged keys (-want +got):\n%s", diff)
	}
}

func TestHostile(t *testing.T) {
	t.Parallel()
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'j'; i++ {
		prev := string(i - 1)
		bomb += string(i) + ": &" + string(i) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
			", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
	}
	manyKeys := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"k` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `` + strconv.Itoa(i) + `": 1`)
		}
		b.WriteString("}")
		return b.String()
	}
	small := Limits{MaxBytes: 1 << 20, MaxDepth: 64, MaxNodes: 1000}
	for _, tc := range []struct {
		name, format, src string
		limits            Limits
		// want is the type of error and a piece of its message.
		want    any
		message string
	}{
		{"json deep", "json", strings.Repeat("[", 100000) + strings.Repeat("]", 100000), Limits{}, &pin.BudgetError{}, "1:66: document nests deeper than 64 levels"},
		{"yaml deep", "yaml", strings.Repeat("[", 5000) + strings.Repeat("]", 5000), Limits{}, &pin.BudgetError{}, "nests deeper than 64 levels"},
		{"toml deep", "toml", "a = " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000), Limits{}, &pin.BudgetError{}, "nests deeper than 64 levels"},
		{"toml deep tables", "toml", "[" + strings.Repeat("a.", 100) + "a]\n", Limits{}, &pin.BudgetError{}, "nests deeper than 64 levels"},
		{"yaml alias bomb", "yaml", bomb, Limits{}, &pin.BudgetError{}, "aliases expand the document to more than"},
		{"yaml alias cycle", "yaml", "a: &a [*a]\n", Limits{}, &pin.BudgetError{}, "f:1:4: document nests deeper than 64 levels"},
		{"json many keys", "json", manyKeys(5000), small, &pin.BudgetError{}, "more than 1000 nodes"},
		{"json invalid utf-8", "json", "{\"a\":\n \"\xff\"}", Limits{}, &pin.SyntaxError{}, "f:2:3: syntax error: invalid UTF-8"},
		{"yaml invalid utf-8", "yaml", "a: b\nc: \xc3\x28\n", Limits{}, &pin.SyntaxError{}, "f:2:4: syntax error: invalid UTF-8"},
		{"toml invalid utf-8", "toml", "a = \"\xe2\x82\"\n", Limits{}, &pin.SyntaxError{}, "invalid UTF-8"},
		{"json duplicate key", "json", "{\"sha256\": \"a\",\n \"sha256\": \"b\"}", Limits{}, &pin.SyntaxError{}, `f:2:2: syntax error: duplicate key "sha256" (first at line 1)`},
		{"yaml duplicate key", "yaml", "sha256: a\nsha256: b\n", Limits{}, &pin.SyntaxError{}, `f:2:1: syntax error: duplicate key "sha256"`},
		{"toml duplicate key", "toml", "sha256 = \"a\"\nsha256 = \"b\"\n", Limits{}, &pin.SyntaxError{}, `f:2:1: syntax error: duplicate key "sha256"`},
		{"toml table over a value", "toml", "a = 1\n[a]\n", Limits{}, &pin.SyntaxError{}, `key "a" already holds a value`},
		{"json too large", "json", `{"a": "` + strings.Repeat("x", 100) + `"}`, Limits{MaxBytes: 50}, &pin.TooLargeError{}, "over the 50-byte limit"},
		{"json truncated", "json", `{"a": [1, 2`, Limits{}, &pin.SyntaxError{}, "want ',' or ']'"},
		{"json trailing", "json", `{} {}`, Limits{}, &pin.SyntaxError{}, "after the top-level value"},
		{"json bad word", "json", `{"a": nul}`, Limits{}, &pin.SyntaxError{}, `invalid value "nul"`},
		{"json control character", "json", "{\"a\": \"x\ny\"}", Limits{}, &pin.SyntaxError{}, "control character"},
		{"yaml syntax", "yaml", "a: [b\n", Limits{}, &pin.SyntaxError{}, "f:"},
		{"toml syntax", "toml", "a = \n", Limits{}, &pin.SyntaxError{}, "f:1:"},
		{"yaml complex key", "yaml", "? [a]\n: b\n", Limits{}, &pin.SyntaxError{}, "not a scalar"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lim := LimitsOf(pin.Options{})
			if tc.limits != (Limits{}) {
				lim = tc.limits
			}
			_, err := parsers[tc.format]("f", []byte(tc.src), lim)
			if err == nil {
				t.Fatal("no error")
			}
			ok := false
			switch tc.want.(type) {
			case *pin.BudgetError:
				var e *pin.BudgetError
				ok = errors.As(err, &e)
			case *pin.SyntaxError:
				var e *pin.SyntaxError
				ok = errors.As(err, &e)
			case *pin.TooLargeError:
				var e *pin.TooLargeError
				ok = errors.As(err, &e)
			}
			if !ok {
				t.Errorf("error %T %v, want %T", err, err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q, want it to contain %q", err, tc.message)
			}
		})
	}
}
