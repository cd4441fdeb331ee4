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

// Replay rebuilds every projection of ps from the whole log into cfg.DB, which must hold the read-model schema
// (a fresh database migrated for it), in one pass over the log (projections.RebuildAll), and returns for each
// the position its tables reflect and their digests: run against two databases, equal digests mean equal read
// models. options pass through (progress, counted in events read from the log).
func Replay(ctx context.Context, cfg projections.Config, ps []projections.Projection, options ...projections.RebuildOption) ([]Replayed, error) {
	at, err := projections.RebuildAll(ctx, cfg, ps, options...)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	out := make([]Replayed, len(ps))
	for i, p := range ps {
		out[i] = Replayed{Projection: p.Name, Position: at[i].String()}
		if out[i].Tables, err = Digests(ctx, cfg, p); err != nil {
			return nil, err
		}
	}
	return out, nil
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
