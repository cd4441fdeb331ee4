package commands_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readHook is the store of a process that runs then, once, right after its next read of stream but the skip
// first ones: what another process writes between a command's read of the stream and its append to it.
type readHook struct {
	*refusingStore
	stream string
	skip   atomic.Int32
	then   atomic.Pointer[func()]
}

func (s *readHook) ReadStream(ctx context.Context, stream string, direction eventstore.Direction,
	from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	events, err := s.refusingStore.ReadStream(ctx, stream, direction, from, limit)
	if stream == s.stream && s.skip.Add(-1) < 0 {
		if then := s.then.Swap(nil); then != nil {
			(*then)()
		}
	}
	return events, err
}

// TestAGiftTermPaidAfter3DSecureGoesToTheRecipientWhateverWhenTheGiftIsRedeemed: Zoe redeems Ann's gift, in
// another process, while a term Ann bought with 3-D Secure is paid: before the reactor hears the invoice
// paid, between the reactor's read of Ann's gift and its settlement (it must read again, not settle the term
// on a gift redeemed meanwhile, where nobody holds it), after it settled, or with the settlement between the
// redemption's read of the gift and its record. Whichever, and though the reactor hears the payment twice,
// Zoe holds the term exactly once and Ann pays for it once: never charged for nothing, never refunded for a
// term given.
func TestAGiftTermPaidAfter3DSecureGoesToTheRecipientWhateverWhenTheGiftIsRedeemed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		redeems string // when Zoe redeems: "before", "between", "after" or "around" the reactor's settlement
	}{
		{"redeemed before the payment is heard", "before"},
		{"redeemed between the reactor's read of the gift and its settlement", "between"},
		{"redeemed after the term is settled on the gift", "after"},
		{"settled between the redemption's read of the gift and its record", "around"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift, not redeemed yet, and a term she bought for it with 3-D Secure, paid; the
			// reactor and Zoe's redemption in two processes, each able to let the other in after a read
			w := newGiftWorld(t)
			reactorReads := &readHook{refusingStore: w.store, stream: subscriptionStream(w.donor.ID)}
			redemptionReads := &readHook{refusingStore: w.store, stream: subscriptionStream(w.donor.ID)}
			other := w.subscriptions.AsAnotherProcess() // its own locks, and its own state cache
			w.subscriptions.Store, other.Store = reactorReads, redemptionReads
			bought, err := w.subscriptions.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.
				SubscriptionSale{Target: who(w.ann), SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1,
				Payment: threeDSecure}})
			if err != nil || bought.PaymentIntent == nil {
				t.Fatalf("gift renew: %+v, %v; want a payment intent", bought, err)
			}
			awaited := w.read(t, w.donor.ID).Awaiting.InvoiceID
			if err := w.completes(t, bought.PaymentIntent.ID); err != nil {
				t.Fatal(err)
			}
			kept := w.kept(t)
			// when Zoe redeems the gift, as the case says, and the reactor hears twice that the term's
			// invoice was paid
			var zoes int64
			redeem := func() {
				r, err := other.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: who(w.zoe),
					Code: w.donor.GiftCode})
				if err != nil {
					t.Errorf("redeem: %v", err)
				}
				zoes = r.SubscriptionID
			}
			paid := envelope("invoice-paid:" + strconv.FormatInt(awaited, 10))
			settle := func() {
				if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), paid, awaited, 0); err != nil {
					t.Errorf("record invoice paid: %v", err)
				}
			}
			switch c.redeems {
			case "before":
				redeem()
				settle()
			case "between":
				reactorReads.then.Store(&redeem)
				settle()
			case "after":
				settle()
				redeem()
			case "around":
				redemptionReads.skip.Store(1) // the read that finds the gift by its code
				redemptionReads.then.Store(&settle)
				redeem()
			}
			if reactorReads.then.Load() != nil || redemptionReads.then.Load() != nil {
				t.Fatal("the hooked read never came: the interleaving did not happen")
			}
			settle()
			// then Zoe holds the term once, Ann's purchase waits for nothing, and her payment is kept, once
			assertTermGivenOnce(t, w, zoes, awaited, kept)
		})
	}
}

// assertTermGivenOnce checks the gift term invoice awaited paid for is held by Zoe's subscription zoes
// exactly once, Ann's gift awaits nothing, and the gateway still keeps kept: the term's payment neither
// refunded nor taken twice.
func assertTermGivenOnce(t *testing.T, w giftWorld, zoes, awaited, kept int64) {
	t.Helper()
	held := 0
	for _, p := range w.read(t, zoes).Phases {
		if p.Gift && p.PaidBy == awaited {
			held++
		}
	}
	if held != 1 {
		t.Errorf("Zoe holds the term invoice %d paid for %d times, want once; phases %+v", awaited, held,
			w.read(t, zoes).Phases)
	}
	if d := w.read(t, w.donor.ID); d.Awaiting != nil {
		t.Errorf("Ann's gift still awaits %+v", d.Awaiting)
	}
	if bill := w.state(t, awaited); len(bill.Refunds) != 0 {
		t.Errorf("the term given was refunded as well: %+v", bill.Refunds)
	}
	if got := w.kept(t); got != kept {
		t.Errorf("the gateway keeps %d, want %d: Ann charged once for the term", got, kept)
	}
}
