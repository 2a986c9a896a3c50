package python

import (
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// trace is what one platform's run leaves for the sweep: the literals it
// accounted for, and the branches its decided conditions skipped.
type trace struct {
	used map[int]bool
	// skipped holds the branches (an if's block, an elif or else
	// clause, an arm of x if c else y, the right of and/or) that a
	// condition the run could decide skipped every time, and never ran.
	skipped map[*syntax.Node]bool
}

// branches records the branches a run took and skipped, on conditions it
// could decide: which branch runs depends on the platform, the
// environment or the file's constants, so a digest in a branch no run
// took belongs to a configuration not evaluated, not to no record.
type branches struct {
	taken, skipped map[*syntax.Node]bool
}

func (b *branches) take(n *syntax.Node) {
	if n == nil {
		return
	}
	if b.taken == nil {
		b.taken = map[*syntax.Node]bool{}
	}
	b.taken[n] = true
}

func (b *branches) skip(n *syntax.Node) {
	if n == nil {
		return
	}
	if b.skipped == nil {
		b.skipped = map[*syntax.Node]bool{}
	}
	b.skipped[n] = true
}

// skippedOnly returns the branches skipped and never taken: a def called
// twice may take a branch it skipped the first time.
func (b *branches) skippedOnly() map[*syntax.Node]bool {
	out := map[*syntax.Node]bool{}
	for n := range b.skipped {
		if !b.taken[n] {
			out[n] = true
		}
	}
	return out
}

// sweep reports every string literal of mod that is a digest, or looks
// like one, which no run accounted for (a pin, a record's finding, the
// symbol walk), so that nothing is missed silently. It runs once over all
// the platforms' runs: a digest one platform pairs is accounted for. A
// digest in a branch every run skipped on a condition it decided (a
// darwin-only branch when evaluating for linux) is left alone: another
// platform or environment takes that branch. in pays for the sweep.
func (in *interp) sweep(mod *syntax.Node, res *pin.Result, traces []trace, stray string) error {
	used := map[int]bool{}
	for _, t := range traces {
		for k := range t.used {
			used[k] = true
		}
	}
	// A digest that reached a pin through a method or a % (a derived
	// string, spanned at its call) is accounted for by its value.
	pinned := map[string]bool{}
	for _, p := range res.Pins {
		used[p.SHASpan.Start] = true
		pinned[string(p.Algorithm)+":"+p.Digest] = true
		if p.Algorithm == "" {
			if d, ok := pin.ParseDigest(p.SHA256); ok {
				pinned[string(d.Algorithm)+":"+d.Hex] = true
			}
		}
	}
	s := &sweeper{in: in, res: res, traces: traces, used: used, pinned: pinned, stray: stray}
	for _, top := range mod.Kids {
		s.sym = moduleSymbol
		if top.Kind == syntax.FunctionDefinition {
			s.sym = top.Field(syntax.FieldName).Token
		}
		if err := s.visit(top); err != nil {
			return err
		}
	}
	return nil
}

type sweeper struct {
	in     *interp
	res    *pin.Result
	traces []trace
	used   map[int]bool
	pinned map[string]bool
	// stray is the message of a digest no run accounted for.
	stray string
	sym   string
	// path holds the nodes enclosing the one visited.
	path []*syntax.Node
}

// visit sweeps n and what it holds. Syntax nesting is bounded by the
// parser, so the recursion is too.
func (s *sweeper) visit(n *syntax.Node) error {
	if err := s.in.step(n); err != nil {
		return err
	}
	if n.Kind == syntax.String {
		return s.literal(n)
	}
	s.path = append(s.path, n)
	defer func() { s.path = s.path[:len(s.path)-1] }()
	for _, k := range n.Kids {
		if err := s.visit(k); err != nil {
			return err
		}
	}
	return nil
}

func (s *sweeper) literal(n *syntax.Node) error {
	if s.used[n.Start] || !maybeDigest(s.in, n) {
		return nil
	}
	v, err := s.in.evalString(nil, n)
	if err != nil {
		return err
	}
	str, ok := v.(*strV)
	if !ok {
		return nil
	}
	sp := spanOf(n)
	f := pin.Finding{Symbol: s.sym, Line: sp.Line, Column: sp.Column, Span: sp}
	if d, ok := pin.ParseDigest(str.s); ok {
		if s.pinned[string(d.Algorithm)+":"+d.Hex] || s.otherConfiguration(n) {
			return nil
		}
		f.Message = s.stray
		s.res.Unresolved = append(s.res.Unresolved, f)
	} else if pin.LooksLikeDigest(str.s) && !s.otherConfiguration(n) {
		f.Message = pin.MsgLooksLike
		s.res.Invalid = append(s.res.Invalid, f)
	}
	return nil
}

// otherConfiguration reports a literal n that every run skipped, each in
// a branch (n itself, or one holding it) it decided not to take.
func (s *sweeper) otherConfiguration(n *syntax.Node) bool {
	if len(s.traces) == 0 {
		return false
	}
	for _, t := range s.traces {
		skipped := t.skipped[n]
		for _, p := range s.path {
			if skipped {
				break
			}
			skipped = t.skipped[p]
		}
		if !skipped {
			return false
		}
	}
	return true
}

// minDigestText is the shortest source text of a literal that may hold a
// digest without an algorithm prefix: an SRI sha256, 51 characters, and
// its quotes. A literal's value is never longer than its text.
const minDigestText = len("sha256-") + 44 + 2

// maybeDigest reports a plain string literal (no interpolation, no bytes
// prefix), whose value the sweep can read without a scope, that may be a
// digest or look like one: long enough, or starting like "sha...". Most
// literals (names, URLs, paths) are passed over without being decoded.
func maybeDigest(in *interp, n *syntax.Node) bool {
	if len(n.Kids) < 2 || n.End-n.Start < len(`"sha256:"`) {
		return false
	}
	open := n.Kids[0].Text(in.src)
	prefix := strings.ToLower(strings.TrimRight(open, `'"`))
	if strings.ContainsAny(prefix, "fb") {
		return false
	}
	if n.End-n.Start >= minDigestText {
		return true
	}
	if n.Start+len(open) >= len(in.src) {
		return false
	}
	switch in.src[n.Start+len(open)] {
	case 's', 'S', '\\':
		return true
	}
	return false
}
