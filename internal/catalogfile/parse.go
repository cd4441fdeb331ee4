// Package catalogfile reads the catalog file of `pelcro catalog import` (YAML, or JSON, which is YAML)
// into a catalog.Catalog, and reports every mistake of the file at once with its line and column: syntax,
// unknown fields, wrong types, and every rule of catalog.Catalog.Problems (value rules, duplicate ids,
// broken references). The format is described in docs/catalog-file.md, its fields in docs/catalog-fields.md.
package catalogfile

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// ParseFile reads and parses the catalog file at path; see Parse.
func ParseFile(path string) (catalog.Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return catalog.Catalog{}, fmt.Errorf("catalogfile: %w", err)
	}
	return Parse(path, data)
}

// Parse parses a catalog file; name is only used in messages. It returns the catalog, or an Errors
// listing every mistake in file order (then the catalog is partial and must not be imported). Its time is
// linear in the size of data: a file nested too deep or with a too large mapping (see measureShape) is
// refused before the YAML parser, whose time grows with their square, sees it.
func Parse(name string, data []byte) (catalog.Catalog, error) {
	var c catalog.Catalog
	d := &decoder{file: name, positions: map[string]Position{"": {Line: 1, Column: 1}}, unreadable: map[string]bool{}}
	tokens := lexer.Tokenize(string(data))
	if shape := measureShape(tokens); shape.refusal != "" {
		at := shape.where.Position
		return c, Errors{{File: name, Position: Position{Line: at.Line, Column: at.Column}, Message: shape.refusal}}
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		return c, Errors{syntaxError(name, err)}
	}
	docs := file.Docs
	switch {
	case len(docs) == 0 || docs[0].Body == nil:
		return c, Errors{{File: name, Position: Position{Line: 1, Column: 1}, Message: "the file holds no catalog"}}
	case len(docs) > 1:
		return c, Errors{{File: name, Position: position(docs[1].Body),
			Message: "the file holds more than one YAML document; put the whole catalog in one"}}
	}
	d.decode(docs[0].Body, reflect.ValueOf(&c).Elem(), "")
	for _, problem := range c.Problems() {
		if d.readable(problem.Field) { // a value that could not be read is reported once, not again as missing
			d.errors = append(d.errors, d.problemError(problem))
		}
	}
	if len(d.errors) > 0 {
		return c, d.errors.sorted()
	}
	return c, nil
}

// problemError places a broken rule at its field's value or, for a value the file left out, at the
// nearest enclosing entity.
func (d *decoder) problemError(problem catalog.Problem) Error {
	field := problem.Field
	pos, found := d.positions[field]
	for !found {
		field = parentField(field)
		pos, found = d.positions[field]
	}
	return Error{File: d.file, Position: pos, Field: problem.Field, Message: problem.Message}
}

// syntaxError turns the parser's error (which carries a token) into a positioned Error.
func syntaxError(name string, err error) Error {
	var yamlErr yaml.Error
	if errors.As(err, &yamlErr) && yamlErr.GetToken() != nil && yamlErr.GetToken().Position != nil {
		p := yamlErr.GetToken().Position
		return Error{File: name, Position: Position{Line: p.Line, Column: p.Column},
			Message: "invalid YAML: " + strings.TrimSpace(yamlErr.GetMessage())}
	}
	return Error{File: name, Position: Position{Line: 1, Column: 1}, Message: "invalid YAML: " + err.Error()}
}
