package aggregates

import "reflect"

// SecretTag marks an event field that holds a credential or a secret: `secret:"true"` (a password hash, a
// one-time token's hash or the nonce it is derived from, a gateway's single-use card token, a card's
// fingerprint). Operators' tools never show such a field, even when they reveal personal data: a support agent
// reading a customer's history has no use for it, and a copy of it is a way in. The tag may sit on a field of
// a nested struct (a card inside the event); SecretFields names it by its JSON path.
const SecretTag = "secret"

// secretPaths returns the JSON paths ("password_hash", "card.fingerprint") of goType's fields tagged secret,
// through nested structs, pointers, slices and embedded structs, in field order.
func secretPaths(goType reflect.Type) []string {
	var paths []string
	var walk func(t reflect.Type, prefix string, depth int)
	walk = func(t reflect.Type, prefix string, depth int) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || depth > 8 { // events are shallow; the bound only stops a cycle
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Tag.Get("json") == "" {
				walk(f.Type, prefix, depth+1) // an embedded struct's fields are the event's own in JSON
				continue
			}
			name, ok := jsonFieldName(f)
			if !ok {
				continue
			}
			if f.Tag.Get(SecretTag) == "true" {
				paths = append(paths, prefix+name)
				continue
			}
			walk(f.Type, prefix+name+".", depth+1)
		}
	}
	walk(goType, "", 0)
	return paths
}

// SecretFields returns the JSON paths, dot-separated, of the secret fields of the event registered under
// name (nil for none, or an unknown name); a path through an array names the field in each element. The
// slice is shared: callers must not modify it.
func (r *Registry) SecretFields(name string) []string {
	t, ok := r.lookupName(name)
	if !ok {
		return nil
	}
	return t.secret
}
