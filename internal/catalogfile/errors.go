package catalogfile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Position is a place in a catalog file, both 1-based, as editors count them.
type Position struct {
	Line   int
	Column int
}

// Error is one mistake of a catalog file: where it is, which value (Field, a path such as
// "products[0].plans[1].currency", empty for the file as a whole) and what is wrong.
type Error struct {
	File string
	Position
	Field   string
	Message string
}

// Error formats the mistake the way compilers do, "file:line:column: field: message", so editors and
// terminals can jump to it.
func (e Error) Error() string {
	where := fmt.Sprintf("%s:%d:%d: ", e.File, e.Line, e.Column)
	if e.Field == "" {
		return where + e.Message
	}
	return where + e.Field + ": " + e.Message
}

// Errors is every mistake of one file, in file order. A file with any Errors is imported not at all.
type Errors []Error

// Error lists the mistakes one per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, err := range e {
		lines[i] = err.Error()
	}
	return strings.Join(lines, "\n")
}

// sorted returns the errors in file order; errors at one position keep the order they were found in.
func (e Errors) sorted() Errors {
	slices.SortStableFunc(e, func(a, b Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return e
}

// parentField strips the last segment of a field path: "plans[1].domains[0]" → "plans[1].domains" →
// "plans[1]" → "plans" → "". It is how a rule about a missing field finds the entity that lacks it.
func parentField(field string) string {
	cut := max(strings.LastIndexByte(field, '.'), strings.LastIndexByte(field, '['))
	if cut < 0 {
		return ""
	}
	return field[:cut]
}
