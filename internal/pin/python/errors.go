package python

import (
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// pyError is a Python exception raised during evaluation (KeyError,
// TypeError, an explicit raise). It unwinds like one: a try statement may
// catch it; at module level it makes the statement's targets unknown.
type pyError struct {
	typ  string
	msg  string
	line int
	col  int
}

func (e *pyError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.line, e.typ, e.msg)
	}
	return e.typ + ": " + e.msg
}

func pyErrf(typ, format string, args ...any) *pyError {
	return &pyError{typ: typ, msg: fmt.Sprintf(format, args...)}
}

// opaqueFlow unwinds evaluation when control flow depends on an unknown
// value (if unknown: ...). A function call it escapes from returns an
// opaque value; a module-level statement it escapes from makes its targets
// unknown.
type opaqueFlow struct{ o *opaqueV }

func (e *opaqueFlow) Error() string { return e.o.reason }

// budgetError wraps the fatal BudgetError so it passes through every
// handler untouched.
type budgetError struct {
	*pin.BudgetError
	// attributed marks an error already moved to the enclosing loop, or
	// that stays where it happened.
	attributed bool
	// inLoop marks an error that names its innermost loop.
	inLoop bool
}

// at gives a pyError a position if it has none.
func at(err error, n *syntax.Node) error {
	var pe *pyError
	if errors.As(err, &pe) && pe.line == 0 {
		pe.line, pe.col = n.Line, n.Col
	}
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// opaqueBecause explains that what depends on v is unknown because v is.
func opaqueBecause(n *syntax.Node, v value, what string) *opaqueV {
	o, _ := v.(*opaqueV)
	reason := what + " is unknown"
	if o != nil {
		reason = fmt.Sprintf("%s depends on an unknown value (%s)", what, o.reason)
	}
	return &opaqueV{reason: reason, line: n.Line, col: n.Col}
}
