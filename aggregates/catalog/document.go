package catalog

import (
	"encoding/json"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Document is a free-form JSON value: a resource field the spec names without giving it a shape (a site's
// logo, paywalls, design settings and gateway settings, a plan's metadata, a product's package
// dimensions). The catalog stores it as given and the API serves it back as given.
//
// It holds the value's canonical JSON text (what NewDocument makes of it: object keys sorted, numbers as
// float64 writes them), "" when unset, so documents compare as texts and diff sees an unchanged document
// as unchanged whatever order the file wrote its keys in. In events it is the JSON value itself, and the
// unset document is the empty JSON string "", not null: a change event's nil patch field means
// "unchanged", and a null would read back as one. An empty JSON string is therefore not a document of its
// own: NewDocument("") is unset, like null.
type Document string

// Document limits. Every change of the entity repeats the whole document in an event, and the read model
// stores it as jsonb, which parses it recursively: a real setting is a few hundred bytes a few levels deep.
const (
	MaxDocumentBytes = 16 << 10
	MaxDocumentDepth = 32
)

// NewDocument encodes v, a value as encoding/json decodes JSON (map[string]any, []any, string, float64,
// bool, nil), canonically; nil gives the unset document "".
func NewDocument(v any) (Document, error) {
	if v == nil || v == "" {
		return "", nil
	}
	encoded, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("catalog: encode document: %w", err)
	}
	return Document(encoded), nil
}

// Value decodes the document; nil when it is unset.
func (d Document) Value() (any, error) {
	if d == "" {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal([]byte(d), &v); err != nil {
		return nil, fmt.Errorf("catalog: decode document: %w", err)
	}
	return v, nil
}

// documentText wraps a decoded document for aggregates.TextProblems: its texts follow the rule of every
// text, and may hold line breaks (a newsletter's description, a paywall's message).
type documentText struct {
	Value any `json:"value" text:"multiline"`
}

// document checks a Document: canonical JSON within the limits, whose texts (object keys included) follow
// the text rule. A NUL that JSON escapes as \u0000 would be refused by the read model's jsonb, which is why
// the decoded texts are checked and not only the JSON text.
func (c *checker) document(field string, d Document) {
	if d == "" {
		return
	}
	if len(d) > MaxDocumentBytes {
		c.add(field, "must be at most %d bytes of JSON, got %d", MaxDocumentBytes, len(d))
		return
	}
	v, err := d.Value()
	if err != nil {
		c.add(field, "must be a JSON value")
		return
	}
	if canonical, _ := NewDocument(v); canonical != d {
		c.add(field, "must be canonical JSON (catalog.NewDocument), got %q", d)
		return
	}
	if depth := documentDepth(v); depth > MaxDocumentDepth {
		c.add(field, "must nest at most %d levels, got %d", MaxDocumentDepth, depth)
		return
	}
	for _, p := range aggregates.TextProblems(documentText{v}) {
		c.add(field, "must hold texts without control characters or invalid UTF-8, found %s", p.Detail)
	}
}

// documentDepth is how many objects and arrays deep v nests.
func documentDepth(v any) int {
	deepest := 0
	switch v := v.(type) {
	case map[string]any:
		for _, item := range v {
			deepest = max(deepest, documentDepth(item))
		}
	case []any:
		for _, item := range v {
			deepest = max(deepest, documentDepth(item))
		}
	default:
		return 0
	}
	return deepest + 1
}

// MarshalJSON writes the document as its JSON value, and the unset document as "" (see Document).
func (d Document) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte(`""`), nil
	}
	return []byte(d), nil
}

// UnmarshalJSON reads what MarshalJSON wrote, or any JSON value, which it stores canonically.
func (d *Document) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("catalog: decode document: %w", err)
	}
	document, err := NewDocument(v)
	*d = document
	return err
}
