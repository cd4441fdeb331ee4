package commands

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// TestEveryChargeNobodyNamedACardForFollowsSavedPayment: the billing clock's charge of a subscription and a
// change or renewal paid now without a means pay by one rule (savedPayment): the customer's default first for
// every subscription but a gift given, which pays only with its own card. The clock used to decide on its
// own, and the two differed for a subscription without a card of its own.
func TestEveryChargeNobodyNamedACardForFollowsSavedPayment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind         subscription.Type
		card         int64
		defaultFirst bool
	}{
		{subscription.TypeRegular, 31, true}, {subscription.TypeRegular, 0, true},
		{subscription.TypeMembership, 31, true}, {subscription.TypeGiftRecipient, 0, true},
		{subscription.TypeGiftDonor, 31, false}, {subscription.TypeGiftDonor, 0, false},
	} {
		s := subscription.State{ID: 7, CustomerID: 3, AccountID: 1, SiteID: 2, Type: tc.kind, Unsettled: 90,
			Payment: subscription.Payment{SourceID: tc.card}}
		saved := savedPayment(s)
		billing := Subscriptions{}.invoicePayment(s)
		if saved.defaultFirst != tc.defaultFirst || billing.defaultFirst != tc.defaultFirst ||
			saved.SourceID != tc.card || billing.SourceID != tc.card || billing.InvoiceID != 90 || billing.CustomerID != 3 {
			t.Errorf("%s with card %d: saved %+v, billing %+v; want defaultFirst %v on both", tc.kind, tc.card, saved,
				billing, tc.defaultFirst)
		}
	}
}
