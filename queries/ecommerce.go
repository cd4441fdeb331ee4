package queries

import (
	"context"
	"fmt"
)

// EcommerceProduct is an e-commerce product with its SKUs (spec 3.4, endpoint 52).
type EcommerceProduct struct {
	ID          int64   `db:"id" json:"id"`
	Name        string  `db:"name" json:"name"`
	Caption     string  `db:"caption" json:"caption"`
	Description string  `db:"description" json:"description"`
	Shippable   bool    `db:"shippable" json:"shippable"`
	Countries   Strings `db:"countries" json:"countries"`
	Image       string  `db:"image" json:"image"`
	SKUs        []SKU   `db:"-" json:"skus"`
}

// SKU is one sellable variant of an e-commerce product, with its own price, currency and inventory.
type SKU struct {
	ID                 int64  `db:"id" json:"id"`
	EcommerceProductID int64  `db:"ecommerce_product_id" json:"product_id"`
	Name               string `db:"name" json:"name"`
	Price              int64  `db:"price" json:"price"`
	Currency           string `db:"currency" json:"currency"`
	// Inventory is the units orders may sell in all; nil (null) is no limit.
	Inventory *int64 `db:"inventory" json:"inventory"`
	// Available is what an order could take now: Inventory less the units sold and those held by orders
	// not settled yet (stock_levels.v1), never below 0; nil (null) for an unlimited SKU. It is what the
	// stock read model shows, which trails the SKU's stock stream by moments: an order is still decided on
	// the stream, so it may be refused as out of stock while this says otherwise, never oversold.
	Available *int64 `db:"available" json:"available"`
}

// selectSKUs reads the SKUs of the site bound as $1 with their stock left; the caller may append conditions
// after an AND (on catalog_skus' columns: stock_levels shares none of their names but sku_id).
const selectSKUs = `SELECT id, ecommerce_product_id, name, price, currency, inventory,
	CASE WHEN inventory IS NOT NULL THEN GREATEST(inventory - COALESCE(l.sold, 0) - COALESCE(l.held, 0), 0) END
		AS available
	FROM catalog_skus LEFT JOIN stock_levels l ON l.sku_id = catalog_skus.id WHERE site_id = $1`

// EcommerceProducts returns every e-commerce product of the site with its SKUs, both ordered by id; an
// empty list when it has none, or when the site does not sell (its ecommerce_enabled is off: the catalog
// may hold a shop being prepared, which nobody can order from yet, so none of it is shown).
func (c *Catalog) EcommerceProducts(ctx context.Context, siteID int64) ([]EcommerceProduct, error) {
	products := []EcommerceProduct{}
	err := c.db.SelectContext(ctx, &products, `SELECT id, name, caption, description, shippable,
		array_to_json(countries) AS countries, image
		FROM catalog_ecommerce_products WHERE site_id = $1
		AND EXISTS (SELECT 1 FROM catalog_sites s WHERE s.id = $1 AND s.ecommerce_enabled) ORDER BY id`, siteID)
	if err != nil {
		return nil, fmt.Errorf("queries: e-commerce products of site %d: %w", siteID, err)
	}
	if len(products) == 0 {
		return products, nil
	}
	var skus []SKU
	err = c.db.SelectContext(ctx, &skus, selectSKUs+` ORDER BY id`, siteID)
	if err != nil {
		return nil, fmt.Errorf("queries: SKUs of site %d: %w", siteID, err)
	}
	byProduct := map[int64][]SKU{}
	for _, sku := range skus {
		byProduct[sku.EcommerceProductID] = append(byProduct[sku.EcommerceProductID], sku)
	}
	for i := range products {
		products[i].SKUs = byProduct[products[i].ID]
		if products[i].SKUs == nil {
			products[i].SKUs = []SKU{}
		}
	}
	return products, nil
}
