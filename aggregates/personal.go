package aggregates

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// PersonalTag is the struct tag that marks an event field as personal data: `personal:"true"`. The event
// store seals such fields under a key of the data subject (internal/personaldata), so shredding that key
// erases them from an append-only log. Only top-level fields of an event carry it, and only string, struct
// or slice fields: their JSON is a string, an object without a "$sealed" key, an array or null, so a sealed
// value (an object with a "$sealed" key) can never be taken for plaintext.
//
// A field tagged `personal:"part:<member>"` is sealed instead under a key of a part of the subject, named by
// the value of the event's top-level member <member> (see PersonalParts): the part can be erased on its own,
// and is erased with the subject.
//
// Warning: a value whose key was shredded decodes as its zero value. Every Evolve, decide function and
// projection must accept the zero value of a personal field (an empty email, an empty profile, an address
// with id 0) without failing. Removing the tag from a field does not unseal what was stored sealed; adding
// it seals new events only.
const PersonalTag = "personal"

// Erasure is implemented by the events that erase their subject's personal data (customer.erased,
// newsletter.erased). The event store shreds the subject's keys before it appends one, so no erasure event
// can sit in the log while the data it erases is still readable. An erasure event carries no personal data.
type Erasure interface {
	ErasesPersonalData()
}

// SealedKey is the JSON key of a sealed value's wrapper object. Struct fields marked personal may not have a
// field of this name, so the wrapper is never mistaken for plaintext.
const SealedKey = "$sealed"

var (
	erasureType   = reflect.TypeFor[Erasure]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// personalFields returns the JSON names of goType's fields tagged personal, in field order, and the part
// member of those tagged with one, or an error for a tag this package cannot seal safely.
func personalFields(name string, goType reflect.Type) ([]string, map[string]string, error) {
	var names []string
	var parts map[string]string
	for i := range goType.NumField() {
		f := goType.Field(i)
		tag, tagged := f.Tag.Lookup(PersonalTag)
		if !tagged {
			continue
		}
		part, err := partOf(goType, tag)
		if err != nil {
			return nil, nil, fmt.Errorf("aggregates: register %q: field %s: %w", name, f.Name, err)
		}
		jsonName, ok := jsonFieldName(f)
		if !ok {
			return nil, nil, fmt.Errorf("aggregates: register %q: personal field %s is not encoded in JSON", name, f.Name)
		}
		if err := sealable(f.Type); err != nil {
			return nil, nil, fmt.Errorf("aggregates: register %q: personal field %s: %w", name, f.Name, err)
		}
		names = append(names, jsonName)
		if part != "" {
			if parts == nil {
				parts = map[string]string{}
			}
			parts[jsonName] = part
		}
	}
	if len(names) > 0 && goType.Implements(erasureType) {
		return nil, nil, fmt.Errorf("aggregates: register %q: an erasure event carries no personal data", name)
	}
	return names, parts, nil
}

// sealable tells whether a value of type t can be sealed and told apart from a sealed wrapper: a string, a
// slice, or a struct with default JSON encoding and no field named SealedKey. Maps and interfaces are refused:
// their JSON could be an object with a SealedKey key.
func sealable(t reflect.Type) error {
	switch t.Kind() {
	case reflect.String, reflect.Slice:
		return nil
	case reflect.Struct:
		if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
			return fmt.Errorf("%v encodes itself, so its JSON could look sealed", t)
		}
		for i := range t.NumField() {
			if name, ok := jsonFieldName(t.Field(i)); ok && name == SealedKey {
				return fmt.Errorf("%v has a field named %q", t, SealedKey)
			}
		}
		return nil
	}
	return fmt.Errorf("a %v cannot be sealed (only strings, structs and slices)", t)
}

// jsonFieldName is the name encoding/json gives an exported field, and false for a field it leaves out.
func jsonFieldName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return "", false
	case "":
		return f.Name, true
	}
	return name, true
}

// PersonalFields returns the JSON names of the personal fields of the event registered under name (nil for
// none, or an unknown name). The event store reads it for every event it writes or reads, so the slice is
// shared: callers must not modify it.
func (r *Registry) PersonalFields(name string) []string {
	t, ok := r.lookupName(name)
	if !ok {
		return nil
	}
	return t.personal
}

// PersonalPart returns the member whose value names the part of the subject that field of the event
// registered under name is sealed under, or "" for a field sealed under the subject's own key.
func (r *Registry) PersonalPart(name, field string) string {
	t, ok := r.lookupName(name)
	if !ok {
		return ""
	}
	return t.parts[field]
}

// Erases reports whether the event registered under name is an Erasure.
func (r *Registry) Erases(name string) bool {
	t, ok := r.lookupName(name)
	return ok && t.erasure
}
