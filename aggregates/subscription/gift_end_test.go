package subscription_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestAGiftGivenEndsWhenTheLastTermItGaveEnds(t *testing.T) {
	t.Parallel()
	later := t1.AddDate(0, 2, 0) // the recipient's last term, bought with gift renew, ends two months after
	given := func(end time.Time) subscription.GiftTermGiven {
		return subscription.GiftTermGiven{SubscriptionID: 1, RecipientSubscriptionID: 2, TermsEnd: end, GivenAt: t0}
	}
	expired := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusExpired, Reason: "not_renewed",
		By: subscription.BySystem, EndedAt: t1}
	cases := []struct {
		name       string
		given      []subscription.Event
		wantStatus subscription.Status
		wantEnd    time.Time // the billing clock's end item
	}{
		{"redeemed before the terms' end was recorded: at its own period's end",
			[]subscription.Event{paidGift(), giftRedeemedAt(t0)}, subscription.StatusActive, t1},
		{"redeemed, terms given until later: when they end",
			[]subscription.Event{paidGift(), giftRedeemedAt(t0), given(later)}, subscription.StatusActive, later},
		{"ended at its period's end, then a term given beyond: running again until it ends",
			[]subscription.Event{paidGift(), giftRedeemedAt(t0), expired, given(later)}, subscription.StatusActive, later},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fold(tc.given...)
			due, ok := s.Due()
			if s.Status != tc.wantStatus || !ok || due.Kind != subscription.DueEnd || !due.At.Equal(tc.wantEnd) {
				t.Errorf("the gift is %s, next item %v (%v), want %s and its end at %s", s.Status, due, ok,
					tc.wantStatus, tc.wantEnd)
			}
		})
	}
}

func TestRecordGiftTerms(t *testing.T) {
	t.Parallel()
	record := func(end time.Time) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.RecordGiftTerms(s, end, t0)
		}
	}
	redeemed := []subscription.Event{paidGift(), giftRedeemedAt(t0)}
	spec.Given(redeemed...).When(record(t1)).Then(t, subscription.GiftTermGiven{SubscriptionID: 1,
		RecipientSubscriptionID: 2, TermsEnd: t1, GivenAt: t0})
	// the same end again, or an earlier one, changes nothing; nor does a gift not redeemed yet
	recorded := append(redeemed, subscription.GiftTermGiven{SubscriptionID: 1, RecipientSubscriptionID: 2,
		TermsEnd: t1, GivenAt: t0})
	spec.Given(recorded...).When(record(t1)).Then(t)
	spec.Given(recorded...).When(record(t0)).Then(t)
	spec.Given(paidGift()).When(record(t1)).Then(t)
	spec.Given(created()).When(record(t1)).ThenError(t, subscription.ErrNotGift)
}

func TestGiftTermsHeldIsTheGiftsLastTermNotTheSubscriptions(t *testing.T) {
	t.Parallel()
	own := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 611} // a term the recipient bought
	gift := subscription.Phase{Terms: monthly, Quantity: 1, Gift: true, GiftOf: 7}
	another := subscription.Phase{Terms: monthly, Quantity: 1, Gift: true, GiftOf: 8}
	added := func(p subscription.Phase) subscription.PhaseAdded {
		return subscription.PhaseAdded{SubscriptionID: 1, Phase: p, AddedAt: t0}
	}
	recipient := created()
	recipient.Type, recipient.GiftOf = subscription.TypeGiftRecipient, 7
	cases := []struct {
		name  string
		holds []subscription.Event // the recipient's subscription
		want  time.Time
	}{
		{"nothing given", []subscription.Event{created()}, time.Time{}},
		{"a phase after the current period", []subscription.Event{created(), added(gift)}, monthly.PeriodEnd(t1)},
		{"a phase after one of the recipient's own", []subscription.Event{created(), added(own), added(gift)},
			monthly.PeriodEnd(monthly.PeriodEnd(t1))},
		{"a phase before one of the recipient's own", []subscription.Event{created(), added(gift), added(own)},
			monthly.PeriodEnd(t1)},
		{"a phase of another gift only", []subscription.Event{created(), added(another)}, time.Time{}},
		{"the subscription the gift created", []subscription.Event{recipient}, t1},
		{"the subscription the gift created, a term of the recipient's own after",
			[]subscription.Event{recipient, added(own)}, t1},
		{"the subscription the gift created, past its first period", []subscription.Event{recipient, renewed()},
			time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := fold(tc.holds...).GiftTermsHeld(7); !got.Equal(tc.want) {
				t.Errorf("the terms held end %s, want %s", got, tc.want)
			}
		})
	}
}
