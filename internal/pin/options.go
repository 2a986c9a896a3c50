package pin

import (
	"fmt"
	"strings"
)

// Defaults for Options fields left zero.
const (
	DefaultMaxFileBytes = 2 << 20
	DefaultMaxSteps     = 2_000_000
	DefaultMaxDepth     = 64
	// DefaultMaxNodes bounds the nodes of a JSON, YAML or TOML document,
	// aliases expanded: what a file of DefaultMaxFileBytes holding
	// one-byte values can reach, so in practice it stops alias bombs.
	DefaultMaxNodes = 1 << 20
)

// DefaultMaxMemory is the default for Options.MaxMemory: about 550 times
// what the largest real Python manifest accounts, and small enough that a run
// refused by it stays well under 256 MiB of RSS.
const DefaultMaxMemory = 32 << 20

// DefaultSymbols are the module-level names walked for pins when the caller
// names none. AllSymbols in Options.Symbols means every module-level name.
var DefaultSymbols = []string{"BASE_KERNELS", "MANIFEST"}

// AllSymbols, as the only entry of Options.Symbols, asks for every
// module-level name.
const AllSymbols = "all"

// Platform is what the evaluated module sees of its host through
// platform.system(), platform.machine() and sys.platform.
type Platform struct {
	Name        string // the name given by the caller, e.g. "linux"
	System      string // platform.system()
	Machine     string // platform.machine()
	SysPlatform string // sys.platform
}

// DefaultPlatform is Linux on x86_64.
var DefaultPlatform = Platform{Name: "linux", System: "Linux", Machine: "x86_64", SysPlatform: "linux"}

// ParsePlatform turns "linux", "darwin" or "windows", optionally followed
// by "/MACHINE" (e.g. "darwin/arm64"), into a Platform.
func ParsePlatform(s string) (Platform, error) {
	name, machine, _ := strings.Cut(strings.TrimSpace(s), "/")
	var p Platform
	switch strings.ToLower(name) {
	case "linux":
		p = Platform{System: "Linux", Machine: "x86_64", SysPlatform: "linux"}
	case "darwin", "macos":
		p = Platform{System: "Darwin", Machine: "x86_64", SysPlatform: "darwin"}
	case "windows":
		p = Platform{System: "Windows", Machine: "AMD64", SysPlatform: "win32"}
	default:
		return Platform{}, fmt.Errorf("unknown platform %q (want linux, darwin or windows, optionally /MACHINE)", s)
	}
	if machine != "" {
		p.Machine = machine
	}
	p.Name = strings.ToLower(strings.TrimSpace(s))
	return p, nil
}

// Options tune Extract. The zero value asks for the default symbols on the
// default platform with an empty environment.
type Options struct {
	// Symbols are the module-level names to walk; nil means DefaultSymbols,
	// and []string{AllSymbols} means every module-level name. Python and
	// Starlark only: a JSON, YAML or TOML document is read whole.
	Symbols []string
	// Env is the process environment the module sees through os.environ.
	Env map[string]string
	// Platforms are evaluated in turn and their pins united; empty means
	// DefaultPlatform alone.
	Platforms []Platform
	// MaxFileBytes refuses larger files (0: DefaultMaxFileBytes).
	MaxFileBytes int
	// MaxSteps bounds evaluation work per platform (0: DefaultMaxSteps).
	// Parsing is charged to it too, 8 steps per token, so it also bounds
	// the size of the syntax tree: at the default, about 250 000 tokens.
	MaxSteps int
	// MaxDepth bounds the call depth of Python, and the nesting depth of
	// JSON, YAML and TOML documents (0: DefaultMaxDepth).
	MaxDepth int
	// MaxNodes bounds the nodes of a JSON, YAML or TOML document, YAML
	// aliases counted once per use (0: DefaultMaxNodes).
	MaxNodes int
	// MaxMemory bounds the bytes of values one platform's evaluation may
	// build, counted as they are allocated (0: DefaultMaxMemory). See the
	// cost model in cost.go.
	MaxMemory int64
	// Format names the file's format; empty means detect it from the
	// file name (pin/extract.Detect).
	Format Format
	// Fields extends DefaultFields with the keys that hold URLs and
	// digests in JSON, YAML and TOML records.
	Fields Fields
}
