package transport

import (
	"encoding/json"
	"strings"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// metadataFormPrefix starts the form keys that set one metadata entry: metadata[key]=value.
const metadataFormPrefix = "metadata["

// profileUpdateInput reads PUT /customer: email and username (nil when not sent), the profile fields
// (profileInput) and metadata. Metadata comes as a JSON object, or from form-encoded bodies as
// metadata[key]=value pairs, whose values are strings; removing a key takes a JSON null. When both forms
// are sent, the bracketed pairs win for their keys.
func profileUpdateInput(params Params) (commands.ProfileUpdate, fieldErrors) {
	var in commands.ProfileUpdate
	changes, failures := profileInput(params)
	in.Changes = changes
	for _, f := range []struct {
		name  string
		value **string
	}{{"email", &in.Email}, {"username", &in.Username}} {
		if !params.Has(f.name) {
			continue
		}
		value := stringParam(params, f.name, failures)
		if _, broken := failures[f.name]; !broken {
			*f.value = &value
		}
	}
	if _, broken := failures["metadata"]; !broken {
		for key, raw := range bracketedMetadata(params) {
			if in.Changes.Metadata == nil {
				in.Changes.Metadata = map[string]any{}
			}
			var value any
			_ = json.Unmarshal(raw, &value) // Params hold valid JSON only
			in.Changes.Metadata[key] = value
		}
	}
	return in, failures
}

// bracketedMetadata returns the metadata[key] entries of the input by key; a name with more brackets
// (metadata[a][b]) is not one: nested metadata takes a JSON body.
func bracketedMetadata(params Params) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	params.each(func(name string, raw json.RawMessage) {
		key, ok := strings.CutPrefix(name, metadataFormPrefix)
		if !ok {
			return
		}
		key, ok = strings.CutSuffix(key, "]")
		if !ok || key == "" || strings.ContainsAny(key, "[]") {
			return
		}
		if out == nil {
			out = map[string]json.RawMessage{}
		}
		out[key] = raw
	})
	return out
}
