package commands_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// giftWorld is a sales world where Ann gave Zoe a gift of plan 4051 she paid with her card, and Zoe has a
// default card of her own.
type giftWorld struct {
	*salesWorld
	ann, zoe, zoeCard int64
	donor             subscription.State
}

func newGiftWorld(t *testing.T) giftWorld {
	t.Helper()
	w := giftWorld{salesWorld: newSalesWorld(t)}
	w.ann, w.zoe = w.register(t, "ann@example.com", "ann"), w.register(t, "zoe@example.com", "zoe")
	w.zoeCard = w.saveCard(t, w.zoe, "tok_visa")
	given, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(w.ann),
		PlanID: 4051, Token: "tok_visa", Gift: subscription.Gift{RecipientEmail: "zoe@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	w.donor = w.read(t, given.SubscriptionID)
	return w
}

// redeem is Zoe redeeming Ann's gift into a new subscription of hers.
func (w giftWorld) redeem(t *testing.T) int64 {
	t.Helper()
	r, err := w.subscriptions.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: who(w.zoe),
		Code: w.donor.GiftCode})
	if err != nil {
		t.Fatal(err)
	}
	return r.SubscriptionID
}

// redeemOnto redeems Ann's gift, as Zoe, onto Zoe's subscription id (#34 with subscription_id).
func (w giftWorld) redeemOnto(t *testing.T, id int64) {
	t.Helper()
	if _, err := w.subscriptions.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: who(w.zoe),
		Code: w.donor.GiftCode, SubscriptionID: id}); err != nil {
		t.Fatal(err)
	}
}

// renewGift is Ann paying for another term of her gift.
func (w giftWorld) renewGift(t *testing.T) {
	t.Helper()
	if _, err := w.subscriptions.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.
		SubscriptionSale{Target: who(w.ann), SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1}}); err != nil {
		t.Fatal(err)
	}
}

// billAll runs the billing clock for subscription id up to until and returns its items.
func (w giftWorld) billAll(t *testing.T, id int64, until time.Time) []string {
	t.Helper()
	var done []commands.BillingAction
	if _, err := w.subscriptions.BillDue(t.Context(), id, until, func(a commands.BillingAction) {
		done = append(done, a)
	}); err != nil {
		t.Fatal(err)
	}
	return outcomes(done)
}

func TestAGiftReceivedKeepsEveryTermTheDonorPaid(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// zoeRenews is how Zoe renews her gift before Ann buys another term (nil: she does not)
		zoeRenews   *commands.SubscriptionPayment
		refused     error
		wantItems   []string
		wantCharges int // Zoe's charges
	}{
		{"Zoe renews without paying: refused, Ann's term runs free, then it ends",
			&commands.SubscriptionPayment{}, subscription.ErrGiftRenewalUnpaid,
			[]string{"renew:renewed", "end:canceled"}, 0},
		{"Zoe pays for her renewal: her term, then Ann's, then it ends",
			&commands.SubscriptionPayment{Token: "tok_visa"}, nil,
			[]string{"renew:renewed", "renew:renewed", "end:canceled"}, 1},
		{"Zoe does not renew", nil, nil, []string{"renew:renewed", "end:canceled"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift redeemed by Zoe, who holds a chargeable default card
			w := newGiftWorld(t)
			into := w.redeem(t)
			before := w.charges(t)
			// when Zoe renews it, and Ann then buys another term
			if tc.zoeRenews != nil {
				_, err := w.subscriptions.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.
					SubscriptionSale{Target: who(w.zoe), SubscriptionID: into, PlanID: 4051, Quantity: 1,
					Payment: *tc.zoeRenews}})
				if tc.refused != nil {
					assertRefusal(t, err, tc.refused)
				} else if err != nil {
					t.Fatal(err)
				}
			}
			w.renewGift(t)
			zoeCharges := w.charges(t) - before - 1 // Ann's term is one charge
			// then the billing clock gives every term paid for, charging nobody, and ends it after the last
			s := w.read(t, into)
			end := s.LastPeriodEnd()
			if got := w.billAll(t, into, end.AddDate(1, 0, 0)); !slices.Equal(got, tc.wantItems) {
				t.Errorf("billing items %v, want %v", got, tc.wantItems)
			}
			after := w.read(t, into)
			if after.Status != subscription.StatusCanceled || !after.EndedAt.Equal(end) || after.Failures != 0 {
				t.Errorf("Zoe's subscription %s ended at %s after %d failures, want canceled at %s, none",
					after.Status, after.EndedAt, after.Failures, end)
			}
			if got := w.charges(t) - before - 1; got != tc.wantCharges || zoeCharges != tc.wantCharges {
				t.Errorf("Zoe was charged %d times (%d on renewing), want %d", got, zoeCharges, tc.wantCharges)
			}
		})
	}
}

func TestCancellingAGiftGiven(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		redeemed bool
		mode     subscription.CancelMode
		refused  error
	}{
		{"now, redeemed: the recipient keeps the term, nothing is refunded", true, subscription.CancelNow,
			subscription.ErrGiftDonor},
		{"at the period's end, redeemed: nothing to end", true, subscription.CancelAtPeriodEnd, subscription.ErrGiftDonor},
		{"by default, not redeemed: nothing to end", false, "", subscription.ErrGiftDonor},
		{"now, not redeemed: all of it comes back and the code is dead", false, subscription.CancelNow, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift (with a second term she bought), redeemed by Zoe or not
			w := newGiftWorld(t)
			w.renewGift(t)
			if tc.redeemed {
				w.redeem(t)
			}
			// when Ann cancels it
			_, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(w.ann),
				SubscriptionID: w.donor.ID, Mode: tc.mode})
			if tc.refused != nil {
				// then it is refused and nothing is refunded
				assertRefusal(t, err, tc.refused)
				if got := w.refundedCharges(t); len(got) != 0 {
					t.Errorf("refunds %v after a refusal", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// then both terms come back whole, and Zoe can no longer redeem the code
			if got := w.refundedCharges(t); !slices.Equal(got, []int64{1000, 1000}) {
				t.Errorf("refunds %v, want both terms whole", got)
			}
			_, err = w.subscriptions.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: who(w.zoe),
				Code: w.donor.GiftCode})
			assertRefusal(t, err, subscription.ErrEnded)
		})
	}
}
