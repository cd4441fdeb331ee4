package commands_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// giftDay is the start day of the gift giveGift records.
var giftDay = time.Date(2026, 2, 14, 0, 0, 0, 0, time.UTC)

// giveGift records a paid gift of the monthly plan from a new customer to Bea, starting on giftDay, and
// returns its id.
func giveGift(t *testing.T, w *billingWorld) int64 {
	t.Helper()
	donor := w.register(t, "ann@example.com", "ann")
	gift := subscription.Gift{RecipientEmail: "bea@example.com", RecipientFirstName: "Bea"}
	giftID := w.newID()
	w.decide(t, giftID, func(s subscription.State) ([]subscription.Event, error) {
		return subscription.Create(s, subscription.New{SubscriptionID: giftID, CustomerID: donor, AccountID: 1, SiteID: 1,
			Terms: monthlyTerms, Quantity: 1, PeriodAmount: 1000, Paid: true, Gift: gift, GiftStart: giftDay,
			GiftCode: "GIFT-ABCD-EFGH"}, billingStart)
	})
	return giftID
}

func TestBillingAGiftNotice(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	giftID := giveGift(t, w)
	// when the clock runs past the gift's day
	done, err := w.bill(t, giftID, firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// then the recipient is told once, on the gift's day, and the donor's gift waits for nothing more
	s := w.read(t, giftID)
	if got := outcomes(done); !slices.Equal(got, []string{"gift_notification:gift_notified"}) || !done[0].At.Equal(giftDay) ||
		!s.GiftNotified {
		t.Errorf("items %v at %v, notified %v; want one notice on %v", got, done, s.GiftNotified, giftDay)
	}
	if again, err := w.bill(t, giftID, firstRenewal.AddDate(1, 0, 0)); err != nil || len(again) != 0 {
		t.Errorf("a year later: %v, %v; want nothing", outcomes(again), err)
	}
}

func TestBillingAGiftRedeemedBeforeItsDay(t *testing.T) {
	t.Parallel()
	// given a gift that Bea redeemed before its start day
	w := newBillingWorld(t)
	giftID := giveGift(t, w)
	bea := w.register(t, "bea@example.com", "bea")
	w.decide(t, giftID, func(s subscription.State) ([]subscription.Event, error) {
		return subscription.RedeemGift(s, bea, w.newID(), billingStart.Add(time.Hour))
	})
	// when the clock runs past the gift's day
	done, err := w.bill(t, giftID, firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// then nobody is told (the recipient has the gift), the donor's gift expires with its period and
	// waits for nothing after
	s := w.read(t, giftID)
	if got := outcomes(done); !slices.Equal(got, []string{"end:expired"}) || s.GiftNotified {
		t.Errorf("items %v, notified %v; want only the end", got, s.GiftNotified)
	}
	if due, ok := s.Due(); ok {
		t.Errorf("the redeemed gift is still due for %s at %s", due.Kind, due.At)
	}
}
