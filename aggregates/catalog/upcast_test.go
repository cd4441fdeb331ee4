package catalog_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// TestOldEventsReadAsTheyMeant decodes events as stored in each version: a field whose default is true
// (added later) reads true, a SKU's inventory reads as it was stored (unlimited only when null).
func TestOldEventsReadAsTheyMeant(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, event, data string
		version           int
		want              func(any) bool
	}{
		{"a plan of version 1 is available online", "catalog.plan_defined", `{"plan_id":1,"nickname":"Monthly"}`, 1,
			func(e any) bool { return e.(catalog.PlanDefined).AvailableOnline }},
		{"a plan of version 2 keeps what it says", "catalog.plan_defined", `{"plan_id":1,"available_online":false}`, 2,
			func(e any) bool { return !e.(catalog.PlanDefined).AvailableOnline }},
		{"a product of version 1 is active", "catalog.product_defined", `{"product_id":1,"name":"Digital"}`, 1,
			func(e any) bool { return e.(catalog.ProductDefined).Active }},
		{"a product of version 2 keeps what it says", "catalog.product_defined", `{"product_id":1,"active":false}`, 2,
			func(e any) bool { return !e.(catalog.ProductDefined).Active }},
		{"a change of version 1 changes nothing of it", "catalog.plan_changed", `{"plan_id":1,"changes":{}}`, 1,
			func(e any) bool { return e.(catalog.PlanChanged).Changes.AvailableOnline == nil }},
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
			// then the field reads as expected
			if err != nil || !tt.want(event) {
				t.Fatalf("decoded %+v, %v", event, err)
			}
		})
	}
}
