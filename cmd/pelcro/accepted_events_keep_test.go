package main

import (
	"reflect"
	"slices"
	"strings"
	"time"

	"pgregory.net/rapid"
)

// Keeping what the rules accept of a drawn value, for TestEveryAcceptedEventProjectsAndRebuilds: a value
// drawn whole is almost always refused somewhere, so its accepted parts are gathered into one that passes.

// drawBoth draws a T like base (drawLike) and returns the drawing and what ok accepts of it (keepAccepted).
func drawBoth[T any](t *rapid.T, label string, base T, ok func(T) bool) (drawn, kept T) {
	drawn = drawLike(t, label, reflect.ValueOf(base)).Interface().(T)
	return drawn, keepAccepted(base, drawn, ok)
}

// keepAccepted returns base with every value of drawn that ok accepts: it takes drawn's values one by one (a
// text, a number, a pointer, a list of texts, a metadata key; structs and lists of structs value by value)
// and keeps each one when ok still holds of the result. ok is the domain's own rule (a catalog's Problems,
// a profile's), so whatever odd values the rules accept reach the store together, however many others
// were refused.
func keepAccepted[T any](base, drawn T, ok func(T) bool) T {
	kept := clone(reflect.ValueOf(base)).Interface().(T)
	adopt(reflect.ValueOf(&kept).Elem(), reflect.ValueOf(drawn), func() bool { return ok(kept) })
	return kept
}

// adopt sets target's values to drawn's, value by value, undoing each one ok refuses.
func adopt(target, drawn reflect.Value, ok func() bool) {
	switch {
	case target.Kind() == reflect.Struct && target.Type() != reflect.TypeFor[time.Time]():
		for i := range target.NumField() {
			if f := target.Type().Field(i); f.IsExported() || f.Anonymous {
				adopt(target.Field(i), drawn.Field(i), ok)
			}
		}
	case target.Kind() == reflect.Slice && target.Type().Elem().Kind() == reflect.Struct:
		for i := range min(target.Len(), drawn.Len()) {
			adopt(target.Index(i), drawn.Index(i), ok)
		}
	case target.Kind() == reflect.Map:
		if target.IsNil() {
			target.Set(reflect.MakeMap(target.Type()))
		}
		keys := drawn.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, key := range keys {
			was := target.MapIndex(key)
			target.SetMapIndex(key, drawn.MapIndex(key))
			if !ok() {
				target.SetMapIndex(key, was) // the zero Value deletes the key
			}
		}
	default:
		was := clone(target)
		target.Set(clone(drawn))
		if !ok() {
			target.Set(was)
		}
	}
}

// clone is a deep copy of v's slices, pointers and structs, and a copy of its maps' entries.
func clone(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return out
		}
		out.Set(reflect.MakeSlice(v.Type(), v.Len(), v.Len()))
		for i := range v.Len() {
			out.Index(i).Set(clone(v.Index(i)))
		}
	case reflect.Map:
		if !v.IsNil() {
			out.Set(reflect.MakeMapWithSize(v.Type(), v.Len()))
			for iter := v.MapRange(); iter.Next(); {
				out.SetMapIndex(iter.Key(), iter.Value())
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			out.Set(reflect.New(v.Type().Elem()))
			out.Elem().Set(clone(v.Elem()))
		}
	case reflect.Struct:
		out.Set(v)
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() || f.Anonymous {
				out.Field(i).Set(clone(v.Field(i)))
			}
		}
	default:
		out.Set(v)
	}
	return out
}
