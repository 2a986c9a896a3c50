package repoconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	yamlv3 "go.yaml.in/yaml/v3"
)

// Bounds on the shape of a repository configuration, checked before it is
// decoded. A real .github/pindrift.yml is a few levels deep and a few
// hundred nodes; these are far above that and far below what hurts.
const (
	MaxDepth = 32
	MaxNodes = 5_000
)

// checkShape refuses a document nested deeper than maxDepth, or holding
// more than maxNodes nodes once every alias is expanded (a
// "billion laughs" file is a few lines of aliases of aliases), before the
// decoder sees it: goccy/go-yaml takes time and memory quadratic in the
// nesting of flow collections, and expands aliases as it decodes.
//
// The pre-scan uses go.yaml.in/yaml/v3, whose parser is linear, stops by
// itself at 10,000 levels, and builds aliases as references, so the
// expanded size is computed without expanding anything.
//
// Every document is checked, since the decoder parses them all before it
// refuses a second one.
func checkShape(data []byte, maxDepth, maxNodes int) *Problem {
	s := shape{maxDepth: maxDepth, maxNodes: maxNodes, sizes: map[*yamlv3.Node]int{}}
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	for s.problem == nil {
		var doc yamlv3.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if line, ok := depthError(err); ok {
				if line == 0 {
					line = flowDepthLine(data, maxDepth)
				}
				return &Problem{Line: line, Message: fmt.Sprintf("is nested more than %d levels deep", maxDepth)}
			}
			// A syntax error, which the decoder reports with its column.
			return nil
		}
		s.size(&doc, 0)
	}
	return s.problem
}

// depthErrorText is how yaml.v3 reports its own nesting limit: "yaml:
// exceeded max depth of 10000", with "line N: " after "yaml: " when it
// knows the line.
var depthErrorText = regexp.MustCompile(`^yaml: (?:line (\d+): )?exceeded max depth`)

// depthError reports whether err is yaml.v3's nesting limit, and its line
// (0 when not given).
func depthError(err error) (int, bool) {
	m := depthErrorText.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, false
	}
	line, _ := strconv.Atoi(m[1])
	return line, true
}

// flowDepthLine finds the line where brackets and braces first nest
// deeper than limit, for the message only: it does not tell quoted text
// apart, so it may point early; 0 when it finds none.
func flowDepthLine(data []byte, limit int) int {
	line, depth := 1, 0
	for _, c := range data {
		switch c {
		case '\n':
			line++
		case '[', '{':
			if depth++; depth > limit {
				return line
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return 0
}

type shape struct {
	maxDepth, maxNodes int
	total              int
	sizes              map[*yamlv3.Node]int // expanded size of each anchored node
	problem            *Problem
}

// size returns the number of nodes n stands for with aliases expanded,
// and adds it to the total; it stops at the first problem.
func (s *shape) size(n *yamlv3.Node, depth int) int {
	if s.problem != nil || n == nil {
		return 0
	}
	if depth > s.maxDepth {
		s.problem = &Problem{Line: n.Line, Column: n.Column,
			Message: fmt.Sprintf("is nested more than %d levels deep", s.maxDepth)}
		return 0
	}
	if n.Kind == yamlv3.AliasNode {
		// The anchor is defined earlier in the document, so its size is
		// known; an alias of an alias costs what the chain expands to.
		k, ok := s.sizes[n.Alias]
		if !ok {
			k = 1
		}
		return s.add(n, k)
	}
	k := 1
	for _, c := range n.Content {
		k += s.size(c, depth+1)
		if s.problem != nil {
			return 0
		}
	}
	s.add(n, 1)
	if n.Anchor != "" {
		s.sizes[n] = k
	}
	return k
}

func (s *shape) add(n *yamlv3.Node, k int) int {
	s.total += k
	if s.total > s.maxNodes && s.problem == nil {
		msg := fmt.Sprintf("holds more than %d values", s.maxNodes)
		if n.Kind == yamlv3.AliasNode {
			msg = fmt.Sprintf("holds more than %d values once its aliases are expanded (this alias of &%s stands for %d)",
				s.maxNodes, n.Value, k)
		}
		s.problem = &Problem{Line: n.Line, Column: n.Column, Message: msg}
	}
	return k
}
