package operator

import (
	"context"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/projections"
)

// Replayed is one read model rebuilt by Replay: the position its tables reflect and their digests.
type Replayed struct {
	Projection string   `json:"projection"`
	Position   string   `json:"position"`
	Tables     []Digest `json:"tables"`
}

// Replay rebuilds p from the whole log into cfg.DB, which must hold the read-model schema (a fresh database
// migrated for it), with projections.Rebuild, and returns the digests of its tables: run against two
// databases, equal digests mean equal read models. options pass through (progress).
func Replay(ctx context.Context, cfg projections.Config, p projections.Projection, options ...projections.RebuildOption) (Replayed, error) {
	r := Replayed{Projection: p.Name}
	at, err := projections.Rebuild(ctx, cfg, p, options...)
	if err != nil {
		return r, fmt.Errorf("replay %s: %w", p.Name, err)
	}
	r.Position = at.String()
	r.Tables, err = Digests(ctx, cfg, p)
	return r, err
}

// Digests returns the digests of p's tables in cfg.DB's current schema, for comparing a replay with the read
// models in service.
func Digests(ctx context.Context, cfg projections.Config, p projections.Projection) ([]Digest, error) {
	var schema string
	if err := cfg.DB.GetContext(ctx, &schema, `SELECT current_schema()`); err != nil {
		return nil, fmt.Errorf("operator: digests of %s: %w", p.Name, err)
	}
	var out []Digest
	for _, table := range p.Tables {
		d, err := digestOf(ctx, cfg.DB, schema, table)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
