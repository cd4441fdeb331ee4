package catalogfile_test

import (
	"fmt"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
)

func TestParseReadsASKUWithoutInventoryAsUnlimited(t *testing.T) {
	t.Parallel()
	// given SKUs whose inventory is left out, null, zero and a number; when they are parsed
	c, err := catalogfile.Parse("c.yaml", []byte(validHead+`ecommerce_products:
  - id: 301
    site_id: 1232
    name: Tote bag
    skus:
      - { id: 1, name: Left out, price: 100, currency: usd }
      - { id: 2, name: Given null, price: 100, currency: usd, inventory: null }
      - { id: 3, name: Zero, price: 100, currency: usd, inventory: 0 }
      - { id: 4, name: Forty, price: 100, currency: usd, inventory: 40 }
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	// then the first two are unlimited (no inventory), the others keep their number
	want := []string{"unlimited", "unlimited", "0", "40"}
	for i, sku := range c.EcommerceProducts[0].SKUs {
		got := "unlimited"
		if sku.Inventory != nil {
			got = fmt.Sprint(*sku.Inventory)
		}
		if got != want[i] {
			t.Errorf("SKU %d: inventory %s, want %s", sku.ID, got, want[i])
		}
	}
}
