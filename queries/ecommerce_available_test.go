package queries_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// TestTheProductListSubtractsTheStockSoldAndHeld reads what stock_levels.v1 keeps against the catalog's
// inventory, directly and behind the cache, whose product answers move with the stock of their SKUs alone.
func TestTheProductListSubtractsTheStockSoldAndHeld(t *testing.T) {
	t.Parallel()
	// given the fixture shop (Red: 10 units, Blue: 3) behind a cache whose versions the test controls
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(catalogtest.Catalog()))
	var catalogVersion atomic.Uint64
	stock := &stockChanges{}
	direct := queries.NewCatalog(env.DB)
	cached := queries.NewCachedCatalog(direct, catalogVersion.Load, stock.versions)
	available := func(q interface {
		EcommerceProducts(context.Context, int64) ([]queries.EcommerceProduct, error)
	}) map[int64]int64 {
		t.Helper()
		return available(t, q, catalogtest.OtherSiteID)
	}
	red, blue := catalogtest.EcommerceSKUID, catalogtest.EcommerceSKU2ID
	if got := available(cached); got[red] != 10 || got[blue] != 3 {
		t.Fatalf("nothing ordered: available %v, want the inventories", got)
	}

	// when Red has 4 units sold and 2 held, and Blue more sold than its inventory (lowered by an import)
	if _, err := env.DB.Exec(`INSERT INTO stock_levels (sku_id, sold, held, revision) VALUES ($1, 4, 2, 3), ($2, 2, 5, 4)`,
		red, blue); err != nil {
		t.Fatal(err)
	}
	// then the list subtracts them, never below 0
	if got := available(direct); got[red] != 4 || got[blue] != 0 {
		t.Fatalf("available %v, want Red 4 and Blue 0", got)
	}
	// and the cache keeps its answer until the stock of one of its SKUs moves, then shows them too
	if got := available(cached); got[red] != 10 {
		t.Fatalf("cached before the stock version moved: %v", got)
	}
	stock.sale(red)
	if got := available(cached); got[red] != 4 || got[blue] != 0 {
		t.Fatalf("cached after the stock version moved: %v, want Red 4 and Blue 0", got)
	}
}
