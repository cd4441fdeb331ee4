package subscription_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// paidGift is donorEvents' gift, paid, its recipient told on t0.
func paidGift() subscription.Created {
	donor := donorEvents()[0].(subscription.Created)
	donor.GiftStart = t0
	return donor
}

// giftRedeemedAt is the redemption of paidGift by customer 43 into subscription 2.
func giftRedeemedAt(at time.Time) subscription.GiftRedeemed {
	return subscription.GiftRedeemed{SubscriptionID: 1, RecipientCustomerID: 43, RecipientSubscriptionID: 2,
		RedeemedAt: at}
}

func TestCancellingAGiftGiven(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	notified := subscription.GiftNotified{SubscriptionID: 1, CustomerID: 42, SiteID: 1232,
		GiftCode: "GIFT-ABCD-EFGH", NotifiedAt: t0}
	cancel := func(mode subscription.CancelMode) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			c := subscription.Cancel{Mode: mode, ImmediateAllowed: true}
			if mode == subscription.CancelNow {
				return subscription.StartImmediateCancel(s, c, half)
			}
			return subscription.CancelSubscription(s, c, 0, half)
		}
	}
	started := subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelNow, CancelAt: half,
		ScheduledAt: half}
	cases := []struct {
		name  string
		given []subscription.Event
		mode  subscription.CancelMode
		want  error
	}{
		{"at the period's end: a gift never renews, so there is nothing to stop", []subscription.Event{paidGift(), notified},
			subscription.CancelAtPeriodEnd, subscription.ErrGiftDonor},
		{"by default (last period end), the same", []subscription.Event{paidGift(), notified}, "",
			subscription.ErrGiftDonor},
		{"now, once redeemed: the recipient holds the terms", []subscription.Event{paidGift(), notified, giftRedeemedAt(half)},
			subscription.CancelNow, subscription.ErrGiftDonor},
		{"now, before it is redeemed", []subscription.Event{paidGift(), notified}, subscription.CancelNow, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.want != nil {
				spec.Given(tc.given...).When(cancel(tc.mode)).ThenError(t, tc.want)
				return
			}
			spec.Given(tc.given...).When(cancel(tc.mode)).Then(t, started)
		})
	}

	t.Run("now, before it is redeemed, gives back all it was billed and kills the code", func(t *testing.T) {
		t.Parallel()
		cancelling := fold(paidGift(), notified, started)
		if got := cancelling.ImmediateRefund(); got != 1000 {
			t.Errorf("refund = %d, want the whole 1000 paid (half the period gone changes nothing)", got)
		}
		if err := cancelling.RedeemableBy(43); !errors.Is(err, subscription.ErrEnded) {
			t.Errorf("redeeming a gift being cancelled: %v, want ErrEnded", err)
		}
		ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
			By: subscription.ByCustomer, Refund: 1000, EndedAt: half}
		if err := fold(paidGift(), notified, started, ended).RedeemableBy(43); !errors.Is(err, subscription.ErrEnded) {
			t.Errorf("redeeming a canceled gift: %v, want ErrEnded", err)
		}
	})
}

func TestGiftGivenEnds(t *testing.T) {
	t.Parallel()
	late := t1.AddDate(0, 0, 10)
	scheduled := subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd,
		CancelAt: t1, ScheduledAt: t0}
	cases := []struct {
		name   string
		given  []subscription.Event
		want   subscription.Due
		status subscription.Status
	}{
		{"redeemed within its period: expires at the period's end", []subscription.Event{paidGift(),
			giftRedeemedAt(t0)}, subscription.Due{Kind: subscription.DueEnd, At: t1}, subscription.StatusExpired},
		{"redeemed after its period: expires at the redemption", []subscription.Event{paidGift(),
			giftRedeemedAt(late)}, subscription.Due{Kind: subscription.DueEnd, At: late}, subscription.StatusExpired},
		{"set to cancel before gifts refused it: carried out", []subscription.Event{paidGift(),
			giftRedeemedAt(t0), scheduled}, subscription.Due{Kind: subscription.DueEnd, At: t1},
			subscription.StatusCanceled},
	}
	// a gift never redeemed waits for its recipient, even when set to cancel before gifts refused it: ending
	// it would take a paid gift away and refund nobody
	notified := subscription.GiftNotified{SubscriptionID: 1, NotifiedAt: t0}
	if due, ok := fold(paidGift(), scheduled, notified).Due(); ok {
		t.Errorf("an unredeemed gift set to cancel is due %+v, want nothing due", due)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fold(tc.given...)
			if due, ok := s.Due(); !ok || due.Kind != tc.want.Kind || !due.At.Equal(tc.want.At) {
				t.Fatalf("due %+v (%v), want %+v", due, ok, tc.want)
			}
			spec.Given(tc.given...).When(func(s subscription.State) ([]subscription.Event, error) {
				return subscription.End(s, tc.want.At)
			}).Then(t, subscription.Ended{SubscriptionID: 1, Status: tc.status, Reason: endReason(tc.status),
				By: subscription.BySystem, EndedAt: tc.want.At})
			// and its recipient may still finish a redemption cut half-way
			ended := fold(append(tc.given, subscription.Ended{SubscriptionID: 1, Status: tc.status,
				EndedAt: tc.want.At})...)
			if events, err := subscription.RedeemGift(ended, 43, 2, late); err != nil || len(events) != 0 {
				t.Errorf("finishing the redemption: %v %v, want a no-op", events, err)
			}
			// and its donor may still buy its recipient a term with a card asking for 3-D Secure
			term := subscription.Purchase{Kind: subscription.PurchaseGiftTerm, InvoiceID: 611,
				Phase: &subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 611}, At: late}
			if events, err := subscription.AwaitPayment(ended, term, late); err != nil || len(events) != 1 {
				t.Errorf("a gift term awaiting 3-D Secure: %v %v, want it recorded", events, err)
			}
		})
	}
	t.Run("never redeemed: it waits for its recipient", func(t *testing.T) {
		t.Parallel()
		notified := subscription.GiftNotified{SubscriptionID: 1, NotifiedAt: t0}
		if due, ok := fold(paidGift(), notified).Due(); ok {
			t.Errorf("an unredeemed gift is due for %+v, want nothing", due)
		}
	})
}

func endReason(s subscription.Status) string {
	if s == subscription.StatusExpired {
		return "not_renewed"
	}
	return ""
}

func TestRenewingAGiftReceived(t *testing.T) {
	t.Parallel()
	recipient := created()
	recipient.Type, recipient.GiftOf, recipient.Payment = subscription.TypeGiftRecipient, 9, subscription.Payment{}
	renew := func(r subscription.Renew) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) { return subscription.AddPhase(s, r, t0) }
	}
	phase := subscription.Phase{Terms: monthly, Quantity: 1}
	// given a gift received, when its recipient renews it without paying, then it is refused
	spec.Given(recipient).When(renew(subscription.Renew{Phase: phase})).ThenError(t, subscription.ErrGiftRenewalUnpaid)
	// a renewal about to be paid passes the check made before the charge
	spec.Given(recipient).When(renew(subscription.Renew{Phase: phase, Paying: true})).
		Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, AddedAt: t0})
	// and once paid it is added
	paid := phase
	paid.PaidBy = 610
	spec.Given(recipient).When(renew(subscription.Renew{Phase: paid})).
		Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: paid, AddedAt: t0})
	// any other subscription may still leave a renewal to the billing clock
	spec.Given(created()).When(renew(subscription.Renew{Phase: phase})).
		Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, AddedAt: t0})
}
