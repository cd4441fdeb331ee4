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
}

// selectSKUs reads the SKUs of the site bound as $1; the caller may append conditions after an AND.
const selectSKUs = `SELECT id, ecommerce_product_id, name, price, currency, inventory FROM catalog_skus WHERE site_id = $1`

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
