// Package examples embeds the example files shipped with the repository, so the binary can use them without
// a checkout (`pelcro serve --demo`).
package examples

import _ "embed"

// CatalogYAML is examples/catalog.yaml: one account with two sites (ids 1232 and 1233), their plans, an
// e-commerce shop and tax rates. `pelcro serve --demo` imports it into an empty event store.
//
// Warning: tests of the demo mode request its sites by id; keep those ids when editing the file.
//
//go:embed catalog.yaml
var CatalogYAML []byte
