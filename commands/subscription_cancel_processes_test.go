package commands_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestTwoProcessesCancellingRefundOnce proves that the in-process lock is not what keeps an immediate
// cancellation to one refund: two instances with locks of their own (two servers on one store) cancel one
// subscription at once, and the appends' expected revisions and the gateway's key do the rest.
func TestTwoProcessesCancellingRefundOnce(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	processes := []commands.Subscriptions{w.subscriptions.AsAnotherProcess(), w.subscriptions.AsAnotherProcess()}
	for _, mode := range []subscription.CancelMode{subscription.CancelNow, subscription.CancelAtPeriodEnd} {
		t.Run(string(mode), func(t *testing.T) {
			// given a paid subscription
			customer := w.register(t, "two-"+string(mode)+"@example.com", "two"+string(mode))
			s := w.subscribe(t, customer, 4051, "tok_visa")
			refundedBefore := w.refundedAmount(t)
			// when each of two processes sends ten cancellations of it at once
			errs := cancelAtOnce(t, func(i int) commands.Subscriptions { return processes[i%2] },
				commands.Cancellation{Target: who(customer), SubscriptionID: s.ID, Mode: mode})
			// then every request succeeds or finds it ended, and the subscription took one decision
			for _, err := range errs {
				if err != nil && !errors.Is(err, subscription.ErrEnded) {
					t.Errorf("a concurrent cancel failed: %v", err)
				}
			}
			got, events := w.read(t, s.ID), w.streamEvents(t, subscriptionStream(s.ID))
			refunded := w.refundedAmount(t) - refundedBefore
			switch mode {
			case subscription.CancelNow:
				// created, the instant recorded, the end; the gateway gave back what the end records, once
				if events != 3 || !got.Ended() || got.ImmediateRefund() <= 0 || refunded != got.ImmediateRefund() {
					t.Fatalf("%d events, ended %v, recorded refund %d, gateway refunded %d",
						events, got.Ended(), got.ImmediateRefund(), refunded)
				}
			default:
				if events != 2 || refunded != 0 {
					t.Fatalf("%d events, %d refunded; want created + one schedule and no refund", events, refunded)
				}
			}
		})
	}
}

// refundedAmount is how much the sandbox gave back over all its charges.
func (w *salesWorld) refundedAmount(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := w.db.QueryRowContext(t.Context(),
		`SELECT coalesce(sum(refunded), 0) FROM payments_sandbox_charges`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// cancelAtOnce sends twenty cancellations c at once, the i-th through by(i), and returns their errors.
func cancelAtOnce(t *testing.T, by func(i int) commands.Subscriptions, c commands.Cancellation) []error {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, errs[i] = by(i).Cancel(t.Context(), newEnv(), c) })
	}
	wg.Wait()
	return errs
}
