package queries

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// StockVersions counts the changes the stock read model (stock_levels.v1) reached, read at one instant: all
// of them, and those of the SKUs given (projections.Runner.KeyedDataVersion over the stock projection).
// Neither count may ever decrease. Without SKUs it is read on every request answered from memory, so it
// must be cheap then (the runner's is one atomic load).
type StockVersions func(skuIDs []int64) (all, these uint64)

// shopCache keeps each site's e-commerce products (its shop, with every SKU's stock left) while neither
// the catalog (version) nor the stock of one of the SKUs it shows moved: a sale drops the answer of the
// site selling the SKU, and every other site's stays.
type shopCache struct {
	version func() uint64
	stock   StockVersions

	mu      sync.Mutex
	answers map[int64]*shopAnswer
}

// shopAnswer is one site's products, loaded at catalog version catalogAt when the stock of its SKUs (skuIDs)
// stood at stockAt.
type shopAnswer struct {
	products  []EcommerceProduct
	skuIDs    []int64
	catalogAt uint64
	stockAt   uint64
	// stockAllAt is the count of all stock changes at which the SKUs' count was last found at stockAt:
	// while the count of all stays there, nothing sold anywhere and the SKUs need not be counted again.
	stockAllAt atomic.Uint64
	loadedAt   time.Time
}

// EcommerceProducts is Catalog.EcommerceProducts, cached until the catalog or the stock of one of the site's
// SKUs changes.
func (c *CachedCatalog) EcommerceProducts(ctx context.Context, siteID int64) ([]EcommerceProduct, error) {
	return c.shops.products(siteID, func() ([]EcommerceProduct, error) { return c.catalog.EcommerceProducts(ctx, siteID) })
}

// products answers the site's products from memory while they hold, else loads them. The answer is kept
// only when no catalog or stock change landed during the load, which it may or may not show.
func (c *shopCache) products(siteID int64, load func() ([]EcommerceProduct, error)) ([]EcommerceProduct, error) {
	version := c.version()
	c.mu.Lock()
	answer := c.answers[siteID]
	c.mu.Unlock()
	if answer != nil && answer.catalogAt == version && time.Since(answer.loadedAt) < maxAnswerAge &&
		answer.stockHolds(c.stock) {
		return answer.products, nil
	}
	stockBefore, _ := c.stock(nil)
	products, err := load()
	if err != nil {
		return products, err
	}
	answer = &shopAnswer{products: products, skuIDs: skuIDsOf(products), catalogAt: version, loadedAt: time.Now()}
	stockAfter, these := c.stock(answer.skuIDs)
	if stockAfter != stockBefore || c.version() != version {
		return products, nil
	}
	answer.stockAt = these
	answer.stockAllAt.Store(stockAfter)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.answers) >= maxCachedAnswers {
		c.answers = map[int64]*shopAnswer{}
	}
	c.answers[siteID] = answer
	return products, nil
}

// stockHolds tells whether the stock of the answer's SKUs is still where it was loaded. While no stock
// change landed anywhere since it was last found so, one count tells (the cheap path of every request);
// else the SKUs' changes are counted, once per change elsewhere: unmoved, they mark the answer as holding
// at the new count of all.
func (a *shopAnswer) stockHolds(stock StockVersions) bool {
	if all, _ := stock(nil); all == a.stockAllAt.Load() {
		return true
	}
	all, these := stock(a.skuIDs)
	if these != a.stockAt {
		return false
	}
	a.stockAllAt.Store(all)
	return true
}

// skuIDsOf are the ids of every SKU the products show.
func skuIDsOf(products []EcommerceProduct) []int64 {
	var ids []int64
	for _, p := range products {
		for _, sku := range p.SKUs {
			ids = append(ids, sku.ID)
		}
	}
	return ids
}
