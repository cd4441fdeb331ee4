package commands_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

func TestAGiftTermPaidAfter3DSecureForAGiftCanceledMeanwhileIsRefunded(t *testing.T) {
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
	// and Ann canceling the gift now while the payment waits
	if _, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(w.ann),
		SubscriptionID: w.donor.ID, Mode: subscription.CancelNow}); err != nil {
		t.Fatal(err)
	}
	refunded := w.refundedAmount(t) // the gift's own invoice, refunded by the cancellation
	// when she completes 3-D Secure and the reactor hears the invoice was paid, twice
	if _, err := w.sandbox.Confirm(t.Context(), bought.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.intents.Confirm(t.Context(), newEnv(), bought.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	paid := envelope("invoice-paid:" + strconv.FormatInt(awaited, 10))
	for range 2 {
		if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), paid, awaited, 0); err != nil {
			t.Fatal(err)
		}
	}
	// then the gift ended refuses the term, and Ann gets what she paid for it back at once, once
	d := w.read(t, w.donor.ID)
	if d.Awaiting != nil || len(d.Phases) != 0 {
		t.Errorf("Ann's gift awaits %+v with phases %+v, want settled with no term", d.Awaiting, d.Phases)
	}
	bill := w.state(t, awaited)
	if got, ok := bill.RefundedUnder("gift-term-refused:" + strconv.FormatInt(awaited, 10)); !ok || got != bill.Total {
		t.Errorf("Ann's invoice refunded %d (%v), want its %d", got, ok, bill.Total)
	}
	if got := w.refundedAmount(t) - refunded; got != bill.Total {
		t.Errorf("the gateway gave back %d for the term, want %d once", got, bill.Total)
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
