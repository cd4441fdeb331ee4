package deadline

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestARowKeepsTheGiftEndThroughTheDonorsNextEvent(t *testing.T) {
	t.Parallel()
	// given a redeemed gift whose recipient holds terms until two months after the gift's own period
	later := t1.AddDate(0, 2, 0)
	gift := []subscription.Event{
		subscription.Created{SubscriptionID: 1, Type: subscription.TypeGiftDonor, Status: subscription.StatusActive,
			Billing: subscription.BillingChargeAutomatically, PeriodStart: t0, PeriodEnd: t1},
		subscription.GiftRedeemed{SubscriptionID: 1, RecipientSubscriptionID: 2, RedeemedAt: t0},
		subscription.GiftTermGiven{SubscriptionID: 1, RecipientSubscriptionID: 2, TermsEnd: later, GivenAt: t0},
	}
	awaiting := subscription.PurchaseAwaitingPayment{SubscriptionID: 1, Purchase: subscription.Purchase{
		Kind: subscription.PurchaseGiftTerm, InvoiceID: 5, At: t0}, AwaitingSince: t0}
	cases := []struct {
		name string
		next []subscription.Event // the donor's next events, each folded into the row the last one left
	}{
		{"a gift term awaiting 3-D Secure, then settled", []subscription.Event{awaiting,
			subscription.PurchaseSettled{SubscriptionID: 1, InvoiceID: 5, SettledAt: t0}}},
		{"the donor's personal data erased", []subscription.Event{subscription.Erased{SubscriptionID: 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			state := subscription.State{}
			for _, g := range gift {
				state = subscription.Evolve(state, g)
			}
			// when the projection folds the donor's next events, each into the state the row kept
			for _, e := range tc.next {
				row, err := deadlineOf(1, state)
				if err != nil {
					t.Fatal(err)
				}
				kept, err := decodeDueState(1, row.state)
				if err != nil {
					t.Fatal(err)
				}
				state = subscription.Evolve(kept, e)
			}
			row, err := deadlineOf(1, state)
			if err != nil {
				t.Fatal(err)
			}
			// then the row still ends the gift when the recipient's last term ends, not at the gift's period end
			if want := later.Format(time.RFC3339Nano); row.kind.String != string(subscription.DueEnd) || row.dueAt.String != want {
				t.Errorf("the row is due %s at %s, want %s at %s", row.kind.String, row.dueAt.String, subscription.DueEnd, want)
			}
		})
	}
}
