// Package queries reads the PostgreSQL read models the projections keep, and returns read DTOs whose JSON
// field names are the Open API's (spec section 3). It only reads: the projections own every table.
package queries

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// ErrNotFound is returned by the queries of one resource when there is none (an unknown id, or one that
// belongs to another site); transport answers 404.
var ErrNotFound = errors.New("queries: not found")

// unixSeconds is the SQL expression of the timestamptz column as whole Unix seconds, the fraction dropped
// (floor), as Go's time.Time.Unix drops it: every time a read model answers goes through it, so an answer
// built from a command's own state (an order just placed) and the same time read back agree to the second.
// A bare extract(epoch …)::bigint would round instead, half a second later.
func unixSeconds(column string) string {
	return "floor(extract(epoch FROM " + column + "))::bigint"
}

// Catalog answers the catalog queries (sites, plans, free-access checks, e-commerce products) from the
// tables of projections/catalog. Its methods may be called concurrently.
type Catalog struct {
	db *sqlx.DB
}

// NewCatalog returns the catalog queries over the read-model database db.
func NewCatalog(db *sqlx.DB) *Catalog { return &Catalog{db: db} }

// Strings is a list read from a text[] column selected as JSON (array_to_json). It is never nil once
// scanned, so it encodes as [] rather than null.
type Strings []string

// Scan decodes a JSON array.
func (s *Strings) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case []byte:
		raw = v
	case string:
		raw = []byte(v)
	case nil:
		*s = Strings{}
		return nil
	default:
		return fmt.Errorf("queries: cannot scan %T into Strings", src)
	}
	list := []string{}
	if err := json.Unmarshal(raw, &list); err != nil {
		return fmt.Errorf("queries: decode string list: %w", err)
	}
	*s = list
	return nil
}

// JSON is a free-form value read from a jsonb column (a catalog Document) and served as it is; the JSON
// null when the catalog leaves it unset.
type JSON []byte

// Scan copies a jsonb value: the driver may reuse its buffer.
func (j *JSON) Scan(src any) error {
	switch v := src.(type) {
	case []byte:
		*j = append(JSON(nil), v...)
	case string:
		*j = JSON(v)
	case nil:
		*j = JSON("null")
	default:
		return fmt.Errorf("queries: cannot scan %T into JSON", src)
	}
	return nil
}

// MarshalJSON writes the value itself.
func (j JSON) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}
