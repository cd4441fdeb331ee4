package catalog

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// EcommerceName is the e-commerce projection's name and checkpoint key. Warning: changing it replays the
// whole log into its tables (see projections.Projection.Name).
const EcommerceName = "catalog_ecommerce.v1"

// Ecommerce keeps catalog_ecommerce_products and catalog_skus (spec 2.10 #52, 3.4).
func Ecommerce() projections.Projection {
	return projections.Projection{
		Name:   EcommerceName,
		Tables: []string{"catalog_ecommerce_products", "catalog_skus"},
		Handlers: []projections.Handler{
			projections.On(applyEcommerceProductDefined),
			projections.On(applyEcommerceProductChanged),
			projections.On(applySKUDefined),
			projections.On(applySKUChanged),
		},
	}
}

func applyEcommerceProductDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.EcommerceProductDefined]) error {
	return upsertRow(ctx, tx, "catalog_ecommerce_products", e.Data.EcommerceProductID, e.Revision,
		append(attributeColumns(e.Data.EcommerceProductAttributes), column{"site_id", e.Data.SiteID}))
}

func applyEcommerceProductChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.EcommerceProductChanged]) error {
	return patchRow(ctx, tx, "catalog_ecommerce_products", e.Data.EcommerceProductID, e.Revision, patchColumns(e.Data.Changes))
}

func applySKUDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SKUDefined]) error {
	return upsertRow(ctx, tx, "catalog_skus", e.Data.SKUID, e.Revision, append(attributeColumns(e.Data.SKUAttributes),
		column{"ecommerce_product_id", e.Data.EcommerceProductID}, column{"site_id", e.Data.SiteID}))
}

func applySKUChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SKUChanged]) error {
	return patchRow(ctx, tx, "catalog_skus", e.Data.SKUID, e.Revision, patchColumns(e.Data.Changes))
}
