package operator

import (
	"encoding/json"
	"fmt"
	"strings"
)

// hideSecrets replaces the value at each dot-separated JSON path of data (aggregates.Registry.SecretFields)
// by Secret, in every element of the arrays a path goes through. A path the payload lacks (an omitted
// field) is left alone; an empty value stays empty, so a reader still sees that there was none.
func hideSecrets(data json.RawMessage, paths []string) (json.RawMessage, error) {
	if len(paths) == 0 {
		return data, nil
	}
	var payload any
	decoder := json.NewDecoder(strings.NewReader(string(data)))
	decoder.UseNumber() // amounts and ids keep their exact digits
	if err := decoder.Decode(&payload); err != nil {
		return nil, fmt.Errorf("operator: hide secret fields: %w", err)
	}
	for _, path := range paths {
		payload = hideAt(payload, strings.Split(path, "."))
	}
	return json.Marshal(payload)
}

func hideAt(v any, path []string) any {
	switch node := v.(type) {
	case []any:
		for i := range node {
			node[i] = hideAt(node[i], path)
		}
	case map[string]any:
		value, ok := node[path[0]]
		switch {
		case !ok:
		case len(path) > 1:
			node[path[0]] = hideAt(value, path[1:])
		case value != nil && value != "":
			node[path[0]] = Secret
		}
	}
	return v
}
