package transport

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"github.com/goccy/go-yaml"
)

// openAPIFiles is the hand-written OpenAPI 3 document: openapi/openapi.yaml (shared components) plus
// openapi/paths/*.yaml, one file per resource family, and openapi/schemas/*.yaml, resource schemas several
// families share (Customer). A new endpoint adds its paths to its family's file; openapitest checks real
// responses against the result.
//
//go:embed openapi
var openAPIFiles embed.FS

// openAPICache lets clients and edges keep the document briefly; it changes only with a deployment.
var openAPICache = cacheFor{maxAge: 5 * time.Minute}

// OpenAPIDocument returns the API's OpenAPI 3 document as JSON: the base file with every paths file merged
// in, and every schemas file merged into components/schemas. It fails when a file does not parse or two
// files declare the same path or schema.
func OpenAPIDocument() ([]byte, error) {
	return assembleOpenAPI(openAPIFiles)
}

func assembleOpenAPI(files fs.FS) ([]byte, error) {
	var document map[string]any
	if err := readYAMLAsJSON(files, "openapi/openapi.yaml", &document); err != nil {
		return nil, err
	}
	names, err := fs.Glob(files, "openapi/paths/*.yaml")
	if err != nil {
		return nil, err
	}
	paths := map[string]any{}
	for _, name := range names {
		var family map[string]any
		if err := readYAMLAsJSON(files, name, &family); err != nil {
			return nil, err
		}
		for path, item := range family {
			if _, taken := paths[path]; taken {
				return nil, fmt.Errorf("%s: path %s is already declared by another file", name, path)
			}
			paths[path] = item
		}
	}
	document["paths"] = paths
	if err := mergeSchemas(files, document); err != nil {
		return nil, err
	}
	return json.Marshal(document)
}

// mergeSchemas adds the schemas of openapi/schemas/*.yaml (each file a map of schema name to schema) to the
// document's components/schemas; a name declared twice, or already in openapi.yaml, is an error.
func mergeSchemas(files fs.FS, document map[string]any) error {
	names, err := fs.Glob(files, "openapi/schemas/*.yaml")
	if err != nil || len(names) == 0 {
		return err
	}
	components, _ := document["components"].(map[string]any)
	if components == nil {
		components = map[string]any{}
		document["components"] = components
	}
	schemas, _ := components["schemas"].(map[string]any)
	if schemas == nil {
		schemas = map[string]any{}
		components["schemas"] = schemas
	}
	for _, name := range names {
		var shared map[string]any
		if err := readYAMLAsJSON(files, name, &shared); err != nil {
			return err
		}
		for schema, definition := range shared {
			if _, taken := schemas[schema]; taken {
				return fmt.Errorf("%s: schema %s is already declared", name, schema)
			}
			schemas[schema] = definition
		}
	}
	return nil
}

// readYAMLAsJSON decodes a YAML file through its JSON form, so the values are exactly what JSON clients see.
func readYAMLAsJSON(files fs.FS, name string, into any) error {
	source, err := fs.ReadFile(files, name)
	if err != nil {
		return err
	}
	asJSON, err := yaml.YAMLToJSON(source)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := json.Unmarshal(asJSON, into); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// serveOpenAPI serves the document, cacheable and revalidated by ETag like any cached resource.
func serveOpenAPI(document []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeCached(w, r, http.StatusOK, openAPICache, json.RawMessage(document))
	})
}
