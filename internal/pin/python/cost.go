package python

import (
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// The cost model. Every operation charges the step budget in proportion to
// the work it does, the way starlark-go counts its steps: evaluating a
// syntax node is one step, and work inside one node (bytes copied, scanned
// or formatted, elements touched or compared, values walked, arguments
// unpacked) costs one step per unitsPerStep units. Parsing is charged too,
// before the parser runs, at parseStepsPerToken steps per token.
//
// Memory is bounded over the whole run, not only per value: every value
// built in proportion to its size (a string's bytes, a container's
// elements, the characters a string is split into) adds its size in bytes
// to an allocation count that is never decreased. That count is an upper
// bound of the memory the run's values hold at any moment (garbage is
// counted as if it were live), and a value that would take it past
// MaxMemory is refused before it is built.
// Small fixed-size values (one int, one record) are not counted: each
// costs at least a step, so the step budget bounds them. The real
// manifests pindrift was tested on take at most 20 000 steps and 60 KB.
//
// Both budgets count work, never time, so the same input fails the same
// way on every machine.
const (
	// unitsPerStep units of work inside one node cost one step.
	unitsPerStep = 16
	// elemBytes is what one container slot is accounted as: an interface
	// value.
	elemBytes = 16
	// objBytes is what a value built per element (each character of an
	// iterated string, each pair of dict.items()) is accounted as.
	objBytes = 64
	// parseStepsPerToken is charged for each token of the source. A token
	// becomes about two syntax nodes, which take about 600 bytes in the
	// parser and in the copy the evaluator walks.
	parseStepsPerToken = 8
	// visitUnits is the work of visiting one value in a deep operation
	// (==, <, repr): a call and a type switch, more than a byte copied.
	visitUnits = 4
	// maxRecursion bounds the nesting an operation on values follows
	// (==, <, repr, str, isinstance), as CPython's recursion limit does:
	// past it the operation raises RecursionError. (Hashing needs no
	// bound: tuples are hashed bottom-up, without recursion.)
	maxRecursion = 1000
)

// work charges units of work done inside the node n.
func (in *interp) work(n *syntax.Node, units int64) error {
	if units <= 0 {
		return nil
	}
	in.units += units
	if in.units < unitsPerStep {
		return nil
	}
	add := in.units / unitsPerStep
	in.units %= unitsPerStep
	// The count never passes the budget by more than one step, whatever
	// was asked for: the work that would pass it is refused, not done.
	in.steps = int(min(int64(in.steps)+add, int64(in.maxSteps)+1))
	return in.checkSteps(n)
}

// checkSteps reports an exhausted step budget, and polls the context
// every ctxPollSteps steps.
func (in *interp) checkSteps(n *syntax.Node) error {
	if in.steps >= in.nextPoll {
		in.nextPoll = in.steps + ctxPollSteps
		if in.ctx != nil && in.ctx.Err() != nil {
			return &budgetError{BudgetError: &pin.BudgetError{File: in.file, Line: n.Line, Column: n.Col, Err: in.ctx.Err(),
				Msg: fmt.Sprintf("evaluation stopped here: %v", in.ctx.Err())}, attributed: true}
		}
	}
	if in.steps > in.maxSteps {
		return &budgetError{BudgetError: &pin.BudgetError{File: in.file, Line: n.Line, Column: n.Col,
			Msg: fmt.Sprintf("evaluation exceeded its budget of %d steps here", in.maxSteps)}}
	}
	return nil
}

// alloc accounts bytes of values built at n against the run's memory
// budget. The error stays at n's line: that is where the memory goes.
func (in *interp) alloc(n *syntax.Node, bytes int64) error {
	if bytes <= 0 {
		return nil
	}
	if in.maxMem > 0 && in.mem+bytes > in.maxMem {
		// Refused before it is built: the count stays within the budget.
		return &budgetError{BudgetError: &pin.BudgetError{File: in.file, Line: n.Line, Column: n.Col,
			Msg: fmt.Sprintf("evaluation exceeded its memory budget of %d bytes here (values built so far take %d bytes, and this one %d more)", in.maxMem, in.mem, bytes)}, attributed: true}
	}
	in.mem += bytes
	return nil
}

// chargeSeq accounts a container of elems elements being built at n.
func (in *interp) chargeSeq(n *syntax.Node, elems int64) error {
	if err := in.checkSize(n, elems); err != nil {
		return err
	}
	if err := in.work(n, elems); err != nil {
		return err
	}
	return in.alloc(n, elems*elemBytes)
}

// chargeStr accounts a string of size bytes being built at n.
func (in *interp) chargeStr(n *syntax.Node, size int64) error {
	if err := in.checkSize(n, size); err != nil {
		return err
	}
	if err := in.work(n, size); err != nil {
		return err
	}
	return in.alloc(n, size)
}

// charge accounts a value of size elements or bytes being built at n, so
// that "x" * 10**9 or range(10**12) ends with a budget error rather than
// exhausting memory.
func (in *interp) charge(n *syntax.Node, size int64) error { return in.chargeSeq(n, size) }

// checkSize enforces the cap on one value.
func (in *interp) checkSize(n *syntax.Node, size int64) error {
	if size > maxValueSize {
		return &budgetError{BudgetError: &pin.BudgetError{File: in.file, Line: n.Line, Column: n.Col,
			Msg: fmt.Sprintf("a value of %d elements or bytes is larger than the %d allowed", size, maxValueSize)}, attributed: true}
	}
	return nil
}

// sizeOf is the work of scanning v once: a string's bytes, a container's
// elements.
func sizeOf(v value) int64 {
	switch x := v.(type) {
	case *strV:
		return int64(len(x.s))
	case *listV:
		return int64(len(x.items))
	case *tupleV:
		return int64(len(x.items))
	case *dictV:
		return int64(len(x.keys))
	case *setV:
		return int64(len(x.d.keys))
	case *rangeV:
		return min(x.length(), maxValueSize+1)
	}
	return 1
}

// parseCost charges the tokens of src before the parser runs, so that a
// file of half a million one-token statements is refused before it
// takes a gigabyte of syntax tree. It returns the steps charged, or a
// BudgetError naming the line where the budget ran out.
func parseCost(file string, src []byte, maxSteps int) (int, error) {
	steps, line := 0, 1
	limit := maxSteps
	tokens := 0
	over := func() error {
		return &pin.BudgetError{File: file, Line: line, Column: 1,
			Msg: fmt.Sprintf("the file has too many tokens to parse within the evaluation budget of %d steps (%d steps per token; the budget ran out here, after %d tokens)",
				maxSteps, parseStepsPerToken, tokens)}
	}
	count := func() bool {
		tokens++
		steps += parseStepsPerToken
		return steps > limit
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\\':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			if count() {
				return steps, over()
			}
		case c == '\'' || c == '"':
			// A string is a few nodes, plus the interpolations of an
			// f-string, counted by their braces.
			q := c
			triple := i+2 < len(src) && src[i+1] == q && src[i+2] == q
			i++
			if triple {
				i += 2
			}
			for i < len(src) {
				switch src[i] {
				case '\\':
					if i+1 < len(src) && src[i+1] == '\n' {
						line++
					}
					i++
				case '\n':
					line++
					if !triple {
						goto closed // unterminated: the parser reports it
					}
				case '{':
					if count() {
						return steps, over()
					}
				case q:
					if !triple {
						goto closed
					}
					if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
						i += 2
						goto closed
					}
				}
				i++
			}
		closed:
			i++
			for k := 0; k < 3; k++ {
				if count() {
					return steps, over()
				}
			}
		case isIdentByte(c) || c >= 0x80:
			for i < len(src) && (isIdentByte(src[i]) || src[i] >= 0x80 || src[i] == '.' && c >= '0' && c <= '9') {
				i++
			}
			if count() {
				return steps, over()
			}
		default:
			i++
			if count() {
				return steps, over()
			}
		}
	}
	return steps, nil
}

// keyUnits is the work of hashing k as a dict key: a string's bytes (a
// tuple's hash is computed once and kept).
func keyUnits(k value) int64 {
	if s, ok := k.(*strV); ok {
		return int64(len(s.s))
	}
	return 1
}

// dictEntryBytes is what one dict entry or set member is accounted as:
// its key, identity, value and span.
const dictEntryBytes = 112

// chargeDict accounts a dict or set of entries entries being built at n.
func (in *interp) chargeDict(n *syntax.Node, entries int64) error {
	if err := in.checkSize(n, entries); err != nil {
		return err
	}
	if err := in.work(n, entries); err != nil {
		return err
	}
	return in.alloc(n, entries*dictEntryBytes)
}

// setEntry charges storing key in d: hashing the key, and a new entry if
// the key is not there yet.
func (in *interp) setEntry(n *syntax.Node, d *dictV, key value) error {
	if err := in.work(n, keyUnits(key)); err != nil {
		return err
	}
	if _, found, _ := d.get(key); found {
		return nil
	}
	if err := in.checkSize(n, int64(len(d.keys)+1)); err != nil {
		return err
	}
	return in.alloc(n, dictEntryBytes)
}

// grow charges one element added to a container that now holds size.
func (in *interp) grow(n *syntax.Node, size int) error {
	if err := in.checkSize(n, int64(size)); err != nil {
		return err
	}
	if err := in.work(n, 1); err != nil {
		return err
	}
	return in.alloc(n, elemBytes)
}

// argUnits is the work a builtin does reading its arguments once: the
// bytes of strings (int(), ord(), os.path.*, every str method) and the
// elements of tuples (isinstance, startswith). Builtins that build or
// iterate charge that on top.
func argUnits(a *callArgs) int64 {
	units := int64(0)
	add := func(v value) {
		switch x := v.(type) {
		case *strV:
			units += int64(len(x.s))
		case *tupleV:
			units += int64(len(x.items))
		}
	}
	for _, v := range a.pos {
		add(v)
	}
	for _, v := range a.kwVals {
		add(v)
	}
	return units
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
