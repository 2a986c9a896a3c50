package syntax

//go:generate go run gen.go

// Kind is the kind of a syntax node: one constant per named node kind of
// the grammar (kinds_gen.go), and Token for every anonymous token the tree
// keeps (an operator, a slice's colon).
type Kind uint16

// Token is the kind of the anonymous tokens kept in the tree: those that
// carry meaning by their text or position. Their Node.Token holds the text.
const Token Kind = 0

// String returns the grammar's name of the kind, such as "for_statement".
func (k Kind) String() string { return nameOf(kindNames[:], k) }

// Field names the role of a child in its parent (FieldLeft, FieldBody, ...).
type Field uint8

// NoField marks a child that has no field name.
const NoField Field = 0

// String returns the grammar's name of the field, "" for NoField.
func (f Field) String() string { return nameOf(fieldNames[:], f) }

func nameOf[T Kind | Field](names []string, i T) string {
	if int(i) < len(names) {
		return names[i]
	}
	return "unknown"
}

// IsSimpleStatement reports the statements that end at the end of their
// line.
func (k Kind) IsSimpleStatement() bool {
	switch k {
	case ExpressionStatement, ReturnStatement, DeleteStatement, RaiseStatement,
		PassStatement, BreakStatement, ContinueStatement, GlobalStatement,
		NonlocalStatement, ImportStatement, ImportFromStatement,
		FutureImportStatement, AssertStatement, PrintStatement, ExecStatement,
		TypeAliasStatement:
		return true
	}
	return false
}
