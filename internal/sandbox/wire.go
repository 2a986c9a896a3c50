package sandbox

import (
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
)

// Bounds on what crosses the pipes. A request carries a manifest, itself
// capped by pin.Options.MaxFileBytes (2 MiB by default), in base64.
const (
	maxRequestBytes  = 64 << 20
	maxResponseBytes = 32 << 20
	maxStderrBytes   = 16 << 10
)

type request struct {
	File    string      `json:"file"`
	Src     []byte      `json:"src"`
	Options pin.Options `json:"options"`
}

type response struct {
	Result *pin.Result `json:"result,omitempty"`
	Error  *wireError  `json:"error,omitempty"`
}

// wireError carries manifest's error types across the pipe, so the parent
// returns the same types Extract does and errors.As keeps working.
type wireError struct {
	Kind   string `json:"kind"` // syntax, budget, too_large or other
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Msg    string `json:"msg"`
	Size   int    `json:"size,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

func encodeError(err error) *wireError {
	var se *pin.SyntaxError
	var be *pin.BudgetError
	var te *pin.TooLargeError
	switch {
	case errors.As(err, &se):
		return &wireError{Kind: "syntax", File: se.File, Line: se.Line, Column: se.Column, Msg: se.Msg}
	case errors.As(err, &be):
		// be.Err is a context's error; the child runs without one.
		return &wireError{Kind: "budget", File: be.File, Line: be.Line, Column: be.Column, Msg: be.Msg}
	case errors.As(err, &te):
		return &wireError{Kind: "too_large", File: te.File, Size: te.Size, Limit: te.Limit}
	default:
		return &wireError{Kind: "other", Msg: err.Error()}
	}
}

// otherError is an error of a type the wire does not know, by its message.
type otherError struct{ msg string }

func (e *otherError) Error() string { return e.msg }

func (w *wireError) decode() error {
	switch w.Kind {
	case "syntax":
		return &pin.SyntaxError{File: w.File, Line: w.Line, Column: w.Column, Msg: w.Msg}
	case "budget":
		return &pin.BudgetError{File: w.File, Line: w.Line, Column: w.Column, Msg: w.Msg}
	case "too_large":
		return &pin.TooLargeError{File: w.File, Size: w.Size, Limit: w.Limit}
	case "other":
		return &otherError{w.Msg}
	default:
		return fmt.Errorf("sandbox: unknown error kind %q in the child's response", w.Kind)
	}
}
