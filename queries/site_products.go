package queries

import (
	"context"
	"fmt"
)

// SiteCatalog is GET /site's answer (spec 3.2): the site with its subscription products.
type SiteCatalog struct {
	Site
	Products []SiteProduct `json:"products"`
}

// SiteProduct is a subscription product (spec 3.4) as the site lists it: the product with the plans on sale
// to everybody, each the full plan GET /plan answers (its product embedded), by id. Plans restricted to
// segments are left out (the segment endpoints list them to the customers they are for), and so are retired
// plans (no longer on sale; GET /plan still answers them, for the subscriptions that hold them).
type SiteProduct struct {
	Product
	Plans []Plan `json:"plans"`
}

// selectProducts reads the products of the site $1, by id.
const selectProducts = `SELECT ` + productColumns + ` FROM catalog_products pr WHERE pr.site_id = $1 ORDER BY pr.id`

// publicPlans is the condition of selectPlans that keeps the plans on sale to everybody.
const publicPlans = `p.active AND cardinality(p.segment_ids) = 0`

// SiteCatalog returns the site with the id and every product of it, or ErrNotFound.
func (c *Catalog) SiteCatalog(ctx context.Context, id int64) (*SiteCatalog, error) {
	site, err := c.Site(ctx, id)
	if err != nil {
		return nil, err
	}
	products, err := c.siteProducts(ctx, id)
	if err != nil {
		return nil, err
	}
	return &SiteCatalog{Site: site, Products: products}, nil
}

// siteProducts are the products of the site with their public plans ([] when none).
func (c *Catalog) siteProducts(ctx context.Context, siteID int64) ([]SiteProduct, error) {
	var rows []struct {
		Product Product `db:"product"`
	}
	if err := c.db.SelectContext(ctx, &rows, selectProducts, siteID); err != nil {
		return nil, fmt.Errorf("queries: products of site %d: %w", siteID, err)
	}
	plans, err := c.plans(ctx, publicPlans, siteID)
	if err != nil {
		return nil, err
	}
	products := make([]SiteProduct, len(rows))
	at := make(map[int64]int, len(rows))
	for i, row := range rows {
		products[i] = SiteProduct{Product: row.Product, Plans: []Plan{}}
		at[row.Product.ID] = i
	}
	for _, plan := range plans { // ordered by id, so each product's plans are too
		if i, ok := at[plan.ProductID]; ok {
			products[i].Plans = append(products[i].Plans, plan)
		}
	}
	return products, nil
}
