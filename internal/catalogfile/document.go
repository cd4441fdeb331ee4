package catalogfile

import (
	"math"
	"reflect"

	"github.com/goccy/go-yaml/ast"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

var documentType = reflect.TypeFor[catalog.Document]()

// maxExactInteger is the largest integer a JSON number holds exactly (as a float64): a larger one would be
// served back as another number.
const maxExactInteger = 1 << 53

// document stores any YAML value (a mapping, a list, a scalar) as a catalog.Document, the free-form JSON
// of fields whose shape the spec leaves open. It reports whether it could.
func (d *decoder) document(node ast.Node, target reflect.Value, field string) bool {
	value, ok := d.jsonValue(node, field)
	if !ok {
		return false
	}
	document, err := catalog.NewDocument(value)
	if err != nil { // jsonValue only builds values JSON can encode
		d.fail(node, field, "cannot be stored as JSON: %v", err)
		return false
	}
	target.SetString(string(document))
	return true
}

// jsonValue turns node into the value encoding/json would decode from the same data: objects as
// map[string]any, lists as []any, every number as float64.
func (d *decoder) jsonValue(node ast.Node, field string) (any, bool) {
	if values, ok := mappingValues(node); ok {
		object := make(map[string]any, len(values))
		for _, entry := range values {
			name := keyName(entry.Key)
			value, ok := d.jsonValue(entry.Value, joinField(field, name))
			if !ok {
				return nil, false
			}
			object[name] = value
		}
		return object, true
	}
	switch n := node.(type) {
	case *ast.NullNode:
		return nil, true
	case *ast.SequenceNode:
		list := make([]any, len(n.Values))
		for i, item := range n.Values {
			value, ok := d.jsonValue(item, field)
			if !ok {
				return nil, false
			}
			list[i] = value
		}
		return list, true
	case *ast.IntegerNode:
		v, ok := intValue(n)
		if !ok || v.(int64) > maxExactInteger || v.(int64) < -maxExactInteger {
			d.wrongType(node, field, "an integer between -2^53 and 2^53, which JSON holds exactly")
			return nil, false
		}
		return float64(v.(int64)), true
	case *ast.FloatNode:
		if math.IsInf(n.Value, 0) || math.IsNaN(n.Value) {
			d.wrongType(node, field, "a finite number")
			return nil, false
		}
		return n.Value, true
	case *ast.BoolNode:
		return n.Value, true
	}
	if text, ok := stringValue(node); ok {
		return text, true
	}
	d.wrongType(node, field, "a JSON value (a mapping, a list, a text, a number, true, false or null)")
	return nil, false
}
