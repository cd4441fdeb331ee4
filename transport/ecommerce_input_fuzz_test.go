package transport

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// FuzzOrderInput feeds arbitrary bodies through what #53 and #54 decode. None may panic; every field error
// names a message every language defines; an accepted cart has 1 to order.MaxItems items, each a positive
// SKU id and a quantity the order aggregate accepts.
func FuzzOrderInput(f *testing.F) {
	f.Add("application/json", `{"items":[{"sku_id":9001,"quantity":2}],"coupon_code":"TOTE5","address_id":3,"gateway_token":"tok_visa"}`)
	f.Add("application/json", `{"items":[{"sku_id":1e3,"quantity":-1}],"source_id":"x","address_id":null}`)
	f.Add("application/json", `{"items":[{"sku_id":99999999999999999999,"quantity":1.5}],"coupon_code":{}}`)
	f.Add("application/x-www-form-urlencoded", "items=1&coupon_code=x&address_id=2")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		params, failure := decodeParams(contentType, "", strings.NewReader(body))
		if failure != nil {
			return
		}
		in, failures := orderInput(params)
		for field, messages := range failures {
			for _, m := range messages {
				if i18n.Localize(i18n.Korean, m) == string(m) {
					t.Fatalf("field %s has message %s, which no catalogue defines", field, m)
				}
			}
		}
		if len(failures) > 0 {
			return
		}
		if len(in.Items) < 1 || len(in.Items) > order.MaxItems {
			t.Fatalf("accepted %d items", len(in.Items))
		}
		for _, item := range in.Items {
			if item.SKUID < 1 || item.Quantity < 1 || item.Quantity > order.MaxQuantity {
				t.Fatalf("accepted the item %+v", item)
			}
		}
		if in.AddressID < 0 || in.SourceID < 0 {
			t.Fatalf("accepted ids %d, %d", in.AddressID, in.SourceID)
		}
	})
}
