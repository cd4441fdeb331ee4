package main

import (
	"encoding/json"
	"testing"
)

func TestOpenAPIPrintsTheServedDocumentWithoutADatabase(t *testing.T) {
	t.Parallel()
	// given no database at all (the URL names a port nothing listens on)
	// when the document is asked for
	out, errOut, err := runPelcro(t, "--database-url", "postgres://nobody@127.0.0.1:1/none", "openapi")
	if err != nil {
		t.Fatalf("openapi: %v\n%s", err, errOut)
	}

	// then it is the OpenAPI 3 document, with its paths merged in
	var document struct {
		OpenAPI string                     `json:"openapi"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(out), &document); err != nil {
		t.Fatalf("not JSON: %v\n%.200s", err, out)
	}
	for _, path := range []string{"/plan", "/auth/register", "/newsletter"} {
		if document.Paths[path] == nil {
			t.Errorf("path %s missing", path)
		}
	}
	if document.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q", document.OpenAPI)
	}
}
