package catalog

import (
	"encoding/json"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// fieldAdded returns the upcaster of version from of an event written before field existed: it gives the
// field value, where a missing field would otherwise decode as its zero value. It is for fields whose
// default is not their zero value (a plan's available_online and a product's active default to true),
// so that an entity defined before the field existed reads as if the file had left the field out today.
func fieldAdded(from int, field string, value json.RawMessage) aggregates.Upcaster {
	return fieldsAdded(from, map[string]json.RawMessage{field: value})
}

// fieldsAdded is fieldAdded for several fields added in one version (an account's dunning policy).
func fieldsAdded(from int, values map[string]json.RawMessage) aggregates.Upcaster {
	return aggregates.Upcaster{From: from, Upcast: func(data json.RawMessage) (json.RawMessage, error) {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(data, &fields); err != nil {
			return nil, fmt.Errorf("catalog: add fields to version %d: %w", from, err)
		}
		if fields == nil { // a stored null: nothing to add fields to (and writing into nil would panic)
			return nil, fmt.Errorf("catalog: add fields to version %d: the payload is null, not an object", from)
		}
		for field, value := range values {
			if _, present := fields[field]; !present {
				fields[field] = value
			}
		}
		return json.Marshal(fields)
	}}
}
