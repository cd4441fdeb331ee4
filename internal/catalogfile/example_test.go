package catalogfile_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
)

// exampleFile is the example catalog shipped with the repository; it doubles as the fuzz seed.
const exampleFile = "../../examples/catalog.yaml"

func TestTheExampleCatalogIsValid(t *testing.T) {
	t.Parallel()
	c, err := catalogfile.ParseFile(exampleFile)
	if err != nil {
		t.Fatalf("ParseFile: %v", err)
	}
	if len(c.Accounts) != 1 || len(c.Sites) != 2 || len(c.Products) != 3 || len(c.Coupons) != 3 ||
		len(c.EcommerceProducts) != 2 || len(c.TaxRates) != 3 {
		t.Fatalf("unexpected entity counts: %+v", c)
	}
	campus := c.Products[0].Plans[3]
	if campus.ID != 4052 || campus.Domains[1] != "*.example.edu" || campus.IPAddresses[2] != "2001:db8::/48" || !campus.IsActive() {
		t.Fatalf("campus plan = %+v", campus)
	}
	if retired := c.Products[0].Plans[2]; retired.IsActive() {
		t.Fatalf("plan 4054 says active: false but reads as active")
	}
}
