package wallet_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
)

// TestAHeldCardIsInUseOnlyWhileItWouldBeCharged: a subscription created with card 2 (held) charges the
// customer's default instead while the default is chargeable; card 2 is then no subscription's next charge
// and may be deleted. While the default cannot be charged (it waits for 3-D Secure), card 2 is what the
// subscription charges, and it stays.
func TestAHeldCardIsInUseOnlyWhileItWouldBeCharged(t *testing.T) {
	t.Parallel()
	visaDefault, pendingDefault := saved(card(1, "pm_1"), true), saved(card(1, "pm_1"), true)
	pendingDefault.Pending, pendingDefault.SetupIntentID = true, "seti_1"
	own := saved(card(2, "pm_2"), false)
	held := wallet.PaymentMethodUseChanged{CustomerID: ann, PaymentMethodID: 2, SubscriptionID: 50, InUse: true, ChangedAt: savedAt}
	released := held
	released.InUse = false
	confirmed := wallet.PaymentMethodConfirmed{CustomerID: ann, PaymentMethodID: 1, SetupIntentID: "seti_1", ConfirmedAt: savedAt}
	madeDefault := func(id int64) wallet.Event {
		return wallet.DefaultPaymentMethodChanged{CustomerID: ann, PaymentMethodID: id, ChangedAt: savedAt}
	}
	newPending := card(3, "pm_3")
	newPending.SetupIntentID = "seti_3"
	for _, tc := range []struct {
		name      string
		given     []wallet.Event
		charged   int64 // what the subscription holding card 2 charges
		deletable bool  // card 2
		err       error // deleting card 2
	}{
		{"a chargeable default is charged instead", []wallet.Event{visaDefault, own, held}, 1, true, nil},
		{"a default waiting for 3-D Secure is not", []wallet.Event{pendingDefault, own, held}, 2, false, wallet.ErrInUse},
		{"once the default is confirmed it is", []wallet.Event{pendingDefault, own, held, confirmed}, 1, true, nil},
		{"a new default waiting for 3-D Secure gives the charge back", []wallet.Event{visaDefault, own, held,
			saved(newPending, true)}, 2, false, wallet.ErrInUse},
		{"the held card made the default is charged as the default", []wallet.Event{visaDefault, own, held, madeDefault(2)},
			2, false, wallet.ErrDefaultNotDeletable},
		{"a card no longer held is free", []wallet.Event{pendingDefault, own, held, released}, 2, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var s wallet.State
			for _, e := range tc.given {
				s = wallet.Evolve(s, e)
			}
			if got := s.ChargedInstead(2); got != tc.charged {
				t.Errorf("the subscription charges card %d, want %d", got, tc.charged)
			}
			if m, _ := s.Method(2); s.Deletable(m) != tc.deletable {
				t.Errorf("card 2 deletable = %v, want %v", s.Deletable(m), tc.deletable)
			}
			outcome := spec.Given(tc.given...).When(func(s wallet.State) ([]wallet.Event, error) { return wallet.Delete(s, 2, now) })
			if tc.err != nil {
				outcome.ThenError(t, tc.err)
				return
			}
			outcome.Then(t, wallet.PaymentMethodDeleted{CustomerID: ann, PaymentMethodID: 2, DeletedAt: now})
		})
	}
}
