package commands_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// give records a paid gift of the monthly plan from the donor, code GIFT-<n>, and returns its code and id.
func (w *subscriptionWorld) give(t *testing.T, donor, card int64, n int, paid bool) (string, int64) {
	t.Helper()
	code := fmt.Sprintf("GIFT-ABCD-%04d", 2222+n)
	id := w.subscribe(t, donor, card, func(c *subscription.New) {
		c.Gift.RecipientEmail, c.GiftCode, c.Paid = "zoe@example.com", code, paid
	})
	if err := w.subs.RecordGiftCode(t.Context(), newEnv(), code, id); err != nil {
		t.Fatal(err)
	}
	return code, id
}

func TestRedeemingAGift(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann") // the donor
	zoe := w.register(t, "zoe@example.com", "zoe")
	card := w.saveCard(t, ann, "tok_visa")

	t.Run("into a new subscription that ends after the term given", func(t *testing.T) {
		t.Parallel()
		code, donor := w.give(t, ann, card, 1, true)
		r, err := w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(zoe), Code: code})
		if err != nil {
			t.Fatal(err)
		}
		s := w.subscription(t, r.SubscriptionID)
		if s.Type != subscription.TypeGiftRecipient || s.CustomerID != zoe || s.GiftOf != donor || s.CancelAt.IsZero() ||
			s.Coupon == nil || s.Coupon.PercentOff != subscription.GiftCoupon.PercentOff {
			t.Errorf("recipient's subscription %+v", s)
		}
		if d := w.subscription(t, donor); !d.GiftRedeemed || d.RedeemedBy != zoe || d.RedeemedInto != r.SubscriptionID {
			t.Errorf("donor %+v", d)
		}
		again, err := w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(zoe), Code: code})
		if err != nil || again.SubscriptionID != r.SubscriptionID || again.Revision != r.Revision {
			t.Errorf("redeeming again: %+v, %v; want the same subscription unchanged", again, err)
		}
	})
	t.Run("onto a subscription of the recipient's as a phase", func(t *testing.T) {
		t.Parallel()
		code, _ := w.give(t, ann, card, 2, true)
		own := w.subscribe(t, zoe, 0, nil)
		_, err := w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(zoe), Code: code,
			SubscriptionID: own})
		if err != nil {
			t.Fatal(err)
		}
		if s := w.subscription(t, own); len(s.Phases) != 1 || !s.Phases[0].Gift || s.Phases[0].Coupon == nil {
			t.Errorf("phases %+v", s.Phases)
		}
	})
	refusals := []struct {
		name    string
		code    func() string
		target  func() int64
		refusal error
	}{
		{"a malformed code", func() string { return "GIFT-0000" }, nil, subscription.ErrNotGift},
		{"an unknown code", func() string { return "GIFT-ZZZZ-ZZZZ" }, nil, subscription.ErrNotGift},
		{"an unpaid gift", func() string { c, _ := w.give(t, ann, card, 3, false); return c }, nil, subscription.ErrGiftUnpaid},
		{"onto somebody else's subscription", func() string { c, _ := w.give(t, ann, card, 4, true); return c },
			func() int64 { return w.subscribe(t, ann, card, nil) }, subscription.ErrNotFound},
		{"onto a gift", func() string { c, _ := w.give(t, ann, card, 5, true); return c },
			func() int64 { _, id := w.give(t, zoe, 0, 6, true); return id }, subscription.ErrGiftDonor},
	}
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := commands.GiftRedemption{Target: target(zoe), Code: c.code()}
			if c.target != nil {
				in.SubscriptionID = c.target()
			}
			_, err := w.subs.RedeemGift(t.Context(), newEnv(), in)
			assertRefusal(t, err, c.refusal)
		})
	}
}

func TestTheDonorCannotRedeemTheirGift(t *testing.T) {
	t.Parallel()
	// given a paid gift Ann gave Zoe
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	zoe := w.register(t, "zoe@example.com", "zoe")
	code, donor := w.give(t, ann, w.saveCard(t, ann, "tok_visa"), 1, true)
	// when Ann redeems its code herself
	_, err := w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(ann), Code: code})
	// then she is refused, nothing is recorded, and Zoe still redeems it
	assertRefusal(t, err, subscription.ErrOwnGift)
	if d := w.subscription(t, donor); d.GiftRedeemed {
		t.Errorf("the gift is redeemed by %d after the donor's refusal", d.RedeemedBy)
	}
	redemption := commands.GiftRedemption{Target: target(zoe), Code: code}
	if _, err := w.subs.RedeemGift(t.Context(), newEnv(), redemption); err != nil {
		t.Errorf("the recipient redeeming after the donor: %v", err)
	}
}

func TestOneRedemptionPerGift(t *testing.T) {
	t.Parallel()
	// given a paid gift and two customers holding its code
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	code, donor := w.give(t, ann, w.saveCard(t, ann, "tok_visa"), 1, true)
	rivals := []int64{w.register(t, "zoe@example.com", "zoe"), w.register(t, "max@example.com", "max")}
	// when both redeem it at once
	var wg sync.WaitGroup
	errs := make([]error, len(rivals))
	for i, who := range rivals {
		wg.Go(func() {
			_, errs[i] = w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(who), Code: code})
		})
	}
	wg.Wait()
	// then exactly one wins and the other is told the gift was redeemed
	d := w.subscription(t, donor)
	winners := 0
	for i, err := range errs {
		switch {
		case err == nil && d.RedeemedBy == rivals[i]:
			winners++
		case err != nil:
			assertRefusal(t, err, subscription.ErrGiftRedeemed)
		}
	}
	if winners != 1 {
		t.Errorf("%d winners (%v), want 1", winners, errs)
	}
}

func TestRenewingAGift(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	zoe := w.register(t, "zoe@example.com", "zoe")
	card := w.saveCard(t, ann, "tok_visa")
	renew := func(id int64) error {
		_, err := w.subs.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.SubscriptionSale{Target: target(ann), SubscriptionID: id,
			PlanID: 4051, Quantity: 1}})
		return err
	}
	t.Run("redeemed: the recipient gets the term and ends after it", func(t *testing.T) {
		t.Parallel()
		code, donor := w.give(t, ann, card, 1, true)
		r, err := w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(zoe), Code: code})
		if err != nil {
			t.Fatal(err)
		}
		if err := renew(donor); err != nil {
			t.Fatal(err)
		}
		s := w.subscription(t, r.SubscriptionID)
		if len(s.Phases) != 1 || s.Phases[0].PaidBy == 0 || !s.CancelAt.Equal(s.LastPeriodEnd()) {
			t.Errorf("recipient's phases %+v, cancel at %s, last period end %s", s.Phases, s.CancelAt, s.LastPeriodEnd())
		}
	})
	t.Run("not redeemed yet: the recipient gets the term when redeeming", func(t *testing.T) {
		t.Parallel()
		code, donor := w.give(t, ann, card, 2, true)
		if err := renew(donor); err != nil {
			t.Fatal(err)
		}
		r, err := w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(zoe), Code: code})
		if err != nil {
			t.Fatal(err)
		}
		if s := w.subscription(t, r.SubscriptionID); len(s.Phases) != 1 || !s.CancelAt.Equal(s.LastPeriodEnd()) {
			t.Errorf("recipient's phases %+v, cancel at %s", s.Phases, s.CancelAt)
		}
	})
	t.Run("a subscription that is no gift", func(t *testing.T) {
		t.Parallel()
		assertRefusal(t, renew(w.subscribe(t, ann, card, nil)), subscription.ErrNotGift)
	})
	t.Run("somebody else's gift", func(t *testing.T) {
		t.Parallel()
		_, theirs := w.give(t, zoe, 0, 3, true)
		assertRefusal(t, renew(theirs), subscription.ErrNotFound)
	})
}
