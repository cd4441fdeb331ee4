package transport

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

func TestEveryBadCartItemIsNamedWithWhatIsWrong(t *testing.T) {
	t.Parallel()
	const good = `{"sku_id":9101,"quantity":1}`
	cases := []struct {
		name  string
		items string
		want  map[string][]i18n.MessageID
	}{
		{"items absent", ``, map[string][]i18n.MessageID{"items": {i18n.Required("items")}}},
		{"items empty", `[]`, map[string][]i18n.MessageID{"items": {i18n.Required("items")}}},
		{"items an object", `{"sku_id":1,"quantity":1}`, map[string][]i18n.MessageID{"items": {i18n.OrderItemInvalid}}},
		{"items a text", `"9101"`, map[string][]i18n.MessageID{"items": {i18n.OrderItemInvalid}}},
		{"second item without quantity", `[` + good + `,{"sku_id":9101}]`,
			map[string][]i18n.MessageID{"items.1.quantity": {i18n.Required("items.1.quantity")}}},
		{"first item without sku_id, null quantity", `[{"quantity":null},` + good + `]`,
			map[string][]i18n.MessageID{"items.0.sku_id": {i18n.Required("items.0.sku_id")},
				"items.0.quantity": {i18n.Required("items.0.quantity")}}},
		{"an item that is no object", `[` + good + `,7]`,
			map[string][]i18n.MessageID{"items.1.sku_id": {i18n.Required("items.1.sku_id")},
				"items.1.quantity": {i18n.Required("items.1.quantity")}}},
		{"sku_id a word", `[{"sku_id":"x","quantity":1}]`,
			map[string][]i18n.MessageID{"items.0.sku_id": {i18n.OrderItemSKUInteger}}},
		{"sku_id a fraction", `[{"sku_id":1.5,"quantity":1}]`,
			map[string][]i18n.MessageID{"items.0.sku_id": {i18n.OrderItemSKUInteger}}},
		{"sku_id beyond int32", `[{"sku_id":2147483648,"quantity":1}]`,
			map[string][]i18n.MessageID{"items.0.sku_id": {i18n.OrderItemSKUInteger}}},
		{"sku_id zero", `[{"sku_id":0,"quantity":1}]`,
			map[string][]i18n.MessageID{"items.0.sku_id": {i18n.OrderItemSKUMin}}},
		{"quantity a boolean", `[{"sku_id":1,"quantity":true}]`,
			map[string][]i18n.MessageID{"items.0.quantity": {i18n.OrderItemQuantityInteger}}},
		{"quantity zero, third item", `[` + good + `,` + good + `,{"sku_id":1,"quantity":0}]`,
			map[string][]i18n.MessageID{"items.2.quantity": {i18n.OrderItemQuantityBetween}}},
		{"quantity 10001 and sku_id -1", `[{"sku_id":-1,"quantity":10001}]`,
			map[string][]i18n.MessageID{"items.0.sku_id": {i18n.OrderItemSKUMin},
				"items.0.quantity": {i18n.OrderItemQuantityBetween}}},
		{"quantity beyond int64", `[{"sku_id":1,"quantity":99999999999999999999}]`,
			map[string][]i18n.MessageID{"items.0.quantity": {i18n.OrderItemQuantityBetween}}},
		{"quantity as text", `[{"sku_id":"9101","quantity":"10000"}]`, map[string][]i18n.MessageID{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a cart whose items are tc.items
			members := map[string]json.RawMessage{}
			if tc.items != "" {
				members["items"] = json.RawMessage(tc.items)
			}
			// when it is read
			_, failures := cartInput(paramsFromJSON(members))
			// then each bad field of each item is named by its index with what is wrong with it
			if !maps.EqualFunc(failures, tc.want, slices.Equal[[]i18n.MessageID]) {
				t.Fatalf("failures = %v, want %v", failures, tc.want)
			}
			// and every message has its text in every language
			for _, messages := range failures {
				for _, id := range messages {
					for _, lang := range i18n.Supported() {
						if i18n.Localize(lang, id) == string(id) {
							t.Errorf("%s: no %s text", id, lang)
						}
					}
				}
			}
		})
	}
}
