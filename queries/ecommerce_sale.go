package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// SaleSKU is a SKU with what selling it takes: its product's shippable flag and countries, and the
// segments it is restricted to (empty: everybody).
type SaleSKU struct {
	SKU
	SiteID     int64         `db:"site_id"`
	Shippable  bool          `db:"shippable"`
	Countries  Strings       `db:"countries"`
	SegmentIDs pq.Int64Array `db:"segment_ids"`
}

// SaleSKU returns the site's SKU of that id with its product's rules, or ErrNotFound (unknown, or another
// site's).
func (c *Catalog) SaleSKU(ctx context.Context, siteID, skuID int64) (SaleSKU, error) {
	var sku SaleSKU
	err := c.db.GetContext(ctx, &sku, `SELECT s.id, s.ecommerce_product_id, s.name, s.price, s.currency,
		s.inventory, s.site_id, s.segment_ids, p.shippable, array_to_json(p.countries) AS countries
		FROM catalog_skus s JOIN catalog_ecommerce_products p ON p.id = s.ecommerce_product_id
		WHERE s.site_id = $1 AND s.id = $2`, siteID, skuID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return SaleSKU{}, ErrNotFound
	case err != nil:
		return SaleSKU{}, fmt.Errorf("queries: SKU %d of site %d: %w", skuID, siteID, err)
	}
	return sku, nil
}

// SKUAllowed is PlanAllowed for the site's SKU of that id.
func (s Segments) SKUAllowed(ctx context.Context, siteID, customerID, skuID int64) (bool, error) {
	return s.allowed(ctx, `SELECT segment_ids FROM catalog_skus WHERE site_id = $1 AND id = $2`, siteID, customerID, skuID)
}
