package subscription_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestCancel(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	cancel := func(c subscription.Cancel, refund int64, at time.Time) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.CancelSubscription(s, c, refund, at)
		}
	}
	phase := subscription.PhaseAdded{SubscriptionID: 1, Phase: subscription.Phase{Terms: yearly, Quantity: 1}, AddedAt: t0}
	recipient := created()
	recipient.Type = subscription.TypeGiftRecipient
	incomplete := created()
	incomplete.Status = subscription.StatusIncomplete
	tests := []struct {
		name    string
		given   []subscription.Event
		cancel  subscription.Cancel
		want    []subscription.Event
		wantErr error
	}{
		{"the default mode waits for the end of the last phase", []subscription.Event{created(), phase},
			subscription.Cancel{Reason: "moving"},
			[]subscription.Event{subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtLastPeriodEnd,
				Reason: "moving", CancelAt: t1.AddDate(1, 0, 0), ScheduledAt: half}}, nil},
		{"current_period_end waits for this period", []subscription.Event{created(), phase},
			subscription.Cancel{Mode: subscription.CancelAtPeriodEnd},
			[]subscription.Event{subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd,
				CancelAt: t1, ScheduledAt: half}}, nil},
		{"now ends it with the refund given", []subscription.Event{created()},
			subscription.Cancel{Mode: subscription.CancelNow, ImmediateAllowed: true},
			[]subscription.Event{subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
				By: subscription.ByCustomer, Refund: 500, EndedAt: half}}, nil},
		{"now is refused when the account does not allow it", []subscription.Event{created()},
			subscription.Cancel{Mode: subscription.CancelNow}, nil, subscription.ErrImmediateCancellationDisabled},
		{"the same cancellation again is a no-op", []subscription.Event{created(), subscription.CancellationScheduled{
			SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd, CancelAt: t1, ScheduledAt: t0}},
			subscription.Cancel{Mode: subscription.CancelAtPeriodEnd}, nil, nil},
		{"again without a reason keeps the reason given", []subscription.Event{created(), subscription.CancellationScheduled{
			SubscriptionID: 1, Mode: subscription.CancelAtLastPeriodEnd, Reason: "too pricey", CancelAt: t1, ScheduledAt: t0}},
			subscription.Cancel{}, nil, nil},
		{"another mode without a reason keeps the reason given", []subscription.Event{created(), phase,
			subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtLastPeriodEnd, Reason: "too pricey",
				CancelAt: t1.AddDate(1, 0, 0), ScheduledAt: t0}},
			subscription.Cancel{Mode: subscription.CancelAtPeriodEnd},
			[]subscription.Event{subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd,
				Reason: "too pricey", CancelAt: t1, ScheduledAt: half}}, nil},
		{"now without a reason ends it with the reason given", []subscription.Event{created(), subscription.CancellationScheduled{
			SubscriptionID: 1, Mode: subscription.CancelAtLastPeriodEnd, Reason: "too pricey", CancelAt: t1, ScheduledAt: t0}},
			subscription.Cancel{Mode: subscription.CancelNow, ImmediateAllowed: true},
			[]subscription.Event{subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
				Reason: "too pricey", By: subscription.ByCustomer, Refund: 500, EndedAt: half}}, nil},
		{"a gift received cannot be canceled", []subscription.Event{recipient}, subscription.Cancel{}, nil,
			subscription.ErrGiftRecipient},
		{"a pending payment cannot be canceled", []subscription.Event{incomplete}, subscription.Cancel{}, nil,
			subscription.ErrPaymentPending},
		{"an ended subscription cannot be canceled", []subscription.Event{created(), subscription.Ended{
			SubscriptionID: 1, Status: subscription.StatusExpired, EndedAt: t1}}, subscription.Cancel{}, nil,
			subscription.ErrEnded},
		{"an unknown mode is invalid input", []subscription.Event{created()}, subscription.Cancel{Mode: "later"}, nil,
			subscription.ErrInvalid},
		{"nobody's subscription is not found", nil, subscription.Cancel{}, nil, subscription.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			refund := fold(tt.given...).Refund(half)
			outcome := spec.Given(tt.given...).When(cancel(tt.cancel, refund, half))
			if tt.wantErr != nil {
				outcome.ThenError(t, tt.wantErr)
				return
			}
			outcome.Then(t, tt.want...)
		})
	}
}

func TestReactivate(t *testing.T) {
	t.Parallel()
	scheduled := subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd,
		CancelAt: t1, ScheduledAt: t0}
	notRenewing := created()
	notRenewing.Terms.AutoRenew = false
	reactivate := func(s subscription.State) ([]subscription.Event, error) { return subscription.Reactivate(s, t0) }
	spec.Given(created(), scheduled).When(reactivate).Then(t, subscription.Reactivated{SubscriptionID: 1, ReactivatedAt: t0})
	spec.Given(created()).When(reactivate).ThenError(t, subscription.ErrNotCanceling)
	spec.Given(notRenewing, scheduled).When(reactivate).ThenError(t, subscription.ErrNotAutoRenew)
	s := fold(created(), scheduled, subscription.Reactivated{SubscriptionID: 1, ReactivatedAt: t0})
	if due, _ := s.Due(); due.Kind != subscription.DueRenew {
		t.Errorf("after reactivation the next due item is %q, want renew", due.Kind)
	}
}
