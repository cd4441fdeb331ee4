package aggregates

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// RewriteStrings returns an Upcast func that passes every string value of the stored JSON, at any depth,
// through fix and keeps everything else: object keys, numbers (their exact text), booleans, nulls.
//
// It is how a release repairs events the log accepted but a read model cannot store (a NUL in a name, say):
// register it as the upcaster from the schema version those events were written in, so that version goes
// up by one. Every reader, projections, rebuilds and commands alike, then sees the repaired value, while the
// stored bytes stay exactly as written: the log is never edited. docs/projections.md walks through it.
//
// Warning: fix runs on every string of every event of the older versions, ids and emails included, and
// must leave valid values alone.
func RewriteStrings(fix func(string) string) func(json.RawMessage) (json.RawMessage, error) {
	return func(data json.RawMessage) (json.RawMessage, error) {
		decoder := json.NewDecoder(bytes.NewReader(data))
		decoder.UseNumber()
		var value any
		if err := decoder.Decode(&value); err != nil {
			return nil, fmt.Errorf("aggregates: rewrite strings: %w", err)
		}
		return json.Marshal(rewriteStrings(value, fix))
	}
}

// rewriteStrings returns value with fix applied to every string in it; it changes maps and slices in place.
func rewriteStrings(value any, fix func(string) string) any {
	switch v := value.(type) {
	case string:
		return fix(v)
	case map[string]any:
		for key, item := range v {
			v[key] = rewriteStrings(item, fix)
		}
	case []any:
		for i, item := range v {
			v[i] = rewriteStrings(item, fix)
		}
	}
	return value
}
