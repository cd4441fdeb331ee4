package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestCancellingAndReactivating(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	ann, bo := w.register(t, "ann@example.com", "ann"), w.register(t, "bo@example.com", "bo")
	cancel := func(customer, id int64, mode subscription.CancelMode) error {
		_, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(customer),
			SubscriptionID: id, Mode: mode, Reason: "moving"})
		return err
	}
	reactivate := func(customer, id int64) error {
		_, err := w.subscriptions.Reactivate(t.Context(), newEnv(), who(customer), id)
		return err
	}
	// given a running subscription of Ann's
	s := w.subscribe(t, ann, 4051, "tok_visa")
	// then nobody else can cancel or reactivate it, nor learn it exists
	if err := cancel(bo, s.ID, ""); !errors.Is(err, subscription.ErrNotFound) {
		t.Errorf("Bo cancels Ann's subscription: %v, want ErrNotFound", err)
	}
	if err := cancel(ann, 999_999, ""); !errors.Is(err, subscription.ErrNotFound) {
		t.Errorf("an unknown subscription: %v, want ErrNotFound", err)
	}
	// and reactivating one that is not set to cancel is refused
	if err := reactivate(ann, s.ID); !errors.Is(err, subscription.ErrNotCanceling) {
		t.Errorf("reactivate a running subscription: %v, want ErrNotCanceling", err)
	}
	// when Ann cancels with the default mode, it is set to end with its last period
	if err := cancel(ann, s.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := w.read(t, s.ID); !got.CancelAt.Equal(got.PeriodEnd) || got.CancelMode != subscription.CancelAtLastPeriodEnd ||
		got.CancelReason != "moving" {
		t.Fatalf("after cancel: %+v", got)
	}
	if err := reactivate(bo, s.ID); !errors.Is(err, subscription.ErrNotFound) {
		t.Errorf("Bo reactivates Ann's subscription: %v, want ErrNotFound", err)
	}
	// and reactivating it undoes that
	if err := reactivate(ann, s.ID); err != nil {
		t.Fatal(err)
	}
	if got := w.read(t, s.ID); !got.CancelAt.IsZero() {
		t.Fatalf("after reactivate: still cancelling at %s", got.CancelAt)
	}
	// when the account does not allow immediate cancellation, mode now is refused
	strict := w.subscriptions
	strict.Catalog = fakeCatalog{policy: commands.AccountPolicy{}}
	if _, err := strict.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(ann), SubscriptionID: s.ID,
		Mode: subscription.CancelNow}); !errors.Is(err, subscription.ErrImmediateCancellationDisabled) {
		t.Errorf("now without the account's consent: %v", err)
	}
	// when it allows it, the subscription ends at once with the unused time refunded
	if err := cancel(ann, s.ID, subscription.CancelNow); err != nil {
		t.Fatal(err)
	}
	if got := w.read(t, s.ID); got.Status != subscription.StatusCanceled || !got.Ended() {
		t.Fatalf("after cancel now: %+v", got)
	}
	if n := w.refunds(t); n != 1 {
		t.Errorf("%d refunds, want 1", n)
	}
	// and an ended subscription can be neither cancelled nor reactivated
	if err := cancel(ann, s.ID, ""); !errors.Is(err, subscription.ErrEnded) {
		t.Errorf("cancel an ended subscription: %v, want ErrEnded", err)
	}
	if err := reactivate(ann, s.ID); !errors.Is(err, subscription.ErrEnded) {
		t.Errorf("reactivate an ended subscription: %v, want ErrEnded", err)
	}
}

func TestConcurrentCancellationsHaveOneOutcome(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	for _, mode := range []subscription.CancelMode{subscription.CancelNow, subscription.CancelAtPeriodEnd} {
		t.Run(string(mode), func(t *testing.T) {
			customer := w.register(t, string(mode)+"@example.com", string(mode))
			s := w.subscribe(t, customer, 4051, "tok_visa")
			refundsBefore := w.refunds(t)
			// when twenty requests cancel one subscription at once
			errs := cancelAtOnce(t, func(int) commands.Subscriptions { return w.subscriptions },
				commands.Cancellation{Target: who(customer), SubscriptionID: s.ID, Mode: mode})
			// then one of them decides: the others find it done (mode now: ended) or repeat it (no-op)
			succeeded := 0
			for _, err := range errs {
				switch {
				case err == nil:
					succeeded++
				case !errors.Is(err, subscription.ErrEnded):
					t.Errorf("a concurrent cancel failed: %v", err)
				}
			}
			events := w.streamEvents(t, subscriptionStream(s.ID))
			switch mode {
			case subscription.CancelNow:
				// created, the instant recorded, the end; one refund
				if succeeded < 1 || events != 3 || w.refunds(t)-refundsBefore != 1 {
					t.Fatalf("%d succeeded, %d events, %d refunds", succeeded, events, w.refunds(t)-refundsBefore)
				}
			default:
				if succeeded != 20 || events != 2 {
					t.Fatalf("%d succeeded, %d events; want 20 and created + one schedule", succeeded, events)
				}
			}
		})
	}
}
