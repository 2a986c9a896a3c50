package manifest

import "errors"

// Extract evaluates the Python module src (named file in messages) and
// returns the pins reachable from the requested symbols.
func Extract(file string, src []byte, opts Options) (*Result, error) {
	return nil, errors.New("not implemented yet")
}
