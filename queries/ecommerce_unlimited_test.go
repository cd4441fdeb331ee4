package queries_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// TestASKUWithoutInventoryReadsUnlimited follows one SKU's inventory through imports: limited, dropped
// (unlimited), given back; and a SKU defined without one.
func TestASKUWithoutInventoryReadsUnlimited(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog projected, its Red SKU limited to 10
	env := catalogtest.New(t)
	runner := env.Start()
	c := catalogtest.Catalog()
	env.Project(runner, c)
	q := queries.NewCatalog(env.DB)
	const newSKU = catalogtest.EcommerceSKUID + 100
	product := &c.EcommerceProducts[0]
	red := slices.IndexFunc(product.SKUs, func(s catalog.SKU) bool { return s.ID == catalogtest.EcommerceSKUID })

	steps := []struct {
		name   string
		change func()
		sku    int64
		want   *int64
	}{
		{"the file drops the inventory: unlimited", func() { product.SKUs[red].Inventory = nil },
			catalogtest.EcommerceSKUID, nil},
		{"the file gives it back", func() { product.SKUs[red].Inventory = new(int64(4)) },
			catalogtest.EcommerceSKUID, new(int64(4))},
		{"a new SKU without inventory", func() {
			product.SKUs = append(product.SKUs, catalog.SKU{ID: newSKU, SKUAttributes: catalog.SKUAttributes{
				Name: "Green", Price: 2500, Currency: "cad"}})
		}, newSKU, nil},
	}
	for _, step := range steps {
		// When the catalog is imported again with the change
		step.change()
		env.Project(runner, c)

		// Then the SKU reads with that inventory, for sale and in the shop's list
		sale, err := q.SaleSKU(context.Background(), catalogtest.OtherSiteID, step.sku)
		check(t, step.name+": for sale", sale.Inventory, err, step.want, nil)
		products, err := q.EcommerceProducts(context.Background(), catalogtest.OtherSiteID)
		if err != nil || len(products) != 1 {
			t.Fatalf("%s: products = %+v, %v", step.name, products, err)
		}
		listed := products[0].SKUs[slices.IndexFunc(products[0].SKUs, func(s queries.SKU) bool { return s.ID == step.sku })]
		check(t, step.name+": listed", listed.Inventory, nil, step.want, nil)
	}
}
