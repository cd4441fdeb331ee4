package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// hotSKU is the one SKU every buyer of the order benchmark orders: every order appends to its stock stream,
// the hottest stream the API writes. Its inventory outlasts any phase, so every order is sold; the
// stock check after the phases proves none was sold twice.
const (
	hotSKU          = 9301
	hotSKUInventory = 10_000_000
)

// withShop adds the benchmark's shop to c: the site sells (ecommerce_enabled), one e-commerce product of
// it, not shippable, with the hot SKU at 10.00 usd.
func withShop(c catalog.Catalog) catalog.Catalog {
	for i := range c.Sites {
		if c.Sites[i].ID == siteID {
			c.Sites[i].EcommerceEnabled = true
		}
	}
	c.EcommerceProducts = append(c.EcommerceProducts, catalog.EcommerceProduct{ID: 301, SiteID: siteID,
		EcommerceProductAttributes: catalog.EcommerceProductAttributes{Name: "Signed print"},
		SKUs: []catalog.SKU{{ID: hotSKU, SKUAttributes: catalog.SKUAttributes{Name: "Signed print", Price: 1000,
			Currency: "usd", Inventory: new(int64(hotSKUInventory))}}}})
	return c
}

// hotOrder is POST /ecommerce/order for c: one unit of the hot SKU, paid with the sandbox's tok_visa.
func hotOrder(base string, c signedIn) httpload.Request {
	return authorized(c, httpload.Request{Method: http.MethodPost, Status: http.StatusOK,
		URL:  fmt.Sprintf("%s/api/v1/sdk/ecommerce/order?site_id=%d", base, siteID),
		Body: fmt.Appendf(nil, `{"items":[{"sku_id":%d,"quantity":1}],"gateway_token":"tok_visa"}`, hotSKU)})
}

// stockCheck is the oversell check: the units the hot SKU's stock stream sold, the orders paid (as their
// streams recorded them, counted from the orders read model once it caught up) and the units still held.
type stockCheck struct {
	sold, held, paid int64
}

// checkStock reads the hot SKU's stock stream and counts the paid orders.
func checkStock(ctx context.Context, db *benchenv.Database) (stockCheck, error) {
	s, err := commands.Orders{Store: db.Store}.ReadStock(ctx, hotSKU)
	if err != nil {
		return stockCheck{}, err
	}
	check := stockCheck{sold: s.Sold, held: s.HeldUnits()}
	err = db.DB.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE status = 'paid'`).Scan(&check.paid)
	return check, err
}
