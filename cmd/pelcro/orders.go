package main

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// orderCatalog is the order commands' catalog: the commerce catalog, and the site's SKUs from the
// catalog read models.
type orderCatalog struct {
	commerceCatalog
}

// orderCommands are the e-commerce order commands selling from the catalog's read models and paying
// through the invoices.
func orderCommands(deps *dependencies, invoices commands.Invoices) commands.Orders {
	catalog := orderCatalog{deps.commerceCatalog()}
	return commands.Orders{Store: deps.EventStore, Invoices: invoices, Catalog: catalog, Names: deps.Names,
		IDs:      commands.NewIDAllocator(deps.EventStore, commands.IDKindOrder, commands.IDAllocatorConfig{}),
		Pricer:   commands.Pricer{Catalog: catalog, Store: deps.EventStore},
		Segments: skuSegmentRule(deps.segments())}
}

// SellsProducts is the site's ecommerce_enabled; a site the catalog does not hold sells nothing.
func (c orderCatalog) SellsProducts(ctx context.Context, siteID int64) (bool, error) {
	site, err := c.sales.Site(ctx, siteID)
	if errors.Is(err, queries.ErrNotFound) {
		return false, nil
	}
	return site.EcommerceEnabled, err
}

// SKU maps a SKU and its product. Its inventory is the stock level the stock streams count down from; a SKU
// without one is unlimited.
func (c orderCatalog) SKU(ctx context.Context, siteID, skuID int64) (commands.SaleSKU, error) {
	sku, err := c.reads.SaleSKU(ctx, siteID, skuID)
	if errors.Is(err, queries.ErrNotFound) {
		return commands.SaleSKU{}, commands.ErrSKUNotFound
	}
	if err != nil {
		return commands.SaleSKU{}, err
	}
	return commands.SaleSKU{ID: sku.ID, ProductID: sku.EcommerceProductID, SiteID: sku.SiteID, Name: sku.Name,
		Price: sku.Price, Currency: sku.Currency, Stock: stockLevel(sku.Inventory),
		Shippable: sku.Shippable, Countries: sku.Countries, SegmentIDs: sku.SegmentIDs}, nil
}

// stockLevel is the stock level of a SKU's inventory: nil is no limit.
func stockLevel(inventory *int64) stock.Level {
	if inventory == nil {
		return stock.Level{Unlimited: true}
	}
	return stock.Level{Inventory: *inventory}
}

// skuSegmentRule is rule 12 for orders: a SKU restricted to segments the customer is not in is refused as
// if the site did not sell it.
func skuSegmentRule(segments queries.Segments) func(context.Context, commands.Target, commands.SaleSKU) error {
	return func(ctx context.Context, who commands.Target, sku commands.SaleSKU) error {
		if len(sku.SegmentIDs) == 0 {
			return nil
		}
		allowed, err := segments.SKUAllowed(ctx, who.SiteID, who.CustomerID, sku.ID)
		if err != nil || !allowed {
			return cmp.Or(err, commands.ErrSKUNotFound)
		}
		return nil
	}
}

// orderExpiry is the order expiry over the installation's commands and orders read model.
func orderExpiry(cfg config.Config, deps *dependencies, log *slog.Logger) billing.OrderExpiry {
	_, _, invoices := paymentCommands(deps, paymentGateways(cfg, deps, log))
	return billing.OrderExpiry{DB: deps.ReadModels, Expirer: orderCommands(deps, invoices)}
}

// startOrderExpiry gives back, every cfg.BillingInterval until the returned stop is called (0: never), the
// units of the orders nobody finished by their deadline (billing.OrderExpiry).
func startOrderExpiry(cfg config.Config, deps *dependencies, log *slog.Logger) (stop func()) {
	if cfg.BillingInterval <= 0 {
		return func() {}
	}
	expiry := orderExpiry(cfg, deps, log)
	expiry.Report = func(r commands.OrderResult) { log.Info("order expiry", "order", orderLine(r.Order)) }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		expiry.Every(ctx, cfg.BillingInterval, time.Now, func(err error) { log.Error("order expiry", "err", err) })
	}()
	return func() { cancel(); <-done }
}
