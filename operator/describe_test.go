package operator

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/idblock"
	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
)

// AllRegistries are the registries of every aggregate: more than the log of `pelcro serve` holds today.
var AllRegistries = []*aggregates.Registry{catalog.Events, customer.Events, newsletter.Events, wallet.Events,
	invoice.Events, idblock.Events, intent.Events, reservation.Events, subscription.Events, order.Events, stock.Events}

// TestEveryRegisteredEventHasADescription fails for an event type added to any aggregate without a sentence
// for the timeline, and for a describer whose event no longer exists.
func TestEveryRegisteredEventHasADescription(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, r := range AllRegistries {
		for _, name := range r.Names() {
			known[name] = true
			d, ok := describers[name]
			if !ok {
				t.Errorf("event %q has no describer", name)
				continue
			}
			value, err := r.Decode(name, 1, []byte(`{}`))
			if err != nil {
				t.Fatalf("decode an empty %q: %v", name, err)
			}
			if s := d(value); s == "" || s == fmtType(value) {
				t.Errorf("event %q is described as %q", name, s)
			}
		}
	}
	for name := range describers {
		if !known[name] {
			t.Errorf("describer for %q, which no aggregate registers", name)
		}
	}
}

func TestActorTextAndMoney(t *testing.T) {
	t.Parallel()
	for actor, want := range map[string]string{"customer:42": "customer 42", "operator:cli": "operator (cli)",
		"admin:7": "operator (7)", "system:renewals": "system (renewals)", "": "unknown", "webhook": "webhook"} {
		if got := ActorText(actor); got != want {
			t.Errorf("ActorText(%q) = %q, want %q", actor, got, want)
		}
	}
	for _, tc := range []struct {
		amount   int64
		currency string
		want     string
	}{{1250, "usd", "12.50 USD"}, {5, "eur", "0.05 EUR"}, {500, "jpy", "500 JPY"}, {-1250, "usd", "-12.50 USD"}} {
		if got := money(tc.amount, tc.currency); got != tc.want {
			t.Errorf("money(%d, %s) = %q, want %q", tc.amount, tc.currency, got, tc.want)
		}
	}
}

// TestASubscriptionEndedWithoutAReasonReadsWithoutParentheses: the billing clock ends a subscription with no
// reason; its sentence used to end in "()".
func TestASubscriptionEndedWithoutAReasonReadsWithoutParentheses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ended subscription.Ended
		want  string
	}{
		{subscription.Ended{SubscriptionID: 1, Status: "canceled", By: "system"}, "Subscription 1 ended canceled by the system"},
		{subscription.Ended{SubscriptionID: 2, Status: "canceled", By: "customer", Reason: "too expensive"},
			"Subscription 2 ended canceled by the customer (too expensive)"},
	} {
		if got := describers["subscription.ended"](tc.ended); got != tc.want {
			t.Errorf("description = %q, want %q", got, tc.want)
		}
	}
}
