package commands_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// zoeRenewsUnpaid is Zoe renewing her subscription for a term the billing clock bills when it starts.
func zoeRenewsUnpaid(t *testing.T, w giftWorld, id int64) {
	t.Helper()
	if _, err := w.subscriptions.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.
		SubscriptionSale{Target: who(w.zoe), SubscriptionID: id, PlanID: 4051, Quantity: 1}}); err != nil {
		t.Fatal(err)
	}
}

// owingAfterTheGift is Ann's gift redeemed by Zoe onto her own subscription, then renewed by Zoe for a term
// of her own whose charge, after the gift's term, declined: it owes an invoice, in dunning.
func owingAfterTheGift(t *testing.T) (giftWorld, subscription.State) {
	t.Helper()
	w := newGiftWorld(t)
	zoes := w.subscribe(t, w.zoe, 4051, "tok_visa")
	w.redeemOnto(t, zoes.ID)
	giftEnd := w.read(t, zoes.ID).LastPeriodEnd()
	zoeRenewsUnpaid(t, w, zoes.ID)
	w.gateway.next.Store(declines) // the next charge, Zoe's own renewal after the gift's term, declines
	if got := w.billAll(t, zoes.ID, giftEnd); !slices.Equal(got, []string{"renew:renewed", "renew:renewed",
		"charge:payment_failed"}) {
		t.Fatalf("billing items %v, want the gift's term, then a declined renewal", got)
	}
	return w, w.read(t, zoes.ID)
}

func TestAGiftTermIsNotAddedToASubscriptionThatOwesAnInvoice(t *testing.T) {
	t.Parallel()
	// given Ann's gift redeemed onto Zoe's subscription, which now owes an invoice
	w, zoes := owingAfterTheGift(t)
	charges := w.charges(t)
	// when Ann buys Zoe another term
	_, err := w.subscriptions.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.
		SubscriptionSale{Target: who(w.ann), SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1}})
	// then it is refused as a redemption onto it is, before Ann is charged, and Zoe gets no term
	assertRefusal(t, err, subscription.ErrInvoiceUnpaid)
	if got := w.charges(t); got != charges {
		t.Errorf("%d charges after a refused gift renew, want %d", got, charges)
	}
	if s := w.read(t, zoes.ID); len(s.Phases) != len(zoes.Phases) {
		t.Errorf("Zoe's subscription got phases %+v", s.Phases)
	}
}

// giftTermPaidWhileZoeOwes is Ann's gift redeemed onto Zoe's subscription, Ann buying Zoe another term with a
// card asking for 3-D Secure, Zoe's own renewal after the gift's term declining meanwhile (her subscription
// owes an invoice), then Ann completing 3-D Secure: the awaited invoice is paid, the reactor not yet told.
func giftTermPaidWhileZoeOwes(t *testing.T) (w giftWorld, zoes, awaited int64, giftEnd time.Time) {
	t.Helper()
	w = newGiftWorld(t)
	zoes = w.subscribe(t, w.zoe, 4051, "tok_visa").ID
	w.redeemOnto(t, zoes)
	giftEnd = w.read(t, zoes).LastPeriodEnd()
	bought, err := w.subscriptions.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.
		SubscriptionSale{Target: who(w.ann), SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1,
		Payment: threeDSecure}})
	if err != nil || bought.PaymentIntent == nil {
		t.Fatalf("gift renew: %+v, %v; want a payment intent", bought, err)
	}
	awaited = w.read(t, w.donor.ID).Awaiting.InvoiceID
	zoeRenewsUnpaid(t, w, zoes)
	w.gateway.next.Store(declines) // the next charge, Zoe's own renewal after the gift's term, declines
	if got := w.billAll(t, zoes, giftEnd); !slices.Equal(got, []string{"renew:renewed", "renew:renewed",
		"charge:payment_failed"}) {
		t.Fatalf("billing items %v, want the gift's term, then a declined renewal", got)
	}
	if _, err := w.sandbox.Confirm(t.Context(), bought.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.intents.Confirm(t.Context(), newEnv(), bought.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	return w, zoes, awaited, giftEnd
}

// assertRefusedTermRefunded checks Ann's purchase awaited is settled unapplied, its invoice refunded in full
// under the refused term's key and the gateway asked once, and her gift still ending at giftEnd.
func assertRefusedTermRefunded(t *testing.T, w giftWorld, awaited int64, giftEnd time.Time) {
	t.Helper()
	if d := w.read(t, w.donor.ID); d.Awaiting != nil || !d.GiftTermsEnd.Equal(giftEnd) {
		t.Errorf("Ann's gift awaits %+v and ends %s, want settled and ending %s", d.Awaiting, d.GiftTermsEnd, giftEnd)
	}
	bill := w.state(t, awaited)
	if refunded, ok := bill.RefundedUnder("gift-term-refused:" + strconv.FormatInt(awaited, 10)); bill.Status !=
		invoice.StatusPaid || !ok || refunded != bill.Total || bill.Refundable() != 0 {
		t.Errorf("Ann's invoice is %s, refunded %d of %d (%v), want paid and refunded in full", bill.Status,
			refunded, bill.Total, ok)
	}
	if got := w.refundedAmount(t); got != bill.Total {
		t.Errorf("the gateway gave back %d, want Ann's %d once", got, bill.Total)
	}
}

func TestAGiftTermPaidAfter3DSecureIsNotAddedToASubscriptionThatOwesAnInvoice(t *testing.T) {
	t.Parallel()
	// given Ann's term for Zoe paid after 3-D Secure while Zoe's subscription owes an invoice
	w, zoes, awaited, giftEnd := giftTermPaidWhileZoeOwes(t)
	phases := len(w.read(t, zoes).Phases)
	// when the reactor hears the invoice was paid, twice
	paid := envelope("invoice-paid:" + strconv.FormatInt(awaited, 10))
	for range 2 {
		if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), paid, awaited, 0); err != nil {
			t.Fatal(err)
		}
	}
	// then Zoe gets no term dunning could drop; Ann's purchase is settled unapplied, her payment refunded in
	// full and recorded on its invoice once, and the gift's end does not move
	if s := w.read(t, zoes); len(s.Phases) != phases {
		t.Errorf("Zoe's subscription owing an invoice got the term: phases %+v", s.Phases)
	}
	assertRefusedTermRefunded(t, w, awaited, giftEnd)
}

func TestAGiftTermRefundedStaysRefusedThoughItsSettlementFailedAndTheRecipientPaidMeanwhile(t *testing.T) {
	t.Parallel()
	// given Ann's term for Zoe paid after 3-D Secure while Zoe's subscription owes an invoice, the reactor
	// refunding it but failing to record the refusal
	w, zoes, awaited, giftEnd := giftTermPaidWhileZoeOwes(t)
	phases := len(w.read(t, zoes).Phases)
	paid := envelope("invoice-paid:" + strconv.FormatInt(awaited, 10))
	fault := "subscription.purchase_settled"
	w.store.refuse.Store(&fault)
	if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), paid, awaited, 0); !errors.Is(err, errStoreDown) {
		t.Fatalf("the first delivery: %v, want the store's failure", err)
	}
	// and Zoe paying what she owes before the reactor hears the invoice paid again
	if got := w.billAll(t, zoes, w.read(t, zoes).NextRetryAt); !slices.Contains(got, "charge:paid") {
		t.Fatalf("billing items %v, want Zoe's invoice paid", got)
	}
	if s := w.read(t, zoes); s.Unsettled != 0 {
		t.Fatalf("Zoe's subscription still owes invoice %d", s.Unsettled)
	}
	// when it does
	if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), paid, awaited, 0); err != nil {
		t.Fatal(err)
	}
	// then the term refunded is not given: Ann is not both refunded and given the term
	if s := w.read(t, zoes); len(s.Phases) != phases {
		t.Errorf("Zoe got the term Ann was refunded: phases %+v", s.Phases)
	}
	assertRefusedTermRefunded(t, w, awaited, giftEnd)
}
