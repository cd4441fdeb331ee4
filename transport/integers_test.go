package transport

import (
	"fmt"
	"strings"
	"testing"
)

// TestIntegerFieldsFollowOneRule decodes an order's items, its address_id and source_id, and a
// subscription's plan_id with each way of writing an integer: every field accepts a whole JSON number
// however written and a string of digits, and refuses fractions, strings of anything else and other types.
// Items used to refuse 9207.0 and 1e3.
func TestIntegerFieldsFollowOneRule(t *testing.T) {
	t.Parallel()
	cases := []struct {
		written string
		want    int64 // 0: refused
	}{
		{`9207`, 9207}, {`"9207"`, 9207}, {`9207.0`, 9207}, {`9207.000`, 9207}, {`9.207e3`, 9207},
		{`92070E-1`, 9207}, {`1e3`, 1000}, {`1.5`, 0}, {`9207.5`, 0}, {`1e-3`, 0}, {`"9207.0"`, 0}, {`"1e3"`, 0},
		{`1e400`, 0}, {`true`, 0}, {`[9207]`, 0}, {`{}`, 0}, {`-9207.0`, 0}, {`0.0`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.written, func(t *testing.T) {
			t.Parallel()
			// when an order gives every integer field that way
			order := parse(t, fmt.Sprintf(`{"items":[{"sku_id":%[1]s,"quantity":%[1]s}],"address_id":%[1]s,"source_id":%[1]s}`,
				tc.written))
			in, failures := orderInput(order)
			sub, subFailures := subscriptionInput(parse(t, fmt.Sprintf(`{"plan_id":%s}`, tc.written)))
			// then each field has the value, or each is refused
			if tc.want == 0 {
				for _, field := range []string{"items.0.sku_id", "items.0.quantity", "address_id", "source_id"} {
					if len(failures[field]) == 0 {
						t.Errorf("order: %s %s accepted", field, tc.written)
					}
				}
				if len(subFailures["plan_id"]) == 0 {
					t.Errorf("subscription: plan_id %s accepted as %d", tc.written, sub.PlanID)
				}
				return
			}
			if len(failures) > 0 || in.Items[0].SKUID != tc.want || in.Items[0].Quantity != tc.want ||
				in.AddressID != tc.want || in.SourceID != tc.want {
				t.Errorf("order = %+v, %v; want every field %d", in, failures, tc.want)
			}
			if len(subFailures) > 0 || sub.PlanID != tc.want {
				t.Errorf("subscription plan_id = %d, %v; want %d", sub.PlanID, subFailures, tc.want)
			}
		})
	}
}

// parse decodes a JSON body as the API does.
func parse(t *testing.T, body string) Params {
	t.Helper()
	params, failure := decodeParams("application/json", "", strings.NewReader(body))
	if failure != nil {
		t.Fatalf("%s: %v", body, failure)
	}
	return params
}

// TestACardsExpiryFollowsTheIntegerRule: PUT /payment_methods/{id}'s exp_month and exp_year are integer
// fields too (they used to refuse 12.0).
func TestACardsExpiryFollowsTheIntegerRule(t *testing.T) {
	t.Parallel()
	cases := []struct {
		month, year string
		accepted    bool
	}{
		{`12`, `2030`, true}, {`12.0`, `2030.0`, true}, {`1.2e1`, `2.03e3`, true}, {`"12"`, `"2030"`, true},
		{`12.5`, `2030`, false}, {`"12.0"`, `2030`, false}, {`true`, `2030`, false},
	}
	for _, tc := range cases {
		t.Run(tc.month, func(t *testing.T) {
			t.Parallel()
			// when a card's expiry is written that way
			change, failures := cardChangeInput(parse(t, fmt.Sprintf(`{"payment_gateway":"stripe","exp_month":%s,"exp_year":%s}`,
				tc.month, tc.year)))
			// then it reads as 12/2030, or the month is refused
			if tc.accepted && (len(failures) > 0 || change.Expiry.Month != 12 || change.Expiry.Year != 2030) {
				t.Errorf("expiry = %+v, %v; want 12/2030", change.Expiry, failures)
			}
			if !tc.accepted && len(failures["exp_month"]) == 0 {
				t.Errorf("exp_month %s accepted as %+v", tc.month, change.Expiry)
			}
		})
	}
}
