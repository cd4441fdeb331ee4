package queries_test

import (
	"context"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// stockChanges stands for the stock projection's change counts (queries.StockVersions): the test tells
// which SKU's stock a sale moved.
type stockChanges struct {
	mu    sync.Mutex
	all   uint64
	bySKU map[int64]uint64
}

func (s *stockChanges) sale(skuID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bySKU == nil {
		s.bySKU = map[int64]uint64{}
	}
	s.all++
	s.bySKU[skuID]++
}

func (s *stockChanges) versions(skuIDs []int64) (all, these uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range skuIDs {
		these += s.bySKU[id]
	}
	return s.all, these
}

// available reads the SKUs' stock left on the site's shop, as q answers it.
func available(t *testing.T, q interface {
	EcommerceProducts(context.Context, int64) ([]queries.EcommerceProduct, error)
}, siteID int64) map[int64]int64 {
	t.Helper()
	products, err := q.EcommerceProducts(t.Context(), siteID)
	if err != nil || len(products) != 1 {
		t.Fatalf("products of site %d = %+v, %v", siteID, products, err)
	}
	got := map[int64]int64{}
	for _, sku := range products[0].SKUs {
		if sku.Available == nil {
			t.Fatalf("SKU %d of limited inventory reads available null", sku.ID)
		}
		got[sku.ID] = *sku.Available
	}
	return got
}

// TestASaleDropsOnlyTheCachedShopOfItsSite: the product list of a site is kept until the stock of one of
// its own SKUs moves, so a sale on one site leaves the other sites' answers in memory.
func TestASaleDropsOnlyTheCachedShopOfItsSite(t *testing.T) {
	t.Parallel()
	// given two shops behind the cache: site A sells Red (10 units), site B Green (5 units)
	const greenSKU = int64(401)
	c := catalogtest.Catalog()
	c.EcommerceProducts = append(c.EcommerceProducts, catalog.EcommerceProduct{ID: 40, SiteID: catalogtest.SiteID,
		EcommerceProductAttributes: catalog.EcommerceProductAttributes{Name: "Mug"},
		SKUs: []catalog.SKU{{ID: greenSKU, SKUAttributes: catalog.SKUAttributes{Name: "Green", Price: 1200,
			Currency: "usd", Inventory: new(int64(5))}}}})
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(c))
	stock := &stockChanges{}
	cached := queries.NewCachedCatalog(queries.NewCatalog(env.DB), func() uint64 { return 0 }, stock.versions)
	siteA, siteB, red := catalogtest.OtherSiteID, catalogtest.SiteID, catalogtest.EcommerceSKUID
	if a, b := available(t, cached, siteA), available(t, cached, siteB); a[red] != 10 || b[greenSKU] != 5 {
		t.Fatalf("nothing sold: A %v, B %v", a, b)
	}

	// when 4 Red sell on site A, while B's table rows move under its cached answer without a sale of its
	// own (so that an answer loaded again would show it)
	if _, err := env.DB.Exec(`INSERT INTO stock_levels (sku_id, sold, held, revision) VALUES ($1, 4, 0, 1), ($2, 2, 0, 1)`,
		red, greenSKU); err != nil {
		t.Fatal(err)
	}
	stock.sale(red)

	// then site A shows the Red left at once, and site B's answer is the one it kept
	if got := available(t, cached, siteA); got[red] != 6 {
		t.Errorf("site A after its sale: %v, want Red 6", got)
	}
	if got := available(t, cached, siteB); got[greenSKU] != 5 {
		t.Errorf("site B after a sale on site A: %v, want its cached Green 5 (dropped by another site's sale)", got)
	}
	// and a sale of Green drops B's answer in turn
	stock.sale(greenSKU)
	if got := available(t, cached, siteB); got[greenSKU] != 3 {
		t.Errorf("site B after its own sale: %v, want Green 3", got)
	}
}

// TestAStockChangeCountedDuringTheLoadIsNotKept: a sale counted while the site's products load may or may not
// show in what was read, so that answer is given but not kept: the next request reads the shop again.
func TestAStockChangeCountedDuringTheLoadIsNotKept(t *testing.T) {
	t.Parallel()
	// given a shop selling Red (10 units) behind the cache, and a sale of Red counted during the first load
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(catalogtest.Catalog()))
	site, red := catalogtest.OtherSiteID, catalogtest.EcommerceSKUID
	stock := &stockChanges{}
	var duringTheLoad sync.Once
	versions := func(skuIDs []int64) (all, these uint64) {
		all, these = stock.versions(skuIDs)
		duringTheLoad.Do(func() { stock.sale(red) }) // the first read is the one before the load
		return all, these
	}
	cached := queries.NewCachedCatalog(queries.NewCatalog(env.DB), func() uint64 { return 0 }, versions)
	if got := available(t, cached, site); got[red] != 10 {
		t.Fatalf("the first load: %v, want Red 10", got)
	}

	// when the stock moves without another change counted
	if _, err := env.DB.Exec(`INSERT INTO stock_levels (sku_id, sold, held, revision) VALUES ($1, 4, 0, 1)`, red); err != nil {
		t.Fatal(err)
	}

	// then the next request reads it: the first answer was not kept
	if got := available(t, cached, site); got[red] != 6 {
		t.Errorf("after a load a sale was counted during: %v, want Red 6 (the answer of that load was kept)", got)
	}
}

// TestACachedShopSumsItsSKUsOncePerStockChange: a request answered from memory reads only the stock's
// total count while nothing sold anywhere; after a sale elsewhere the site's SKUs are counted once, and the
// requests after that are back to the total alone.
func TestACachedShopSumsItsSKUsOncePerStockChange(t *testing.T) {
	t.Parallel()
	// given a shop behind the cache, loaded once
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(catalogtest.Catalog()))
	site := catalogtest.OtherSiteID
	stock := &stockChanges{}
	var mu sync.Mutex
	sums := 0 // the reads that counted SKUs
	versions := func(skuIDs []int64) (all, these uint64) {
		if len(skuIDs) > 0 {
			mu.Lock()
			sums++
			mu.Unlock()
		}
		return stock.versions(skuIDs)
	}
	summed := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := sums
		sums = 0
		return n
	}
	cached := queries.NewCachedCatalog(queries.NewCatalog(env.DB), func() uint64 { return 0 }, versions)
	available(t, cached, site)
	summed()
	// when it is asked for again and again with nothing sold, then no request counts its SKUs
	for range 3 {
		available(t, cached, site)
	}
	if n := summed(); n != 0 {
		t.Errorf("requests answered from memory with nothing sold counted SKUs %d times, want 0", n)
	}
	// when a SKU of no product of the site sells, then the next request counts them once, and no one after
	stock.sale(999)
	available(t, cached, site)
	if n := summed(); n != 1 {
		t.Errorf("the request after a sale elsewhere counted SKUs %d times, want 1", n)
	}
	for range 3 {
		available(t, cached, site)
	}
	if n := summed(); n != 0 {
		t.Errorf("requests after that counted SKUs %d times, want 0", n)
	}
}
