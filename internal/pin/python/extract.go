package python

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// Extract evaluates the Python module src (named file in messages) and
// returns the pins reachable from the requested symbols, united over the
// requested platforms. It returns *SyntaxError, *TooLargeError or
// *BudgetError for unusable input; pins that cannot be known are reported
// in the result, not as errors. The evaluation stops with ctx's error
// once ctx is done.
func Extract(ctx context.Context, file string, src []byte, opts pin.Options) (*pin.Result, error) {
	limit := opts.MaxFileBytes
	if limit <= 0 {
		limit = pin.DefaultMaxFileBytes
	}
	if len(src) > limit {
		// A caller that read at most limit+1 bytes knows the file is too
		// large, not its size: src's length would be a made-up number.
		size := len(src)
		if size == limit+1 {
			size = -1
		}
		return nil, &pin.TooLargeError{File: file, Size: size, Limit: limit}
	}
	src, err := checkEncoding(file, src)
	if err != nil {
		return nil, err
	}
	parseSteps, err := parseCost(file, src, orDefault(opts.MaxSteps, pin.DefaultMaxSteps))
	if err != nil {
		return nil, err
	}
	mod, err := parseModule(file, src)
	if err != nil {
		return nil, err
	}
	platforms := opts.Platforms
	if len(platforms) == 0 {
		platforms = []pin.Platform{pin.DefaultPlatform}
	}
	res := &pin.Result{File: file, Pins: []pin.Pin{}, Unresolved: []pin.Finding{}, Invalid: []pin.Finding{}}
	var traces []trace
	var last *interp
	for _, p := range platforms {
		one, in, err := extractOne(ctx, file, src, mod, opts, p, parseSteps)
		if err != nil {
			return nil, err
		}
		merge(res, one)
		traces = append(traces, trace{used: in.star.used, skipped: in.br.skippedOnly()})
		last = in
	}
	stray := UnreachedMessage(opts)
	if opts.Format == pin.Starlark {
		stray = pin.MsgNoURL
	}
	if err := last.sweep(mod, res, traces, stray); err != nil {
		return nil, err
	}
	res.CapFindings(pin.MaxFindings)
	return res, nil
}

func extractOne(ctx context.Context, file string, src []byte, mod *syntax.Node, opts pin.Options, p pin.Platform, parseSteps int) (res *pin.Result, run *interp, err error) {
	in := &interp{
		// Each platform's run pays for the parse it starts from.
		steps:    parseSteps,
		maxMem:   opts.MaxMemory,
		ctx:      ctx,
		file:     file,
		src:      src,
		platform: p,
		maxSteps: orDefault(opts.MaxSteps, pin.DefaultMaxSteps),
		maxDepth: orDefault(opts.MaxDepth, pin.DefaultMaxDepth),
		globals:  newScope(nil),
		builtins: newBuiltins(),
		modules:  newModules(opts.Env, p),
	}
	if in.maxMem <= 0 {
		in.maxMem = pin.DefaultMaxMemory
	}
	if testHookRunStats != nil {
		defer func() { testHookRunStats(in.steps, in.mem) }()
	}
	name := p.Name
	if name == "" {
		name = strings.ToLower(p.System)
	}
	in.star = newStarlark(in, opts, name)
	in.star.full = opts.Format == pin.Starlark
	if err := in.execModule(mod); err != nil {
		return nil, nil, err
	}
	res = &pin.Result{File: file}
	w := &walker{in: in, platform: name, onPath: map[any]bool{}, res: res}
	syms := in.symbols(opts.Symbols, res)
	for _, sym := range syms {
		v := in.globals.vars[sym]
		if err := w.walk(v, sym, sym, 0); err != nil {
			return nil, nil, err
		}
	}
	// The symbols are walked as the module leaves them, as CPython would
	// import it; then the defs it never calls are read for their records
	// (what they assign or change is not walked).
	cut, err := in.runUncalledDefs(mod)
	if err != nil {
		return nil, nil, err
	}
	records := len(in.star.w.res.Pins) + len(in.star.w.res.Unresolved) + len(in.star.w.res.Invalid)
	if (in.star.full || records > 0) && opts.Symbols == nil {
		// A Bazel file, or a build script whose calls are records, pins
		// through calls, not through MANIFEST: the default symbols are
		// walked when defined, and their absence is no finding.
		res.Unresolved = slices.DeleteFunc(res.Unresolved, func(f pin.Finding) bool { return f.Line == 0 && f.Symbol == "" })
	}
	res.Pins = append(res.Pins, in.star.w.res.Pins...)
	res.Unresolved = append(res.Unresolved, in.star.w.res.Unresolved...)
	res.Invalid = append(res.Invalid, in.star.w.res.Invalid...)
	if cut != nil {
		// The defs not read to the end are left to the sweep.
		res.Unresolved = append(res.Unresolved, *cut)
	}
	return res, in, nil
}

// testHookRunStats, when set by a test, receives the steps and accounted
// bytes of each platform's run.
var testHookRunStats func(steps int, bytes int64)

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// symbols resolves the requested names to walk, reporting requested names
// the module does not define.
func (in *interp) symbols(requested []string, res *pin.Result) []string {
	if len(requested) == 1 && requested[0] == pin.AllSymbols {
		var out []string
		for _, name := range in.defined {
			switch in.globals.vars[name].(type) {
			case *funcV, *classV, *moduleV, *builtinV, *typeV:
				continue
			}
			out = append(out, name)
		}
		return out
	}
	defaults := requested == nil
	if defaults {
		requested = pin.DefaultSymbols
	}
	var out []string
	for _, name := range requested {
		if _, ok := in.globals.vars[name]; ok {
			out = append(out, name)
		} else if !defaults {
			res.Unresolved = append(res.Unresolved, pin.Finding{Symbol: name,
				Message: fmt.Sprintf("%s is not defined at module level, so its pins cannot be found", name)})
		}
	}
	if defaults && len(out) == 0 {
		res.Unresolved = append(res.Unresolved, pin.Finding{
			Message: fmt.Sprintf("none of %s is defined at module level; name the symbols that hold pins",
				strings.Join(pin.DefaultSymbols, ", "))})
	}
	return out
}

// merge adds one platform's findings to res, uniting pins found under
// several platforms.
func merge(res, one *pin.Result) {
	type pinKey struct {
		url, sha, sym, path string
		start               int
	}
	index := map[pinKey]int{}
	for i, p := range res.Pins {
		index[pinKey{p.URL, p.SHA256, p.Symbol, p.Path, p.SHASpan.Start}] = i
	}
	for _, p := range one.Pins {
		k := pinKey{p.URL, p.SHA256, p.Symbol, p.Path, p.SHASpan.Start}
		if i, ok := index[k]; ok {
			for _, pl := range p.Platforms {
				if !slices.Contains(res.Pins[i].Platforms, pl) {
					res.Pins[i].Platforms = append(res.Pins[i].Platforms, pl)
				}
			}
			continue
		}
		index[k] = len(res.Pins)
		res.Pins = append(res.Pins, p)
	}
	res.Unresolved = mergeFindings(res.Unresolved, one.Unresolved)
	res.Invalid = mergeFindings(res.Invalid, one.Invalid)
}

func mergeFindings(have, more []pin.Finding) []pin.Finding {
	for _, f := range more {
		if !slices.ContainsFunc(have, func(h pin.Finding) bool {
			return h.Line == f.Line && h.Column == f.Column && h.Message == f.Message && h.Path == f.Path
		}) {
			have = append(have, f)
		}
	}
	return have
}

// UnreachedMessage is the finding of a Python module's digest literal
// that no pin uses (pin.MsgUnreached). Unless every module-level name is
// read, it says which were and how to read all: the likeliest reason is a
// table under a name nobody asked for.
func UnreachedMessage(opts pin.Options) string {
	names := opts.Symbols
	if names == nil {
		names = pin.DefaultSymbols
	}
	if len(names) == 1 && names[0] == pin.AllSymbols {
		return pin.MsgUnreached
	}
	verb := "are"
	if len(names) == 1 {
		verb = "is"
	}
	return fmt.Sprintf("%s (only %s %s read; symbols: [all], or --symbols all, reads every module-level name)",
		pin.MsgUnreached, strings.Join(names, ", "), verb)
}
