package catalogfile

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// decoder turns a YAML (or JSON) syntax tree into Go values field by field, so that it can report every
// unknown field and wrong type of a file instead of stopping at the first, and remember where each value
// stood so later rules can point at it. Field names are the Go types' JSON tags: the file uses the same
// names as the events and the API.
type decoder struct {
	file      string
	positions map[string]Position
	errors    Errors
	// unreadable holds the fields whose value had the wrong type, so a rule does not report them again as
	// missing.
	unreadable map[string]bool
}

// readable reports whether field and every field enclosing it could be read.
func (d *decoder) readable(field string) bool {
	for ; field != ""; field = parentField(field) {
		if d.unreadable[field] {
			return false
		}
	}
	return true
}

// wrongType reports a value of the wrong type.
func (d *decoder) wrongType(node ast.Node, field, want string) {
	d.unreadable[field] = true
	d.fail(node, field, "want %s, got %s", want, describe(node))
}

func (d *decoder) fail(node ast.Node, field, format string, args ...any) {
	d.errors = append(d.errors, Error{File: d.file, Position: position(node), Field: field,
		Message: fmt.Sprintf(format, args...)})
}

// decode stores node into target (a settable value) and records its position under field.
func (d *decoder) decode(node ast.Node, target reflect.Value, field string) {
	d.positions[field] = position(node)
	if _, null := node.(*ast.NullNode); null {
		return // null is the same as leaving the field out
	}
	switch target.Kind() {
	case reflect.Pointer:
		value := reflect.New(target.Type().Elem())
		if d.decodeInto(node, value.Elem(), field) {
			target.Set(value)
		}
	default:
		d.decodeInto(node, target, field)
	}
}

// decodeInto stores node into target and reports whether it could.
func (d *decoder) decodeInto(node ast.Node, target reflect.Value, field string) bool {
	if target.Type() == documentType {
		return d.document(node, target, field)
	}
	switch target.Kind() {
	case reflect.String:
		return d.scalar(node, target, field, "a string", stringValue)
	case reflect.Int64:
		return d.scalar(node, target, field, "an integer", intValue)
	case reflect.Float64:
		return d.scalar(node, target, field, "a number", floatValue)
	case reflect.Bool:
		return d.scalar(node, target, field, "true or false", boolValue)
	case reflect.Slice:
		return d.sequence(node, target, field)
	case reflect.Struct:
		return d.mapping(node, target, field)
	}
	panic(fmt.Sprintf("catalogfile: no decoding for %v (field %s)", target.Type(), field))
}

func (d *decoder) scalar(node ast.Node, target reflect.Value, field, want string, read func(ast.Node) (any, bool)) bool {
	value, ok := read(node)
	if !ok {
		d.wrongType(node, field, want)
		return false
	}
	target.Set(reflect.ValueOf(value))
	return true
}

func (d *decoder) sequence(node ast.Node, target reflect.Value, field string) bool {
	seq, ok := node.(*ast.SequenceNode)
	if !ok {
		d.wrongType(node, field, "a list")
		return false
	}
	items := reflect.MakeSlice(target.Type(), len(seq.Values), len(seq.Values))
	for i, item := range seq.Values {
		d.decode(item, items.Index(i), fmt.Sprintf("%s[%d]", field, i))
	}
	target.Set(items)
	return true
}

func (d *decoder) mapping(node ast.Node, target reflect.Value, field string) bool {
	values, ok := mappingValues(node)
	if !ok {
		d.wrongType(node, field, "a mapping of field names to values")
		return false
	}
	fields := fieldsByName(target)
	given := map[string]bool{}
	for _, entry := range values {
		name := keyName(entry.Key)
		child, known := fields[name]
		if !known {
			d.fail(entry.Key, field, "unknown field %s%s", quoted(name), suggestion(name, fields))
			continue
		}
		d.decode(entry.Value, child, joinField(field, name))
		if _, null := entry.Value.(*ast.NullNode); !null {
			given[name] = true
		}
	}
	setDefaults(target, given)
	return true
}

// setDefaults sets the fields of target tagged `default:"JSON"` (fields whose zero value is not their
// default, such as a plan's available_online, true, or an account's dunning_retry_days, [3, 5, 7]) that the
// file did not give, or gave as null. A tag that does not decode into its field is a programming error
// every parse of that entity hits, so it panics.
func setDefaults(target reflect.Value, given map[string]bool) {
	for i := range target.NumField() {
		field := target.Type().Field(i)
		if field.Anonymous {
			setDefaults(target.Field(i), given)
			continue
		}
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		value, tagged := field.Tag.Lookup("default")
		if !tagged || given[name] {
			continue
		}
		if err := json.Unmarshal([]byte(value), target.Field(i).Addr().Interface()); err != nil {
			panic(fmt.Sprintf("catalogfile: default of %s.%s: %v", target.Type(), field.Name, err))
		}
	}
}

// fieldsByName maps the JSON names of a struct's fields, including those of embedded structs, to the
// settable fields of target.
func fieldsByName(target reflect.Value) map[string]reflect.Value {
	fields := map[string]reflect.Value{}
	for i := range target.NumField() {
		field := target.Type().Field(i)
		if field.Anonymous {
			for name, value := range fieldsByName(target.Field(i)) {
				fields[name] = value
			}
			continue
		}
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		fields[name] = target.Field(i)
	}
	return fields
}

func stringValue(node ast.Node) (any, bool) {
	switch n := node.(type) {
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		return n.Value.Value, true
	}
	return nil, false
}

func intValue(node ast.Node) (any, bool) {
	n, ok := node.(*ast.IntegerNode)
	if !ok {
		return nil, false
	}
	switch v := n.Value.(type) {
	case int64:
		return v, true
	case uint64:
		return int64(v), v <= math.MaxInt64
	}
	return nil, false
}

func floatValue(node ast.Node) (any, bool) {
	switch n := node.(type) {
	case *ast.FloatNode:
		return n.Value, true
	case *ast.IntegerNode:
		v, ok := intValue(n)
		if !ok {
			return nil, false
		}
		return float64(v.(int64)), true
	}
	return nil, false
}

func boolValue(node ast.Node) (any, bool) {
	n, ok := node.(*ast.BoolNode)
	if !ok {
		return nil, false
	}
	return n.Value, true
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}
