package catalog

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// CommerceName is the name and checkpoint key of the commerce settings projection. Warning: changing it
// replays the whole log into its tables (see projections.Projection.Name).
const CommerceName = "catalog_commerce.v1"

// Commerce keeps what a sale reads of the catalog besides plans and coupons: catalog_accounts (each
// account's cancellation and dunning policy) and catalog_tax_rates (one rate per site, country and state).
func Commerce() projections.Projection {
	return projections.Projection{
		Name:   CommerceName,
		Tables: []string{"catalog_accounts", "catalog_tax_rates"},
		Handlers: []projections.Handler{
			projections.On(applyAccountDefined),
			projections.On(applyAccountChanged),
			projections.On(applyTaxRateDefined),
			projections.On(applyTaxRateChanged),
		},
	}
}

func applyAccountDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.AccountDefined]) error {
	return upsertRow(ctx, tx, "catalog_accounts", e.Data.AccountID, e.Revision, attributeColumns(e.Data.AccountAttributes))
}

func applyAccountChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.AccountChanged]) error {
	return patchRow(ctx, tx, "catalog_accounts", e.Data.AccountID, e.Revision, patchColumns(e.Data.Changes))
}

// applyTaxRateDefined writes the whole rate unless its row already reflects this revision or a later one.
// Tax rates are keyed by site, country and state, not by an id, so upsertRow does not fit them.
func applyTaxRateDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.TaxRateDefined]) error {
	r, a := e.Data.TaxRateRef, e.Data.TaxRateAttributes
	_, err := tx.ExecContext(ctx, `INSERT INTO catalog_tax_rates AS t
		(site_id, country, state, name, percentage, inclusive, revision) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (site_id, country, state) DO UPDATE SET name = EXCLUDED.name,
		percentage = EXCLUDED.percentage, inclusive = EXCLUDED.inclusive, revision = EXCLUDED.revision
		WHERE t.revision < EXCLUDED.revision`,
		r.SiteID, r.Country, r.State, a.Name, a.Percentage, a.Inclusive, e.Revision)
	if err != nil {
		return fmt.Errorf("upsert tax rate %s: %w", r.Key(), err)
	}
	return nil
}

// applyTaxRateChanged sets the changed fields (nil: unchanged) as patchRow does for rows keyed by id.
func applyTaxRateChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.TaxRateChanged]) error {
	r, p := e.Data.TaxRateRef, e.Data.Changes
	_, err := tx.ExecContext(ctx, `UPDATE catalog_tax_rates SET name = COALESCE($5, name),
		percentage = COALESCE($6, percentage), inclusive = COALESCE($7, inclusive), revision = $4
		WHERE site_id = $1 AND country = $2 AND state = $3 AND revision < $4`,
		r.SiteID, r.Country, r.State, e.Revision, p.Name, p.Percentage, p.Inclusive)
	if err != nil {
		return fmt.Errorf("patch tax rate %s: %w", r.Key(), err)
	}
	return nil
}
