package catalog_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

func TestEventsWrittenBeforeADefaultTrueFieldReadAsTrue(t *testing.T) {
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
