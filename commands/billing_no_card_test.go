package commands_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// TestARenewalWithoutACardOfItsOwnChargesTheDefaultCard: a subscription created without a card (a free
// plan, a gift) whose next period costs something charges the customer's default card like any other
// renewal, and is dunned only when there is no chargeable one: the operator's billing report says why (the
// decline, or that there is no card to charge) and the customer's subscription is past due.
func TestARenewalWithoutACardOfItsOwnChargesTheDefaultCard(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		token  string // the customer's default card ("": none)
		want   []string
		why    string // the charge's detail when it failed
		status subscription.Status
	}{
		{"a chargeable default card is charged", "tok_visa", []string{"renew:renewed", "charge:paid"}, "",
			subscription.StatusActive},
		{"a declining default is dunned", "tok_chargeCustomerFail", []string{"renew:renewed", "charge:payment_failed"},
			string(payments.CardDeclined), subscription.StatusPastDue},
		{"no card at all is dunned", "", []string{"renew:renewed", "charge:payment_failed"}, "no_payment_source",
			subscription.StatusPastDue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's monthly subscription holding no card, and her default card
			w := newBillingWorld(t)
			ann := w.register(t, "ann@example.com", "ann")
			id := w.subscribe(t, ann, 0, monthlyTerms, billingStart)
			if tc.token != "" {
				w.saveCard(t, ann, tc.token)
			}
			// when the billing clock renews it
			done, err := w.bill(t, id, firstRenewal)
			if err != nil {
				t.Fatal(err)
			}
			// then the renewal charges the default card when it can
			if got := outcomes(done); !slices.Equal(got, tc.want) {
				t.Fatalf("items %v, want %v", got, tc.want)
			}
			// and a failure says why, and leaves the subscription past due
			if why := done[1].Detail; tc.why != "" && why != tc.why {
				t.Errorf("the charge's detail %q, want %q", why, tc.why)
			}
			if status := w.read(t, id).Status; status != tc.status {
				t.Errorf("status %s, want %s", status, tc.status)
			}
		})
	}
}
