package aggregates

import (
	"fmt"
	"reflect"
	"strings"
)

// partTagPrefix starts a personal tag that seals the field under a part of its subject: personal:"part:m".
const partTagPrefix = "part:"

// partOf reads a personal tag: "" for personal:"true", the member naming the part for personal:"part:m",
// or an error for anything else. The member must be another top-level field of goType, an integer or a
// string that is not itself personal: its value names the part's key in the clear, so it must be an id,
// never personal data.
func partOf(goType reflect.Type, tag string) (string, error) {
	if tag == "true" {
		return "", nil
	}
	member, ok := strings.CutPrefix(tag, partTagPrefix)
	if !ok || member == "" {
		return "", fmt.Errorf("tag personal:%q, want personal:\"true\" or personal:\"part:<member>\"", tag)
	}
	for i := range goType.NumField() {
		f := goType.Field(i)
		if name, encoded := jsonFieldName(f); !encoded || name != member {
			continue
		}
		if _, personal := f.Tag.Lookup(PersonalTag); personal {
			return "", fmt.Errorf("part member %q is personal: a part is named in the clear", member)
		}
		switch f.Type.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.String:
			return member, nil
		}
		return "", fmt.Errorf("part member %q is a %v, want an integer or a string", member, f.Type)
	}
	return "", fmt.Errorf("part member %q is not a top-level field", member)
}
