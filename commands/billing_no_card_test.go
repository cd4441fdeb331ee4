package commands_test

import (
	"slices"
	"testing"
)

// TestARenewalWithoutACardOfItsOwnChargesTheDefaultCard: a subscription created without a card (a free
// plan, a gift) whose next period costs something charges the customer's default card like any other
// renewal, and is dunned only when there is no chargeable one.
func TestARenewalWithoutACardOfItsOwnChargesTheDefaultCard(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		token string // the customer's default card ("": none)
		want  []string
	}{
		{"a chargeable default card is charged", "tok_visa", []string{"renew:renewed", "charge:paid"}},
		{"a declining default is dunned", "tok_chargeCustomerFail", []string{"renew:renewed", "charge:payment_failed"}},
		{"no card at all is dunned", "", []string{"renew:renewed", "charge:payment_failed"}},
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
				t.Errorf("items %v, want %v", got, tc.want)
			}
		})
	}
}
