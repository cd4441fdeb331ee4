package subscription_test

import (
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// donorEvents is a paid gift of the monthly plan, code GIFT-ABCD-EFGH, given by customer 42.
func donorEvents() []subscription.Event {
	donor := created()
	donor.Type, donor.GiftCode = subscription.TypeGiftDonor, "GIFT-ABCD-EFGH"
	return []subscription.Event{donor}
}

func TestExtendGift(t *testing.T) {
	t.Parallel()
	term := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 610}
	extend := func(p subscription.Phase) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) { return subscription.ExtendGift(s, p, t0) }
	}
	gift := term
	gift.Gift = true
	spec.Given(donorEvents()...).When(extend(term)).
		Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: gift, AddedAt: t0})

	redeemed := append(donorEvents(), subscription.GiftRedeemed{SubscriptionID: 1, RecipientCustomerID: 43,
		RecipientSubscriptionID: 2, RedeemedAt: t0})
	spec.Given(redeemed...).When(extend(term)).ThenError(t, subscription.ErrGiftRedeemed)
	spec.Given(created()).When(extend(term)).ThenError(t, subscription.ErrNotGift)
	eur := term
	eur.Terms.Currency = "eur"
	spec.Given(donorEvents()...).When(extend(eur)).ThenError(t, subscription.ErrCurrencyMismatch)
	full := donorEvents()
	for range subscription.MaxPhases {
		full = append(full, subscription.PhaseAdded{SubscriptionID: 1, Phase: gift, AddedAt: t0})
	}
	spec.Given(full...).When(extend(term)).ThenError(t, subscription.ErrTooManyPhases)
}

func TestRedeemed(t *testing.T) {
	t.Parallel()
	// the donor's extra term was bought with a coupon: the recipient holds it free instead
	donor := fold(append(donorEvents(), subscription.PhaseAdded{SubscriptionID: 1,
		Phase: subscription.Phase{Terms: monthly, Quantity: 1, Coupon: tenOff, PaidBy: 610, Gift: true}, AddedAt: t0})...)
	free := subscription.GiftCoupon
	recipient := subscription.New{SubscriptionID: 2, CustomerID: 43, AccountID: 1, SiteID: 1232, Terms: monthly,
		Quantity: 1, Coupon: &free, AddressID: 9, Paid: true, GiftOf: 1}
	redeem := func(s subscription.State) ([]subscription.Event, error) {
		return subscription.Redeemed(s, donor, recipient, t0)
	}
	extra := subscription.Phase{Terms: monthly, Quantity: 1, Coupon: &free, AddressID: 9, PaidBy: 610, Gift: true, GiftOf: 1}

	t.Run("a new recipient's subscription runs for every term given, then ends", func(t *testing.T) {
		t.Parallel()
		events, err := redeem(subscription.State{})
		if err != nil {
			t.Fatal(err)
		}
		s := fold(events...)
		if s.Type != subscription.TypeGiftRecipient || s.GiftOf != 1 || !reflect.DeepEqual(s.Phases, []subscription.Phase{extra}) {
			t.Fatalf("recipient %+v", s)
		}
		if s.CancelMode != subscription.CancelAtLastPeriodEnd || !s.CancelAt.Equal(t1.AddDate(0, 1, 0)) {
			t.Errorf("cancels %s at %s, want last_period_end at %s", s.CancelMode, s.CancelAt, t1.AddDate(0, 1, 0))
		}
		spec.Given(events...).When(redeem).Then(t)
	})
	t.Run("an existing subscription gets the gift's terms as phases", func(t *testing.T) {
		t.Parallel()
		target := created()
		target.SubscriptionID, target.CustomerID = 2, 43
		first := extra
		first.PaidBy, first.GiftOf = 0, 1
		spec.Given(target).When(redeem).Then(t, subscription.PhaseAdded{SubscriptionID: 2, Phase: first, AddedAt: t0},
			subscription.PhaseAdded{SubscriptionID: 2, Phase: extra, AddedAt: t0})
		redeemedOnto := []subscription.Event{target, subscription.PhaseAdded{SubscriptionID: 2, Phase: first, AddedAt: t0}}
		spec.Given(redeemedOnto...).When(redeem).Then(t)
	})
	t.Run("a gift is not redeemed onto a subscription owing an invoice", func(t *testing.T) {
		t.Parallel()
		target := created()
		target.SubscriptionID, target.CustomerID = 2, 43
		sent := target
		sent.Billing = subscription.BillingSendInvoice
		start := renewed()
		start.SubscriptionID = 2
		failed := subscription.PaymentFailed{SubscriptionID: 2, InvoiceID: 501, Failures: 1, Reason: "card_declined",
			NextRetryAt: t1.Add(days(3)), FailedAt: t1}
		gaveUp := subscription.Ended{SubscriptionID: 2, Status: subscription.StatusUnpaid, Reason: "payment_failed",
			By: subscription.BySystem, EndedAt: t1.Add(days(7))}
		paid := subscription.PaymentSucceeded{SubscriptionID: 2, InvoiceID: 501, Amount: 1000, PaidAt: t1.Add(days(8))}
		cases := []struct {
			name  string
			given []subscription.Event
		}{
			{"past due: dunning would cancel it before the gift's term", []subscription.Event{target, start, failed}},
			{"unpaid: dunning gave up on it", []subscription.Event{target, start, failed, gaveUp}},
			{"an invoice sent and not paid yet: it may go overdue", []subscription.Event{sent, start}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				spec.Given(tc.given...).When(redeem).ThenError(t, subscription.ErrInvoiceUnpaid)
			})
		}
		// once the invoice is paid, the gift's terms are added
		if _, err := redeem(fold(target, start, failed, gaveUp, paid)); err != nil {
			t.Errorf("redeeming onto a subscription whose invoice was paid: %v", err)
		}
	})
	t.Run("a gift is not redeemed onto a gift", func(t *testing.T) {
		t.Parallel()
		other := donorEvents()[0].(subscription.Created)
		other.SubscriptionID = 2
		spec.Given(other).When(redeem).ThenError(t, subscription.ErrGiftDonor)
	})
}

func TestAddGiftPhaseMovesARecipientsEnd(t *testing.T) {
	t.Parallel()
	recipient := created()
	recipient.Type, recipient.GiftOf = subscription.TypeGiftRecipient, 9
	scheduled := subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd,
		CancelAt: t1, ScheduledAt: t0}
	term := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 611}
	free := subscription.GiftCoupon
	gift := term
	gift.Gift, gift.Coupon = true, &free
	spec.Given(recipient, scheduled).When(func(s subscription.State) ([]subscription.Event, error) {
		return subscription.AddGiftPhase(s, term, t0)
	}).Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: gift, AddedAt: t0},
		subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtLastPeriodEnd,
			CancelAt: t1.AddDate(0, 1, 0), ScheduledAt: t0})
}

func TestAGiftIsRedeemedOntoASubscriptionOnce(t *testing.T) {
	t.Parallel()
	// given Zoe's subscription that received gift 7 as a phase, and that phase started since
	donor := fold(append(donorEvents(), subscription.GiftRedeemed{SubscriptionID: 1, RecipientCustomerID: 42,
		RecipientSubscriptionID: 1, RedeemedAt: t0})...)
	donor.ID = 7
	term := subscription.Phase{Terms: monthly, Quantity: 1, Gift: true, GiftOf: 7}
	started := renewed()
	started.FromPhase, started.Phase, started.InvoiceID = true, term, 0
	zoes := fold(created(), subscription.PhaseAdded{SubscriptionID: 1, Phase: term, AddedAt: t0}, started)
	// when the same customer redeems the gift onto it again
	events, err := subscription.Redeemed(zoes, donor, subscription.New{CustomerID: 42}, t1)
	// then nothing is given twice
	if err != nil || len(events) != 0 {
		t.Errorf("redeeming again decided %v, %v; want nothing", events, err)
	}
}

func TestGiftsReceivedNamesEachDonorOnce(t *testing.T) {
	t.Parallel()
	// given Zoe's subscription 2, onto which donor 1's gift of two terms was redeemed
	donor := fold(append(donorEvents(), subscription.PhaseAdded{SubscriptionID: 1,
		Phase: subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 610, Gift: true}, AddedAt: t0})...)
	target := created()
	target.SubscriptionID, target.CustomerID = 2, 43
	redemption, err := subscription.Redeemed(fold(target), donor, subscription.New{CustomerID: 43}, t0)
	if err != nil {
		t.Fatal(err)
	}
	// and a term the donor paid for once redeemed
	later := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 611, Gift: true, GiftOf: 1}
	given := append(append([]subscription.Event{target}, redemption...),
		subscription.PhaseAdded{SubscriptionID: 2, Phase: later, AddedAt: t1})
	// when the stream is folded
	s := fold(given...)
	// then the donor is named once, however many terms its gift gave, and the gift is not redeemed again
	if !reflect.DeepEqual(s.GiftsReceived, []int64{1}) {
		t.Errorf("gifts received %v from %d phases, want [1]", s.GiftsReceived, len(s.Phases))
	}
	spec.Given(given...).When(func(s subscription.State) ([]subscription.Event, error) {
		return subscription.Redeemed(s, donor, subscription.New{CustomerID: 43}, t1)
	}).Then(t)
}
