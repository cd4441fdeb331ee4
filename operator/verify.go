package operator

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/projections"
)

// shownRows bounds how many differing rows a drifted table names in each direction.
const shownRows = 3

// TableCheck compares one live table with the same table recomputed from the log.
type TableCheck struct {
	Live    Digest `json:"live"`
	Rebuilt Digest `json:"rebuilt"`
	// OnlyLive are rows the live table has and the recomputed one lacks (changed or extra rows), OnlyRebuilt
	// the reverse (changed or missing rows): the first few of each, as PostgreSQL spells a row.
	OnlyLive    []string `json:"only_live,omitempty"`
	OnlyRebuilt []string `json:"only_rebuilt,omitempty"`
}

// Drifted reports whether the live table differs from its log.
func (c TableCheck) Drifted() bool { return c.Live != c.Rebuilt }

// Verification is the verdict on one projection, at the position both sides reflect.
type Verification struct {
	Projection string       `json:"projection"`
	Position   string       `json:"position"`
	Tables     []TableCheck `json:"tables"`
}

// Drifted reports whether any table of the projection differs from its log.
func (v Verification) Drifted() bool {
	for _, t := range v.Tables {
		if t.Drifted() {
			return true
		}
	}
	return false
}

// Verify recomputes p's tables from the log into scratch tables (projections.Verify: the rebuild's own apply
// funcs and batches, up to the live checkpoint) and compares their digests with the live tables', naming the
// first differing rows of a table that drifted. cfg is the runner's configuration (store, read models,
// registry). The live tables are only read.
func Verify(ctx context.Context, cfg projections.Config, p projections.Projection) (Verification, error) {
	v := Verification{Projection: p.Name}
	at, err := projections.Verify(ctx, cfg, p, func(ctx context.Context, tx *sqlx.Tx, live, scratch string) error {
		for _, table := range p.Tables {
			check, err := compareTable(ctx, tx, table, live, scratch)
			if err != nil {
				return err
			}
			v.Tables = append(v.Tables, check)
		}
		return nil
	})
	if err != nil {
		return v, fmt.Errorf("verify %s: %w", p.Name, err)
	}
	v.Position = at.String()
	return v, nil
}

func compareTable(ctx context.Context, tx *sqlx.Tx, table, live, scratch string) (TableCheck, error) {
	var c TableCheck
	var err error
	if c.Live, err = digestOf(ctx, tx, live, table); err != nil {
		return c, err
	}
	if c.Rebuilt, err = digestOf(ctx, tx, scratch, table); err != nil || !c.Drifted() {
		return c, err
	}
	if c.OnlyLive, err = rowsMissingFrom(ctx, tx, table, live, scratch, shownRows); err != nil {
		return c, err
	}
	c.OnlyRebuilt, err = rowsMissingFrom(ctx, tx, table, scratch, live, shownRows)
	return c, err
}
