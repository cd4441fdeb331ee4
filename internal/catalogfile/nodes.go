package catalogfile

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"github.com/goccy/go-yaml/ast"
)

// position is where a node starts. A block mapping's own token is its first ':', so a mapping is placed
// at its first key instead: that is where a reader sees the entity begin.
func position(node ast.Node) Position {
	if values, ok := mappingValues(node); ok && len(values) > 0 {
		node = values[0].Key
	}
	token := node.GetToken()
	if token == nil || token.Position == nil {
		return Position{Line: 1, Column: 1}
	}
	return Position{Line: token.Position.Line, Column: token.Position.Column}
}

// mappingValues returns the key/value pairs of a mapping node. The parser gives a one-pair mapping as a
// bare MappingValueNode, so both shapes are mappings here.
func mappingValues(node ast.Node) ([]*ast.MappingValueNode, bool) {
	switch n := node.(type) {
	case *ast.MappingNode:
		return n.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}, true
	}
	return nil, false
}

func keyName(key ast.MapKeyNode) string {
	if s, ok := key.(*ast.StringNode); ok {
		return s.Value
	}
	return key.String()
}

// describe names what a node holds, for "want X, got Y" messages.
func describe(node ast.Node) string {
	switch n := node.(type) {
	case *ast.StringNode:
		return "the string " + quoted(n.Value)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.IntegerNode:
		return "the integer " + n.GetToken().Value
	case *ast.FloatNode:
		return "the number " + n.GetToken().Value
	case *ast.InfinityNode, *ast.NanNode:
		return "the number " + n.GetToken().Value
	case *ast.BoolNode:
		return fmt.Sprintf("%t", n.Value)
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	}
	return "a " + node.Type().String()
}

// quotedLimit is how many characters of a value a message quotes; the rest is elided, so one mistake
// stays one line whatever the file holds.
const quotedLimit = 64

// quoted quotes s for a message, cut to its first quotedLimit characters.
func quoted(s string) string {
	count := 0
	for i := range s {
		if count == quotedLimit {
			return strconv.Quote(s[:i]) + "…"
		}
		count++
	}
	return strconv.Quote(s)
}

// suggestion proposes the known field closest to a misspelt one, when one is close enough to be meant.
func suggestion(name string, fields map[string]reflect.Value) string {
	best, bestDistance := "", 3
	names := make([]string, 0, len(fields))
	for known := range fields {
		names = append(names, known)
	}
	slices.Sort(names) // a tie always suggests the same field
	for _, known := range names {
		// The distance is at least the difference in length: skip the quadratic comparison when that is
		// already too far (an unknown key of a megabyte must not cost seconds).
		if abs(len(name)-len(known)) >= bestDistance {
			continue
		}
		if d := editDistance(name, known); d < bestDistance {
			best, bestDistance = known, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	previous := make([]int, len(b)+1)
	for j := range previous {
		previous[j] = j
	}
	for i := 1; i <= len(a); i++ {
		current := make([]int, len(b)+1)
		current[0] = i
		for j := 1; j <= len(b); j++ {
			substitution := previous[j-1]
			if a[i-1] != b[j-1] {
				substitution++
			}
			current[j] = min(previous[j]+1, current[j-1]+1, substitution)
		}
		previous = current
	}
	return previous[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
