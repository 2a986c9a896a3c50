package pin

import (
	"fmt"
	"strings"
)

// Format is the language a manifest is written in. Extraction picks it
// from the file name (pin/extract.Detect) unless Options.Format names it.
type Format string

// The formats pindrift reads.
const (
	Python Format = "python"
	// Starlark (Bazel's .bzl, BUILD, WORKSPACE, MODULE.bazel) is read by
	// the Python evaluator in its Starlark mode: its syntax is a subset of
	// Python's, and calls to rules (http_archive(...)) are records.
	Starlark Format = "starlark"
	JSON     Format = "json"
	YAML     Format = "yaml"
	TOML     Format = "toml"
)

// Formats lists the formats ParseFormat accepts, in the order messages
// name them.
var Formats = []Format{Python, Starlark, JSON, YAML, TOML}

// ParseFormat turns the value of --format or a config file's format: key
// ("json", "YAML", "yml", "py", ...) into a Format.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "python", "py":
		return Python, nil
	case "starlark", "bzl", "bazel":
		return Starlark, nil
	case "json":
		return JSON, nil
	case "yaml", "yml":
		return YAML, nil
	case "toml":
		return TOML, nil
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q (want one of %s)", s, strings.Join(names, ", "))
}
