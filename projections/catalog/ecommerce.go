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
	a := e.Data.EcommerceProductAttributes
	return upsertRow(ctx, tx, "catalog_ecommerce_products", e.Data.EcommerceProductID, e.Revision, []column{
		{"site_id", e.Data.SiteID},
		{"name", a.Name},
		{"caption", a.Caption},
		{"description", a.Description},
		{"shippable", a.Shippable},
		{"countries", texts(a.Countries)},
		{"image", a.Image},
	})
}

func applyEcommerceProductChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.EcommerceProductChanged]) error {
	p := e.Data.Changes
	return patchRow(ctx, tx, "catalog_ecommerce_products", e.Data.EcommerceProductID, e.Revision, []column{
		{"name", p.Name},
		{"caption", p.Caption},
		{"description", p.Description},
		{"shippable", p.Shippable},
		{"countries", changedTexts(p.Countries)},
		{"image", p.Image},
	})
}

func applySKUDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SKUDefined]) error {
	a := e.Data.SKUAttributes
	return upsertRow(ctx, tx, "catalog_skus", e.Data.SKUID, e.Revision, []column{
		{"ecommerce_product_id", e.Data.EcommerceProductID},
		{"site_id", e.Data.SiteID},
		{"name", a.Name},
		{"price", a.Price},
		{"currency", a.Currency},
		{"inventory", a.Inventory},
	})
}

func applySKUChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SKUChanged]) error {
	p := e.Data.Changes
	return patchRow(ctx, tx, "catalog_skus", e.Data.SKUID, e.Revision, []column{
		{"name", p.Name},
		{"price", p.Price},
		{"currency", p.Currency},
		{"inventory", p.Inventory},
	})
}
