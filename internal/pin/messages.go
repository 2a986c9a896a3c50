package pin

import (
	"fmt"
	"strings"
)

// Messages of the findings every record-reading format reports (pin/record
// for JSON, YAML and TOML; pin/python for Starlark calls), one home each
// so that the formats, their tests and callers agree.
const (
	MsgNoURL     = "digest with no URL in its record"
	MsgInvalid   = "not a valid digest: want 64, 96 or 128 hex digits (sha256, sha384, sha512), optionally prefixed sha256:, or an SRI sha256-<base64>"
	MsgLooksLike = "looks like a digest but is not a valid one"
	// MsgUnreached is a Python module's digest literal that no symbol
	// read and no call run pairs with a URL: a table entry nothing looks
	// up, a class attribute that is not a field. Python code has no
	// record around a literal to speak of, so MsgNoURL would not say why.
	MsgUnreached = "digest that no pin uses: nothing the module runs pairs it with a URL"
)

// ParameterReason is why a value in a def the file never calls is unknown:
// it is the def's parameter param. Findings that carry it are counted
// apart (DependsOnParameter): the def's callers, elsewhere, supply it.
func ParameterReason(param, def string) string {
	return fmt.Sprintf("depends on parameter `%s` of def %s", param, def)
}

// DependsOnParameter reports a finding about a value that depends on a
// parameter of a def the file never calls (see ParameterReason).
func DependsOnParameter(f Finding) bool {
	return strings.Contains(f.Message, "depends on parameter `")
}

// weakAlgorithms are prefixes of digests pindrift does not verify, which
// deserve a better word than "not a valid digest".
var weakAlgorithms = []string{"md5", "sha1", "sha224"}

// InvalidDigestMessage says why s, under a digest key, is not a digest.
func InvalidDigestMessage(s string) string {
	for _, a := range weakAlgorithms {
		if len(s) > len(a) && strings.EqualFold(s[:len(a)], a) && (s[len(a)] == ':' || s[len(a)] == '-') {
			return fmt.Sprintf("%s digests are not verified: pindrift checks sha256, sha384 and sha512", a)
		}
	}
	return MsgInvalid
}

// PlaceholderMessage says why a templated URL (at line) has no value:
// the placeholders its record does not fill, or braces that do not pair.
func PlaceholderMessage(url string, missing []string, line int) string {
	if len(missing) == 0 {
		return fmt.Sprintf("URL template %q has unbalanced braces (URL at line %d)", url, line)
	}
	names := make([]string, len(missing))
	for i, m := range missing {
		names[i] = "{" + m + "}"
	}
	word := "placeholder"
	if len(missing) > 1 {
		word = "placeholders"
	}
	return fmt.Sprintf("URL %s %s has no value in its record (URL at line %d)", word, strings.Join(names, ", "), line)
}
