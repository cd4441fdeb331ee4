package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// TestAGiftTermAwaiting3DSecureIsVoidedWhenItsGiftIsCanceledNow: a gift term waiting for 3-D Secure is given
// up with the gift cancelled now: its intent canceled at the gateway and its invoice voided, so completing
// 3-D Secure afterwards fails cleanly and takes nothing (no charge taken and given back).
func TestAGiftTermAwaiting3DSecureIsVoidedWhenItsGiftIsCanceledNow(t *testing.T) {
	t.Parallel()
	// given Ann buying another term of her gift, not redeemed yet, with a card asking for 3-D Secure
	w := newGiftWorld(t)
	bought, err := w.subscriptions.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.
		SubscriptionSale{Target: who(w.ann), SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1,
		Payment: threeDSecure}})
	if err != nil || bought.PaymentIntent == nil {
		t.Fatalf("gift renew: %+v, %v; want a payment intent", bought, err)
	}
	awaited := w.read(t, w.donor.ID).Awaiting.InvoiceID
	// when Ann cancels the gift now while the payment waits
	if _, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(w.ann),
		SubscriptionID: w.donor.ID, Mode: subscription.CancelNow}); err != nil {
		t.Fatal(err)
	}
	refunded := w.refundedAmount(t) // the gift's own invoice, refunded by the cancellation
	// then the term is abandoned with the gift, its invoice void
	if d := w.read(t, w.donor.ID); d.Awaiting != nil || len(d.Phases) != 0 {
		t.Errorf("Ann's gift awaits %+v with phases %+v, want the term abandoned", d.Awaiting, d.Phases)
	}
	if bill := w.state(t, awaited); bill.Status != invoice.StatusVoid || len(bill.Refunds) != 0 {
		t.Errorf("Ann's invoice %s with refunds %+v, want void and never paid", bill.Status, bill.Refunds)
	}
	// and completing 3-D Secure afterwards fails cleanly, charging nothing to give back
	if at, err := w.sandbox.Confirm(t.Context(), bought.PaymentIntent.ID); err != nil || at.Status != payments.IntentCanceled {
		t.Errorf("late authentication: %+v, %v; want the intent still canceled", at, err)
	}
	if _, err := w.intents.Confirm(t.Context(), newEnv(), bought.PaymentIntent.ID); !errors.Is(err, commands.ErrIntentNotSucceeded) {
		t.Errorf("late confirmation: %v, want ErrIntentNotSucceeded", err)
	}
	if got := w.refundedAmount(t); got != refunded {
		t.Errorf("the gateway gave back %d more, want nothing: nothing was taken for the term", got-refunded)
	}
}

func TestAGiftRenewalRefusedAfterItsChargeIsNotGivenWhenRetried(t *testing.T) {
	t.Parallel()
	// given Ann's gift redeemed onto Zoe's subscription, one phase short of the limit
	w := newGiftWorld(t)
	zoes := w.subscribe(t, w.zoe, 4051, "tok_visa")
	w.redeemOnto(t, zoes.ID)
	for range subscription.MaxPhases - 2 {
		zoeRenewsUnpaid(t, w, zoes.ID)
	}
	// and Ann buying Zoe another term, Zoe taking the last phase while Ann's card is charged
	takeLast := func(payments.Charge) { zoeRenewsUnpaid(t, w, zoes.ID) }
	w.gateway.afterCharge.Store(&takeLast)
	env := newEnv()
	renewal := commands.GiftRenewal{SubscriptionSale: commands.SubscriptionSale{Target: who(w.ann),
		SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1}}
	if _, err := w.subscriptions.RenewGift(t.Context(), env, renewal); !errors.Is(err, subscription.ErrTooManyPhases) {
		t.Fatalf("gift renew: %v, want the phase limit after the charge", err)
	}
	refunded := w.refundedAmount(t)
	if refunded == 0 {
		t.Fatal("the refused renewal refunded nothing")
	}
	// when a phase of Zoe's starts, and Ann's request is retried under the same key
	w.billAll(t, zoes.ID, zoes.PeriodEnd)
	if got := len(w.read(t, zoes.ID).Phases); got >= subscription.MaxPhases {
		t.Fatalf("Zoe still holds %d phases", got)
	}
	_, err := w.subscriptions.RenewGift(t.Context(), env, renewal)
	// then the term Ann was refunded is refused, not given as well
	assertRefusal(t, err, subscription.ErrGiftTermRefunded)
	for _, p := range w.read(t, zoes.ID).Phases {
		if p.Gift && p.PaidBy != 0 {
			t.Errorf("Zoe got the term refunded to Ann: %+v", p)
		}
	}
	if got := w.refundedAmount(t); got != refunded {
		t.Errorf("the gateway gave back %d, want %d once", got, refunded)
	}
}
