package catalog

import (
	"fmt"
	"reflect"
)

// Every entity kind has an attributes struct A (its editable fields) and a patch struct P (the same field
// names, each a pointer with `omitempty`, nil meaning "unchanged") that its change event carries. diff and
// applyPatch pair the two by field name, so the field lists are written once per kind and the comparison
// and folding logic once for all kinds.
//
// Warning: a field added to A must be added to P under the same name (TestPatchesMirrorTheirAttributes
// guards this); otherwise diff panics on the first change of that field.

// diff returns the patch that turns current into desired and whether any field differs. Slices compare by
// content, an empty slice equal to a missing one, so `countries: []` and an omitted list are the same state.
func diff[A, P any](current, desired A) (P, bool) {
	var patch P
	patchValue := reflect.ValueOf(&patch).Elem()
	currentValue, desiredValue := reflect.ValueOf(current), reflect.ValueOf(desired)
	changed := false
	for i := range currentValue.NumField() {
		if sameValue(currentValue.Field(i), desiredValue.Field(i)) {
			continue
		}
		name := currentValue.Type().Field(i).Name
		target := patchValue.FieldByName(name)
		if !target.IsValid() {
			panic(fmt.Sprintf("catalog: patch %T has no field %s", patch, name))
		}
		value := reflect.New(target.Type().Elem())
		value.Elem().Set(nonNilSlice(desiredValue.Field(i)))
		target.Set(value)
		changed = true
	}
	return patch, changed
}

// applyPatch returns attributes with every non-nil field of patch set.
func applyPatch[A, P any](attributes A, patch P) A {
	target := reflect.ValueOf(&attributes).Elem()
	patchValue := reflect.ValueOf(patch)
	for i := range patchValue.NumField() {
		if field := patchValue.Field(i); !field.IsNil() {
			target.FieldByName(patchValue.Type().Field(i).Name).Set(field.Elem())
		}
	}
	return attributes
}

func sameValue(a, b reflect.Value) bool {
	if a.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// nonNilSlice turns a nil slice into an empty one: a patch pointer to a nil slice would be stored as
// null and read back as "unchanged".
func nonNilSlice(v reflect.Value) reflect.Value {
	if v.Kind() == reflect.Slice && v.IsNil() {
		return reflect.MakeSlice(v.Type(), 0, 0)
	}
	return v
}

// The guards and the change rule every catalog decision shares.

// guardDefine allows a Define decision only for an entity never defined and a valid desired state.
func guardDefine(defined bool, problems Problems) error {
	if defined {
		return ErrAlreadyDefined
	}
	return problems.err()
}

// guardChange allows a Change decision only for a defined entity that keeps its owner and a valid desired
// state.
func guardChange(defined, sameOwner bool, problems Problems) error {
	switch {
	case !defined:
		return ErrNotDefined
	case !sameOwner:
		return ErrOwnerChanged
	}
	return problems.err()
}

// changeEvents returns the one change event (built by changedEvent from the patch) that turns current into
// desired, or nothing when they are equal: the idempotent no-op.
func changeEvents[A, P, E any](current, desired A, changedEvent func(P) E) []E {
	patch, differs := diff[A, P](current, desired)
	if !differs {
		return nil
	}
	return []E{changedEvent(patch)}
}
