package commands_test

import (
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestConcurrentGiftRenewalsChargeTheDonorOnce sends sixteen gift renewals of one gift at once, through two
// processes (the in-process lock does not span them), before and after Zoe redeemed it, until the phase
// limit refuses some. Every charge the sandbox gateway took is a term recorded for Zoe or, for a renewal
// refused only after it paid, refunded in full: none is kept for a renewal that then lost its append.
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
			processes := []commands.Subscriptions{w.subscriptions.AsAnotherProcess(), w.subscriptions.AsAnotherProcess()}
			// when Ann sends sixteen gift renewals at once
			var wg sync.WaitGroup
			errs := make([]error, 16)
			for i := range errs {
				wg.Go(func() {
					_, errs[i] = processes[i%2].RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.
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
