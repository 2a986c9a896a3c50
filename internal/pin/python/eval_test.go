package python

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
)

// evalCase is a snippet of module code and an expression whose value the
// evaluator must compute exactly as CPython does.
type evalCase struct {
	name string
	src  string
	expr string
}

// evalCases exercise each construct the evaluator supports, in isolation.
// CPython is the oracle: TestEvalMatchesCPython runs every case through
// both and compares repr() of the result.
var evalCases = []evalCase{
	// String literals.
	{"quotes", `a = 'x'; b = "y"; c = '''z'''; d = """w"""`, `[a, b, c, d]`},
	{"escapes", `s = "a\tb\n\x41\u00e9\\\'\"\101\0"`, `s`},
	{"raw", `s = r"a\nb\x41" + R'\d'`, `s`},
	{"prefixes", `s = u"u" + f"f" + rf"\n{1}" + Fr"{2}\t" + U"x"`, `s`},
	{"implicit concat", "s = ('abc'\n     \"def\"\n     f'{1+1}')", `s`},
	{"line continuation in string", "s = \"ab\\\ncd\"", `s`},
	{"triple quoted multi-line", "s = \"\"\"one\ntwo\"\"\"", `s`},
	// f-strings.
	{"fstring exprs", `x = 5; d = {"k": "v"}; s = f"{x+1}-{d['k']}-{'q'.upper()}-{x!r}-{'t'!r}"`, `s`},
	{"fstring specs", `n = 7; s = f"{n:03d}|{'ab':>5}|{'ab':<4}|{'ab':^6}|{3.14159:.2f}|{n:x}|{255:#X}|{1234567:,}|{n:+d}"`, `s`},
	{"fstring nested spec", `w = 6; s = f"{'x':>{w}}"`, `s`},
	{"fstring braces", `s = f"{{literal}} {1}"`, `s`},
	{"fstring nested quotes", `s = f"{'a' + 'b'}" + f'{"c"}'`, `s`},
	{"fstring multiline", "v = 'x'\ns = (\n  f\"a/{v}/\"\n  f\"b/{v}\"\n)", `s`},
	// Operators.
	{"concat and repeat", `s = "ab" + "cd" * 2; l = [1] * 3 + [2]; t = (1,) * 2`, `(s, l, t)`},
	{"percent", `s = "%s-%d-%05d-%r-%x-%.2f-%5s|%-5s|" % ("a", 3, 42, "q", 255, 2.5, "r", "l")`, `s`},
	{"percent mapping", `s = "%(name)s@%(v)03d" % {"name": "n", "v": 7}`, `s`},
	{"percent single", `s = "v%s" % 1`, `s`},
	{"arith", `a = 7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** 10, 7 / 2, 1 << 4, 0xff & 0x0f, 5 ^ 1, 5 | 2, ~5`, `a`},
	{"float arith", `a = 1.5 * 2, 7.0 // 2, -7.5 % 2, 0.1 + 0.2`, `a`},
	{"comparisons", `a = (1 < 2 <= 2 < 3, 1 < 2 > 3, "a" < "b", (1, 2) < (1, 3), [1] == [1], 1 == 1.0, "x" != "y")`, `a`},
	{"membership", `a = ("a" in "cat", 2 in [1, 2], "k" in {"k": 1}, 3 not in {1, 2}, "z" not in ("x", "y"))`, `a`},
	{"identity", `x = None; a = (x is None, x is not None, 1 is not None)`, `a`},
	{"bool ops values", `a = ("" or "default", "x" and "y", None or 0 or "z", not "", not 1, 0 and 1)`, `a`},
	{"conditional expr", `x = 3; s = "big" if x > 2 else "small"`, `s`},
	{"unary", `a = (-3, +3, -(-3), not None)`, `a`},
	// str.format and methods.
	{"format positional", `s = "{}-{}".format("a", "b") + "{1}{0}".format("x", "y")`, `s`},
	{"format keyword", `s = "{name}/{v:>3}/{0}".format("p", name="n", v=7)`, `s`},
	{"format index attr", `s = "{0[1]}-{d[k]}".format(["a", "b"], d={"k": "v"})`, `s`},
	{"join", `s = "/".join(["a", "b", "c"]) + "-".join(x.upper() for x in "ab")`, `s`},
	{"case", `a = ("Ab".lower(), "Ab".upper(), "hello world".title(), "hi".capitalize())`, `a`},
	{"strip", `a = ("  x  ".strip(), "xxaxx".strip("x"), "  x".lstrip(), "x  ".rstrip(), "v1.2.3".lstrip("v"))`, `a`},
	{"replace", `a = ("a-b-c".replace("-", "/"), "aaa".replace("a", "b", 2))`, `a`},
	{"affixes", `a = ("img.zst".endswith(".zst"), "img".startswith(("x", "i")), "v1".removeprefix("v"), "a.tar".removesuffix(".tar"))`, `a`},
	{"split", `a = ("a/b/c".split("/"), "a/b/c".split("/", 1), " a  b ".split(), "a/b/c".rsplit("/", 1), "k=v".partition("="))`, `a`},
	{"find and misc", `a = ("abc".find("c"), "abc".find("z"), "ab".zfill(5), "x".rjust(3, "."), "x".center(5, "*"), "abcabc".count("b"), "3".isdigit())`, `a`},
	// Assignment forms.
	{"annotated", `x: str = "a"; y: int`, `x`},
	{"chained", `a = b = "same"`, `(a, b)`},
	{"tuple unpack", `a, b = "x", "y"; (c, d), e = ("p", "q"), "r"`, `(a, b, c, d, e)`},
	{"starred unpack", `a, *rest = [1, 2, 3]; *init, last = "abc"`, `(a, rest, init, last)`},
	{"augmented", `s = "a"; s += "b"; l = [1]; l += [2]; d = {"a": 1}; d |= {"b": 2}; n = 5; n -= 1; n *= 3`, `(s, l, d, n)`},
	{"augmented aliasing", `l = [1]; m = l; l += [2]`, `m`},
	{"subscript assign", `d = {}; d["k"] = "v"; l = [0, 0]; l[1] = 5; l[0:1] = [7, 8]`, `(d, l)`},
	{"walrus", `l = [y for x in range(3) if (y := x * 2)]`, `l`},
	// Control flow.
	{"if elif else", "x = 2\nif x == 1:\n  s = 'one'\nelif x == 2:\n  s = 'two'\nelse:\n  s = 'many'", `s`},
	{"for tuple target", "out = []\nfor k, v in {'a': 1, 'b': 2}.items():\n  out.append(f'{k}={v}')", `out`},
	{"for break continue else", "out = []\nfor i in range(10):\n  if i % 2: continue\n  if i > 6: break\n  out.append(i)\nelse:\n  out.append('done')", `out`},
	{"while bounded", "i = 0\nacc = []\nwhile i < 5:\n  acc.append(i)\n  i += 1", `acc`},
	{"try except", "d = {}\ntry:\n  v = d['missing']\nexcept KeyError:\n  v = 'fallback'", `v`},
	{"try else finally", "try:\n  v = 1\nexcept Exception:\n  v = 2\nelse:\n  v = 3\nfinally:\n  w = 4", `(v, w)`},
	{"except tuple as", "d = {}\ntry:\n  v = d['missing']\nexcept (ValueError, KeyError) as e:\n  v = 'caught'", `v`},
	{"except lookup base", "try:\n  v = [][1]\nexcept (ValueError, LookupError):\n  v = 'caught'", `v`},
	{"except skips others", "v = 0\ntry:\n  try:\n    v = {}['k']\n  except (ValueError, TypeError):\n    v = 1\nexcept KeyError:\n  v = 2", `v`},
	// Functions.
	{"def params", "def f(a, b='B', *args, c, d='D', **kw):\n  return (a, b, args, c, d, kw)\nr = f(1, 2, 3, 4, c=5, e=6)", `r`},
	{"def defaults and kwonly", "def f(a, *, sep='/'):\n  return sep.join([a, a])\nr = (f('x'), f('x', sep='-'))", `r`},
	{"locals and nesting", "def g(x):\n  return x * 2\ndef f(x):\n  y = g(x)\n  z = g(y)\n  return z + 1\nr = f(3)", `r`},
	{"recursion", "def fact(n):\n  return 1 if n <= 1 else n * fact(n - 1)\nr = fact(10)", `r`},
	{"closure", "def outer(p):\n  def inner(s):\n    return p + s\n  return inner\nr = outer('a')('b')", `r`},
	{"lambda", "f = lambda x, y=2: x * y\nr = (f(3), f(3, 3), sorted(['bb', 'a'], key=lambda s: len(s)))", `r`},
	{"global stmt", "n = 0\ndef bump():\n  global n\n  n += 1\nbump(); bump()", `n`},
	{"decorators", "import functools\n@functools.lru_cache(maxsize=None)\ndef f(x):\n  return x + 1\n@functools.cache\ndef g(x):\n  return x * 2\nr = (f(1), g(2))", `r`},
	// Containers and builtins.
	{"literals and unpacking", `a = [1, *[2, 3]]; b = (*"ab", "c"); c = {1, 2, *{3}}; d = {"x": 1, **{"y": 2}}`, `(a, b, sorted(c), d)`},
	{"comprehensions", `l = [x * y for x in range(3) for y in range(3) if x != y]; d = {k: v for k, v in zip("ab", "xy")}; s = {c for c in "aab"}`, `(l, d, sorted(s))`},
	{"nested comprehension conditions", `l = [(i, j) for i in range(4) if i % 2 == 0 for j in "xy" if j != "y"]`, `l`},
	{"subscripts and slices", `l = list(range(10)); s = "abcdef"`, `(l[-1], l[2:5], l[::3], l[::-2], l[-3:], s[1:-1], s[::-1], l[8:2:-2])`},
	{"dict methods", `d = {"a": 1, "b": 2}`, `(list(d.items()), list(d.keys()), list(d.values()), d.get("a"), d.get("z"), d.get("z", 9), len(d))`},
	{"dict ctor", `a = dict(x=1, y=2); b = dict([("k", "v")]); c = dict({"m": 1}, n=2)`, `(a, b, c)`},
	{"sequence builtins", `a = (list("ab"), tuple([1, 2]), sorted([3, 1, 2]), sorted("cab", reverse=True), len("héllo"))`, `a`},
	{"zip enumerate range", `a = (list(zip([1, 2], "ab")), list(enumerate("ab", start=1)), list(range(2, 10, 3)), list(range(5, 0, -2)))`, `a`},
	{"min max sum any all", `a = (min(3, 1, 2), max([1, 5, 2]), sum([1, 2, 3]), any([0, 1]), all([1, 0]), max(["a", "bbb"], key=len))`, `a`},
	{"str int float bool", `a = (str(5), int("42"), int("ff", 16), float("1.5"), bool(""), str(None), int(3.9))`, `a`},
	{"isinstance", `a = (isinstance("x", str), isinstance(1, (str, int)), isinstance(True, int), isinstance([], dict))`, `a`},
	{"map filter reversed", `a = (list(map(str.upper, ["a", "b"])), list(filter(None, [0, 1, 2])), list(reversed([1, 2, 3])))`, `a`},
	{"list methods", "l = [3, 1]\nl.append(2)\nl.extend([5])\nl.insert(0, 9)\nl.sort()\nx = l.pop()\nl.remove(1)", `(l, x, l.index(3), l.count(2))`},
	{"set ops", `a = {1, 2, 3}; b = {2, 3, 4}`, `(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))`},
	{"repr of floats", `a = (1.0, 0.1, 1e16, 1.5e-7, 123456789012345.0, 2.5)`, `a`},
	// Classes.
	{"classvar annotations", "from dataclasses import dataclass\nimport typing\nfrom typing import ClassVar\n@dataclass\nclass A:\n  a: typing.ClassVar[int] = 1\n  c: int = 3\nr = A(5)", `(r.c, A.a)`},
	{"dataclass record", "from dataclasses import dataclass, field\n@dataclass(frozen=True)\nclass A:\n  url: str\n  sha: str = 'd'\n  tags: list = field(default_factory=list)\nr = A('u')", `(r.url, r.sha, r.tags)`},
	{"namedtuple record", "from typing import NamedTuple\nclass P(NamedTuple):\n  x: str\n  y: str = 'Y'\np = P('X')\na, b = p", `(p.x, p.y, p[0], a, b, len(p))`},
	{"methods with self", "from dataclasses import dataclass\n@dataclass\nclass K:\n  name: str\n  def url(self, v):\n    return f'{self.name}/{v}'\n  @property\n  def up(self):\n    return self.name.upper()\n  @staticmethod\n  def s(x):\n    return x\nk = K(name='n')", `(k.url('a'), k.up, k.s(1), K.s(2))`},
	{"plain class init", "class C:\n  def __init__(self, a, b='B'):\n    self.a = a\n    self.b = b\nc = C('A')", `(c.a, c.b)`},
	{"inherited fields", "from dataclasses import dataclass\n@dataclass\nclass Base:\n  a: str\n  b: str = 'b'\n@dataclass\nclass Sub(Base):\n  c: str = 'c'\ns = Sub(a='A')", `(s.a, s.b, s.c)`},
	{"class attrs not fields", "from typing import NamedTuple\nclass M(NamedTuple):\n  x: str\n  model_config = {'frozen': True}\nm = M('v')", `m.x`},
	{"replace", "from dataclasses import dataclass, replace\n@dataclass\nclass R:\n  u: str\n  s: str\nr = replace(R('a', 'b'), s='c')", `(r.u, r.s)`},
	{"enum", "from enum import Enum\nclass Arch(str, Enum):\n  AMD64 = 'amd64'\n  ARM64 = 'arm64'", `(Arch.AMD64.value, Arch('arm64').name, [a.value for a in Arch])`},
	// Environment and platform.
	{"environ get", "import os\nv = os.environ.get('SOME_TAG', 'default')\nw = os.getenv('NOPE')\nx = 'SOME_TAG' in os.environ", `(v, w, x)`},
	{"environ or", "import os\nv = os.environ.get('TAG') or 'v1'", `v`},
	{"dotted import with spaces", "import os . path\nfrom os . path import join\nv = (os.path.join('a', 'b'), join('c', 'd'))", `v`},
	{"platform", "import platform, sys\nm = {'x86_64': 'amd64', 'aarch64': 'arm64'}[platform.machine()]\ns = platform.system().lower()\np = sys.platform", `(m, s, p)`},
	{"from imports", "from os import environ, getenv\nfrom os.path import join\nv = environ.get('X', getenv('Y', join('a', 'b')))", `v`},
	// Errors surface as Python would raise them.
	{"key error", `d = {}`, `d["missing"]`},
	{"index error", `l = [1]`, `l[5]`},
	{"type error", `x = 1`, `x + "a"`},
	{"zero division", `x = 0`, `1 // x`},
	// Builtins check their arguments as CPython does.
	{"builtin keywords", `it = [3, 1, 2]`, `(sorted(it, key=None, reverse=True), enumerate(it, start=5) and 1, getattr(it, "nope", "dflt"), round(7.25, ndigits=1), min(it, default=0), max([], default=9), int("ff", base=16))`},
	{"builtin too many", `x = [1]`, `len(x, x)`},
	{"builtin missing", `x = 1`, `isinstance(x)`},
	{"builtin unknown keyword", `x = [2, 1]`, `sorted(x, cmp=None)`},
	{"builtin repeated keyword", `x = "7"`, `int(x, 10, base=10)`},
}

// TestEvalMatchesCPython runs every evalCase through the evaluator and
// through CPython and compares repr() of the results.
func TestEvalMatchesCPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skipf("python3 is not on PATH, so CPython cannot serve as the oracle: %v", err)
	}
	input, err := json.Marshal(func() []map[string]string {
		out := make([]map[string]string, len(evalCases))
		for i, c := range evalCases {
			out[i] = map[string]string{"src": c.src, "expr": c.expr}
		}
		return out
	}())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "testdata/oracle/exprs.py")
	cmd.Stdin = strings.NewReader(string(input))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("CPython oracle: %v", err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("CPython oracle output: %v\n%s", err, out)
	}
	if len(want) != len(evalCases) {
		t.Fatalf("CPython returned %d results for %d cases", len(want), len(evalCases))
	}
	for i, c := range evalCases {
		t.Run(c.name, func(t *testing.T) {
			if got := evalRepr(t, c.src, c.expr); got != want[i] {
				t.Errorf("%s\n  evaluator: %s\n  CPython:   %s", c.src, got, want[i])
			}
		})
	}
}

// evalRepr evaluates src then expr and returns repr() of the result, or
// "raises T" for a Python exception, or "unknown: reason".
func evalRepr(t *testing.T, src, expr string) string {
	t.Helper()
	code := src + "\n__result__ = " + expr + "\n"
	mod, err := parseModule("snippet.py", []byte(code))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	in := newTestInterp(code)
	f := &frame{sc: in.globals, global: true}
	for _, st := range mod.Kids {
		if _, err := in.exec(f, st); err != nil {
			var pe *pyError
			if errors.As(err, &pe) {
				return "raises " + pe.typ
			}
			return "error: " + err.Error()
		}
	}
	v := in.globals.vars["__result__"]
	if o, ok := v.(*opaqueV); ok {
		return "unknown: " + o.reason
	}
	return pyRepr(v)
}

func newTestInterp(code string) *interp {
	return &interp{
		file: "snippet.py", src: []byte(code), platform: pin.DefaultPlatform,
		maxSteps: pin.DefaultMaxSteps, maxDepth: pin.DefaultMaxDepth,
		globals: newScope(nil), builtins: newBuiltins(), modules: newModules(nil, pin.DefaultPlatform),
	}
}

// TestUnknownValuesPropagate checks that what the evaluator cannot know
// stays unknown, with a reason naming its origin, instead of being guessed.
func TestUnknownValuesPropagate(t *testing.T) {
	cases := map[string]struct {
		src, expr, reason string
	}{
		"import of another module":  {"from acme.mirrors import BASE", `f"{BASE}/x"`, "BASE is imported from acme.mirrors"},
		"attribute of unknown":      {"import requests", `requests.get("u").text`, "module requests is not evaluated"},
		"method on unknown":         {"from x import y", `y.upper() + "a"`, "y is imported from x"},
		"unknown in if":             {"from x import flag\nif flag:\n  v = 'a'\nelse:\n  v = 'b'", `v`, "the if condition depends on an unknown value"},
		"unknown for iterable":      {"from x import items\nfor i in items:\n  last = i", `last`, "the for loop's iterable"},
		"unknown inside function":   {"from x import flag\ndef f():\n  if flag:\n    return 'a'\n  return 'b'", `f()`, "the if condition"},
		"unknown decorator":         {"from x import deco\n@deco\ndef f():\n  return 'a'", `f()`, "decorated with deco"},
		"with statement":            {"with open('f') as fh:\n  data = fh.read()", `data`, "with statement is not evaluated"},
		"wildcard import":           {"from consts import *", `BASE + "/x"`, "from consts import *"},
		"open is not a builtin":     {"v = open('/etc/passwd').read()", `v`, "name 'open' is not defined"},
		"exec is not a builtin":     {"v = exec('import os')", `v`, "name 'exec' is not defined"},
		"pathlib is not evaluated":  {"from pathlib import Path\np = Path('/etc/passwd').read_text()", `p`, "Path is imported from pathlib"},
		"subprocess not evaluated":  {"import subprocess\nv = subprocess.check_output(['id'])", `v`, "module subprocess is not evaluated"},
		"unmodelled os function":    {"import os\nv = os.listdir('/')", `v`, "os.listdir is not modelled"},
		"conditional on unknown":    {"from x import c", `"a" if c else "b"`, "conditional expression"},
		"comprehension on unknown":  {"from x import c", `[i for i in range(3) if c]`, "comprehension's condition"},
		"huge ints are not guessed": {"n = 2 ** 70", `str(n)`, "integer overflow"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code := c.src + "\n__result__ = " + c.expr + "\n"
			mod, err := parseModule("snippet.py", []byte(code))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			in := newTestInterp(code)
			if err := in.execModule(mod); err != nil {
				t.Fatalf("execModule: %v", err)
			}
			o, ok := in.globals.vars["__result__"].(*opaqueV)
			if !ok {
				t.Fatalf("result is %s, want an unknown value", pyRepr(in.globals.vars["__result__"]))
			}
			if !strings.Contains(o.reason, c.reason) {
				t.Errorf("reason %q does not mention %q", o.reason, c.reason)
			}
			if o.line < 1 {
				t.Errorf("unknown value has no line (reason %q)", o.reason)
			}
		})
	}
}
