package aggregates

import (
	"fmt"
	"reflect"
	"strings"
)

// TextProblems checks every text v holds with TextFault and returns one RulePrintable problem per field
// that holds a refused one, in field order, with the fault as Detail. v is a struct (or a pointer to one),
// typically the value type a command carries (a profile, an address, a catalog entity's attributes).
//
// It walks v by reflection, so a field added to such a type is checked without anyone remembering to:
//   - fields are named as encoding/json names them (the JSON tag, else the Go name; "-" is skipped), and an
//     embedded struct's fields are promoted, as encoding/json does;
//   - a field is SingleLine unless tagged `text:"multiline"`;
//   - a slice or array element is named "field[i]";
//   - a map is reported as one field, whatever key or value (at any depth, metadata included) breaks the
//     rule: keys and nested values are the caller's data and never become part of a field name. Keys are
//     SingleLine; values have the kind of the map's field;
//   - pointers and interfaces are followed; other kinds (numbers, booleans, times) hold no text.
func TextProblems(v any) FieldProblems {
	var walk textWalk
	walk.value("", reflect.ValueOf(v), SingleLine)
	return walk.problems
}

// textWalk collects the problems of one TextProblems call.
type textWalk struct {
	problems FieldProblems
}

func (w *textWalk) value(field string, v reflect.Value, kind TextKind) {
	switch v.Kind() {
	case reflect.String:
		if fault := TextFault(v.String(), kind); fault != "" {
			w.report(field, fault)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			w.value(field, v.Elem(), kind)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.value(fmt.Sprintf("%s[%d]", field, i), v.Index(i), kind)
		}
	case reflect.Map:
		var inside textWalk
		for iter := v.MapRange(); iter.Next(); {
			inside.value(field, iter.Key(), SingleLine)
			inside.value(field, iter.Value(), kind)
		}
		if len(inside.problems) > 0 {
			w.report(field, inside.problems[0].Detail)
		}
	case reflect.Struct:
		w.structFields(field, v)
	}
}

func (w *textWalk) structFields(prefix string, v reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		promoted := f.Anonymous && f.Type.Kind() == reflect.Struct
		if !f.IsExported() && !promoted {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		kind := SingleLine
		if f.Tag.Get("text") == "multiline" {
			kind = MultiLine
		}
		switch {
		case name == "" && promoted:
			w.value(prefix, v.Field(i), kind)
		case name == "":
			w.value(joinField(prefix, f.Name), v.Field(i), kind)
		default:
			w.value(joinField(prefix, name), v.Field(i), kind)
		}
	}
}

// report adds a problem for field unless the field has one already (a map reports once).
func (w *textWalk) report(field, fault string) {
	for _, p := range w.problems {
		if p.Field == field {
			return
		}
	}
	w.problems = append(w.problems, FieldProblem{Field: field, Rule: RulePrintable, Detail: fault})
}

func joinField(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
