package discover

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/repoconfig"
)

// configHeader opens the configuration Config writes.
const configHeader = `# pindrift configuration written by discovery: each file listed pairs
# digests with URLs. Review the list, remove what is not yours to keep,
# and commit it as ` + repoconfig.Path + `.
`

// Config is the .github/pindrift.yml that lists r's files: symbols: only
// when the defaults would miss pins, format: only when the path does not
// tell it. It is nil when r found no file, since a configuration must
// list one. repoconfig.Parse reads it back to the same manifests.
func (r *Result) Config() []byte {
	if len(r.Files) == 0 {
		return nil
	}
	var b bytes.Buffer
	b.WriteString(configHeader)
	b.WriteString("manifests:\n")
	for _, f := range r.Files {
		fmt.Fprintf(&b, "  - path: %s\n", yamlString(f.Path))
		if len(f.Symbols) > 0 {
			quoted := make([]string, len(f.Symbols))
			for i, s := range f.Symbols {
				quoted[i] = yamlString(s)
			}
			fmt.Fprintf(&b, "    symbols: [%s]\n", strings.Join(quoted, ", "))
		}
		if told, err := extract.Detect(f.Path); err != nil || told != f.Format {
			fmt.Fprintf(&b, "    format: %s\n", yamlString(string(f.Format)))
		}
	}
	return b.Bytes()
}

// plainYAML is a string YAML reads as itself without quotes; words YAML
// 1.1 reads as booleans or null are quoted, whichever YAML reads the file.
var (
	plainYAML    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_./-]*$`)
	reservedYAML = map[string]bool{"true": true, "false": true, "yes": true, "no": true, "on": true,
		"off": true, "y": true, "n": true, "null": true}
)

// yamlString writes s as a YAML scalar: plain when that is safe, else
// double-quoted with every character that is not printable (a bidi
// override that would make a path read as another) escaped, so the file
// shows exactly what it names.
func yamlString(s string) string {
	if plainYAML.MatchString(s) && !reservedYAML[strings.ToLower(s)] {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == utf8.RuneError:
			// Invalid UTF-8 cannot be written in YAML; configurablePath
			// keeps such paths out, so this is a replacement character.
			b.WriteString(`\uFFFD`)
		case strconv.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\U%08X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
