package commands_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// TestConcurrentGiftRenewalsChargeTheDonorOnce sends sixteen gift renewals of one gift at once, each through
// its own process (the in-process lock does not span them), before and after Zoe redeemed it, until the
// phase limit refuses some. The first charge the gateway takes is answered only once the fifteen others
// finished, so at least that renewal is refused after it paid. Every charge the sandbox gateway took is a
// term recorded for Zoe or, for a renewal refused only after it paid, refunded in full: none is kept for a
// renewal that then lost its append.
func TestConcurrentGiftRenewalsChargeTheDonorOnce(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		redeemed bool
	}{
		{"before the gift is redeemed", false},
		{"after the gift is redeemed", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift, redeemed by Zoe or not yet, and two processes serving Ann
			w := newGiftWorld(t)
			holder := w.donor.ID
			if c.redeemed {
				holder = w.redeem(t)
			}
			charged, _ := w.chargeCount(t)
			// when Ann sends sixteen gift renewals at once, the first one charged waiting for the others
			var wg sync.WaitGroup
			var finished atomic.Int32
			errs := make([]error, 16)
			waitForTheOthers := func(payments.Charge) {
				for deadline := time.Now().Add(time.Minute); finished.Load() < int32(len(errs)-1) && time.Now().Before(deadline); {
					time.Sleep(10 * time.Millisecond)
				}
			}
			w.gateway.afterCharge.Store(&waitForTheOthers)
			for i := range errs {
				process := w.subscriptions.AsAnotherProcess()
				wg.Go(func() {
					defer finished.Add(1)
					_, errs[i] = process.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.
						SubscriptionSale{Target: who(w.ann), SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1}})
				})
			}
			wg.Wait()
			// then every charge the gateway took paid a term Zoe holds, each term its own invoice and period
			terms := 0
			paidBy := map[int64]bool{}
			for _, p := range w.read(t, holder).Phases {
				if p.Gift && p.PaidBy != 0 {
					terms++
					paidBy[p.PaidBy] = true
				}
			}
			all, refunded := w.chargeCount(t)
			if kept := all - charged - refunded; kept != int64(terms) || len(paidBy) != terms || terms == 0 {
				t.Errorf("the gateway kept %d charges (%d refunded) for %d gift terms paid by %d invoices; errors %v",
					kept, refunded, terms, len(paidBy), errs)
			}
			if refunded == 0 {
				t.Errorf("no renewal was refused after its charge, the refund never ran; errors %v", errs)
			}
		})
	}
}

// chargeCount is how many charges the sandbox gateway took, and how many of them it refunded in full.
func (w *salesWorld) chargeCount(t *testing.T) (all, refunded int64) {
	t.Helper()
	if err := w.db.QueryRowContext(t.Context(), `SELECT count(*), count(*) FILTER (WHERE refunded = amount)
		FROM payments_sandbox_charges`).Scan(&all, &refunded); err != nil {
		t.Fatal(err)
	}
	return all, refunded
}
