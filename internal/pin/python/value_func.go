package python

import "github.com/pindrift/pindrift/internal/pin/python/syntax"

// funcV is a def or a lambda.
type funcV struct {
	name     string
	params   []param
	body     *syntax.Node // block, or an expression for a lambda
	isLambda bool
	closure  *scope // defining scope (nil for module-level functions)
	// kind is "", "staticmethod", "classmethod" or "property".
	kind string
}

type param struct {
	name    string
	kind    int // paramPos, paramVarPos, paramKwOnly, paramVarKw
	def     value
	hasDef  bool
	posOnly bool
}

const (
	paramPos = iota
	paramVarPos
	paramKwOnly
	paramVarKw
)

// boundV is a method bound to its receiver.
type boundV struct {
	self value
	fn   value
}

// builtinV is a function implemented by the evaluator.
type builtinV struct {
	name string
	fn   func(in *interp, call *callArgs) (value, error)
}

// typeV is a builtin type such as str or dict: callable as a constructor,
// subscriptable in annotations.
type typeV struct {
	name string
	ctor *builtinV
}
