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

func TestSKUEventsReadAsStored(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, event, data string
		version           int
		want              func(any) bool
	}{
		{"a version 1 SKU without inventory keeps none to sell, as before", "catalog.sku_defined",
			`{"sku_id":9001,"name":"Blue"}`, 1, func(e any) bool { return inventory(e.(catalog.SKUDefined).Inventory) == "0" }},
		{"a version 1 SKU keeps its inventory", "catalog.sku_defined",
			`{"sku_id":9001,"inventory":0}`, 1, func(e any) bool { return inventory(e.(catalog.SKUDefined).Inventory) == "0" }},
		{"a version 2 SKU with a null inventory is unlimited", "catalog.sku_defined",
			`{"sku_id":9001,"inventory":null}`, 2, func(e any) bool { return e.(catalog.SKUDefined).Inventory == nil }},
		{"a change without inventory leaves it unchanged", "catalog.sku_changed",
			`{"sku_id":9001,"changes":{"price":10}}`, 1, func(e any) bool { return e.(catalog.SKUChanged).Changes.Inventory == nil }},
		{"a change to a null inventory makes the SKU unlimited", "catalog.sku_changed",
			`{"sku_id":9001,"changes":{"inventory":null}}`, 1, func(e any) bool {
				c := e.(catalog.SKUChanged).Changes.Inventory
				return c != nil && *c == nil
			}},
		{"a change to an inventory sets it", "catalog.sku_changed",
			`{"sku_id":9001,"changes":{"inventory":7}}`, 1, func(e any) bool {
				c := e.(catalog.SKUChanged).Changes.Inventory
				return c != nil && inventory(*c) == "7"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given an event stored in that version; when it is decoded
			event, err := catalog.Events.Decode(tt.event, tt.version, []byte(tt.data))
			// then it reads as expected
			if err != nil || !tt.want(event) {
				t.Fatalf("decoded %+v, %v", event, err)
			}
		})
	}
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
