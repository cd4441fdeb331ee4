package catalog_test

import (
	"encoding/json"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// unlimitedTote is the blue tote of the fixtures without an inventory: no limit on the units sold.
func unlimitedTote() catalog.SKU {
	sku := blueTote()
	sku.Inventory = nil
	return sku
}

func TestASKUWithoutInventoryIsUnlimitedThroughItsEvents(t *testing.T) {
	t.Parallel()
	limited, negative := blueTote(), blueTote()
	negative.Inventory = ptr(int64(-1))
	unlimited := catalog.SKUDefined{SKURef: blueRef, SKUAttributes: unlimitedTote().SKUAttributes, DefinedAt: defineTime}
	product := toteDefined()[0]

	t.Run("a SKU defined without inventory is stored without one", func(t *testing.T) {
		ecommerceProducts.Given().When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.DefineEcommerceProduct(s, toteBag(unlimitedTote()), defineTime)
		}).Then(t, product, unlimited)
	})
	t.Run("a limited SKU whose inventory the file drops becomes unlimited", func(t *testing.T) {
		ecommerceProducts.Given(toteDefined()...).When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.ChangeEcommerceProduct(s, toteBag(unlimitedTote()), changeTime)
		}).Then(t, catalog.SKUChanged{SKURef: blueRef, Changes: catalog.SKUPatch{Inventory: new(*int64)}, ChangedAt: changeTime})
	})
	t.Run("an unlimited SKU given an inventory becomes limited", func(t *testing.T) {
		ecommerceProducts.Given(product, unlimited).When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.ChangeEcommerceProduct(s, toteBag(limited), changeTime)
		}).Then(t, catalog.SKUChanged{SKURef: blueRef, Changes: catalog.SKUPatch{Inventory: ptr(ptr(int64(100)))}, ChangedAt: changeTime})
	})
	t.Run("becoming unlimited twice is a no-op", func(t *testing.T) {
		became := catalog.SKUChanged{SKURef: blueRef, Changes: catalog.SKUPatch{Inventory: new(*int64)}, ChangedAt: changeTime}
		ecommerceProducts.Given(append(toteDefined(), became)...).When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.ChangeEcommerceProduct(s, toteBag(unlimitedTote()), changeTime)
		}).Then(t)
	})
	t.Run("a given inventory is still not negative", func(t *testing.T) {
		ecommerceProducts.Given().When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.DefineEcommerceProduct(s, toteBag(negative), defineTime)
		}).ThenError(t, catalog.ErrInvalid)
	})
}

func TestASKUPatchToUnlimitedSurvivesItsEncoding(t *testing.T) {
	t.Parallel()
	// given a patch making the SKU unlimited, and one changing only its price
	for _, patch := range []catalog.SKUPatch{{Inventory: new(*int64)}, {Price: ptr(int64(10))}} {
		// when it is encoded and decoded
		encoded, err := json.Marshal(patch)
		var decoded catalog.SKUPatch
		if err == nil {
			err = json.Unmarshal(encoded, &decoded)
		}
		// then it reads back the same
		if err != nil || (patch.Inventory == nil) != (decoded.Inventory == nil) {
			t.Fatalf("%s decoded as %+v, %v", encoded, decoded, err)
		}
	}
}

// inventory prints an inventory for comparisons: "unlimited" for none.
func inventory(i *int64) string {
	if i == nil {
		return "unlimited"
	}
	b, _ := json.Marshal(*i)
	return string(b)
}
