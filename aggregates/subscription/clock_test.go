package subscription_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestDue(t *testing.T) {
	t.Parallel()
	failed := subscription.PaymentFailed{SubscriptionID: 1, InvoiceID: 501, Failures: 1, Reason: "card_declined",
		NextRetryAt: t1.Add(days(3)), FailedAt: t1}
	scheduled := subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd,
		CancelAt: t1, ScheduledAt: t0}
	notRenewing := created()
	notRenewing.Terms.AutoRenew = false
	tests := []struct {
		name  string
		given []subscription.Event
		want  subscription.Due
	}{
		{"an active subscription renews at the end of its period", []subscription.Event{created()},
			subscription.Due{Kind: subscription.DueRenew, At: t1}},
		{"a renewal just opened is charged at once", []subscription.Event{created(), renewed()},
			subscription.Due{Kind: subscription.DueCharge, At: t1}},
		{"a failed charge is retried when dunning says", []subscription.Event{created(), renewed(), failed},
			subscription.Due{Kind: subscription.DueCharge, At: t1.Add(days(3))}},
		{"a scheduled cancellation ends it", []subscription.Event{created(), scheduled},
			subscription.Due{Kind: subscription.DueEnd, At: t1}},
		{"a plan that does not renew ends with its period", []subscription.Event{notRenewing},
			subscription.Due{Kind: subscription.DueEnd, At: t1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s subscription.State
			for _, e := range tt.given {
				s = subscription.Evolve(s, e)
			}
			if got, ok := s.Due(); !ok || got != tt.want {
				t.Errorf("Due() = %+v, %v; want %+v", got, ok, tt.want)
			}
		})
	}
}

func TestStartNextPeriod(t *testing.T) {
	t.Parallel()
	t.Run("the same terms again, with the invoice the caller opened", func(t *testing.T) {
		t.Parallel()
		spec.Given(created()).When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.StartNextPeriod(s, subscription.NextPeriod{InvoiceID: 501, Amount: 1000}, t1)
		}).Then(t, renewed())
	})
	t.Run("a period too large for one charge ends the subscription instead", func(t *testing.T) {
		t.Parallel()
		spec.Given(created()).When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.StartNextPeriod(s, subscription.NextPeriod{Amount: subscription.MaxPeriodAmount + 1}, t1)
		}).Then(t, subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
			Reason: subscription.ReasonAmountTooLarge, By: subscription.BySystem, EndedAt: t1})
	})
	t.Run("not before the period ends", func(t *testing.T) {
		t.Parallel()
		spec.Given(created()).When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.StartNextPeriod(s, subscription.NextPeriod{InvoiceID: 501, Amount: 1000}, t1.Add(-time.Second))
		}).ThenError(t, subscription.ErrNotDue)
	})
	t.Run("twice for the same instant is refused the second time", func(t *testing.T) {
		t.Parallel()
		spec.Given(created(), renewed()).When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.StartNextPeriod(s, subscription.NextPeriod{InvoiceID: 502, Amount: 1000}, t1)
		}).ThenError(t, subscription.ErrNotDue)
	})
	t.Run("a scheduled phase comes first", func(t *testing.T) {
		t.Parallel()
		phase := subscription.Phase{Terms: yearly, Quantity: 2, PaidBy: 600}
		spec.Given(created(), subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, AddedAt: t0}).
			When(func(s subscription.State) ([]subscription.Event, error) {
				return subscription.StartNextPeriod(s, subscription.NextPeriod{}, t1)
			}).Then(t, subscription.PeriodStarted{SubscriptionID: 1, Cycle: 2, Phase: phase, FromPhase: true,
			PeriodStart: t1, PeriodEnd: t1.AddDate(1, 0, 0), StartedAt: t1})
	})
}

func TestDunning(t *testing.T) {
	t.Parallel()
	fail := func(n int, at time.Time, next time.Time) subscription.PaymentFailed {
		return subscription.PaymentFailed{SubscriptionID: 1, InvoiceID: 501, Failures: n, Reason: "card_declined",
			NextRetryAt: next, FailedAt: at}
	}
	f1, f2, f3 := fail(1, t1, t1.Add(days(3))), fail(2, t1.Add(days(3)), t1.Add(days(5))), fail(3, t1.Add(days(5)), t1.Add(days(7)))
	decline := func(at time.Time, policy subscription.Dunning) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.RecordPaymentFailed(s, 501, "card_declined", policy, at)
		}
	}
	t.Run("the first failure makes it past due, retried 3 days later", func(t *testing.T) {
		t.Parallel()
		spec.Given(created(), renewed()).When(decline(t1, subscription.DefaultDunning)).Then(t, f1)
	})
	t.Run("retries are counted from the first failure: +5, then +7 days", func(t *testing.T) {
		t.Parallel()
		spec.Given(created(), renewed(), f1).When(decline(t1.Add(days(3)), subscription.DefaultDunning)).Then(t, f2)
		spec.Given(created(), renewed(), f1, f2).When(decline(t1.Add(days(5)), subscription.DefaultDunning)).Then(t, f3)
	})
	t.Run("after the last retry it is canceled", func(t *testing.T) {
		t.Parallel()
		at := t1.Add(days(7))
		spec.Given(created(), renewed(), f1, f2, f3).When(decline(at, subscription.DefaultDunning)).Then(t,
			fail(4, at, time.Time{}), subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
				Reason: "payment_failed", By: subscription.BySystem, EndedAt: at})
	})
	t.Run("or unpaid when the account keeps them, and paying makes it active", func(t *testing.T) {
		t.Parallel()
		at := t1.Add(days(7))
		keep := subscription.Dunning{Retries: subscription.DefaultDunning.Retries, KeepUnpaid: true}
		unpaid := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusUnpaid, Reason: "payment_failed",
			By: subscription.BySystem, EndedAt: at}
		spec.Given(created(), renewed(), f1, f2, f3).When(decline(at, keep)).Then(t, fail(4, at, time.Time{}), unpaid)
		paid := subscription.PaymentSucceeded{SubscriptionID: 1, InvoiceID: 501, Amount: 1000, PaidAt: at.Add(time.Hour)}
		spec.Given(created(), renewed(), f1, f2, f3, fail(4, at, time.Time{}), unpaid).
			When(func(s subscription.State) ([]subscription.Event, error) {
				return subscription.RecordPayment(s, 501, 1000, at.Add(time.Hour))
			}).Then(t, paid)
		s := fold(created(), renewed(), f1, f2, f3, fail(4, at, time.Time{}), unpaid, paid)
		if s.Status != subscription.StatusActive || s.Ended() {
			t.Errorf("after paying, status %q ended %v; want active", s.Status, s.Ended())
		}
	})
	t.Run("a retry that succeeds makes it active and renews on schedule", func(t *testing.T) {
		t.Parallel()
		s := fold(created(), renewed(), f1, subscription.PaymentSucceeded{SubscriptionID: 1, InvoiceID: 501,
			Amount: 1000, PaidAt: t1.Add(days(3))})
		due, _ := s.Due()
		if s.Status != subscription.StatusActive || due != (subscription.Due{Kind: subscription.DueRenew, At: renewed().PeriodEnd}) {
			t.Errorf("status %q, due %+v; want active and renewing at %v", s.Status, due, renewed().PeriodEnd)
		}
	})
	t.Run("a payment of an invoice it does not wait for changes nothing", func(t *testing.T) {
		t.Parallel()
		spec.Given(created()).When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.RecordPayment(s, 999, 1000, t1)
		}).Then(t)
	})
}

func TestEndAndGiftNotice(t *testing.T) {
	t.Parallel()
	t.Run("a scheduled cancellation ends it canceled at the scheduled instant", func(t *testing.T) {
		t.Parallel()
		spec.Given(created(), subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd,
			Reason: "too expensive", CancelAt: t1, ScheduledAt: t0}).
			When(func(s subscription.State) ([]subscription.Event, error) { return subscription.End(s, t1.Add(days(40))) }).
			Then(t, subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, Reason: "too expensive",
				By: subscription.BySystem, EndedAt: t1})
	})
	t.Run("a plan that does not renew expires", func(t *testing.T) {
		t.Parallel()
		c := created()
		c.Terms.AutoRenew = false
		spec.Given(c).When(func(s subscription.State) ([]subscription.Event, error) { return subscription.End(s, t1) }).
			Then(t, subscription.Ended{SubscriptionID: 1, Status: subscription.StatusExpired, Reason: "not_renewed",
				By: subscription.BySystem, EndedAt: t1})
	})
	t.Run("an active renewing subscription does not end", func(t *testing.T) {
		t.Parallel()
		spec.Given(created()).When(func(s subscription.State) ([]subscription.Event, error) { return subscription.End(s, t1) }).
			ThenError(t, subscription.ErrNotDue)
	})
	t.Run("a gift is announced once, on its day", func(t *testing.T) {
		t.Parallel()
		donor := created()
		donor.Type, donor.GiftCode, donor.GiftStart = subscription.TypeGiftDonor, "GIFT-ABCD-EFGH", t1
		donor.Gift = subscription.Gift{RecipientEmail: "bea@example.com", RecipientFirstName: "Bea"}
		notified := subscription.GiftNotified{SubscriptionID: 1, CustomerID: 42, SiteID: 1232, GiftCode: "GIFT-ABCD-EFGH",
			Gift: donor.Gift, NotifiedAt: t1}
		spec.Given(donor).When(func(s subscription.State) ([]subscription.Event, error) { return subscription.NotifyGift(s, t0) }).
			ThenError(t, subscription.ErrNotDue)
		spec.Given(donor).When(func(s subscription.State) ([]subscription.Event, error) { return subscription.NotifyGift(s, t1) }).
			Then(t, notified)
		spec.Given(donor, notified).When(func(s subscription.State) ([]subscription.Event, error) { return subscription.NotifyGift(s, t1) }).
			ThenError(t, subscription.ErrNotDue)
	})
	t.Run("a gift redeemed before its day is not announced", func(t *testing.T) {
		t.Parallel()
		donor := created()
		donor.Type, donor.GiftCode, donor.GiftStart = subscription.TypeGiftDonor, "GIFT-ABCD-EFGH", t1
		redeemed := subscription.GiftRedeemed{SubscriptionID: 1, RecipientCustomerID: 43, RecipientSubscriptionID: 2,
			RedeemedAt: t0}
		spec.Given(donor, redeemed).
			When(func(s subscription.State) ([]subscription.Event, error) { return subscription.NotifyGift(s, t1) }).
			ThenError(t, subscription.ErrNotDue)
		if due, _ := fold(donor, redeemed).Due(); due.Kind != subscription.DueEnd || !due.At.Equal(donor.PeriodEnd) {
			t.Errorf("the redeemed gift is due for %q at %s, want its end at %s", due.Kind, due.At, donor.PeriodEnd)
		}
	})
}

func fold(events ...subscription.Event) subscription.State {
	var s subscription.State
	for _, e := range events {
		s = subscription.Evolve(s, e)
	}
	return s
}
