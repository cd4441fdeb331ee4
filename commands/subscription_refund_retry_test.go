package commands_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// The faults failingRefunds can play on the next refund.
const (
	refundUnavailable int32 = iota + 1 // the gateway cannot be reached: nothing is refunded
	refundAnswerLost                   // the refund is made, then its answer is lost
)

// failingRefunds is the world's gateway whose next refund can fail once (failNext), and which notes the
// refunds it made from then on, by key: the gateway's ids of the refunds it answered each with.
type failingRefunds struct {
	*faultyCharges
	next atomic.Int32
	mu   sync.Mutex
	made map[string]map[string]bool
}

// failNext has the next refund fail with fault, and forgets the refunds made so far.
func (g *failingRefunds) failNext(fault int32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.made = map[string]map[string]bool{}
	g.next.Store(fault)
}

func (g *failingRefunds) Refund(ctx context.Context, req payments.RefundRequest) (payments.Refund, error) {
	fault := g.next.Swap(0)
	if fault == refundUnavailable {
		return payments.Refund{}, payments.ErrUnavailable
	}
	refund, err := g.faultyCharges.Refund(ctx, req)
	if err == nil {
		g.mu.Lock()
		if g.made[req.IdempotencyKey] == nil {
			g.made[req.IdempotencyKey] = map[string]bool{}
		}
		g.made[req.IdempotencyKey][refund.GatewayID] = true
		g.mu.Unlock()
	}
	if fault == refundAnswerLost && err == nil {
		return payments.Refund{}, payments.ErrUnavailable
	}
	return refund, err
}

// refundsMade are the keys the gateway refunded under since failNext, with how many refunds it made under each
// (a refund asked again under its key is answered with the same refund).
func (g *failingRefunds) refundsMade() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	made := map[string]int{}
	for k, ids := range g.made {
		made[k] = len(ids)
	}
	return made
}

// withFailingRefunds has w's invoices refund through a failingRefunds over its gateway.
func withFailingRefunds(w *salesWorld) *failingRefunds {
	g := &failingRefunds{faultyCharges: w.gateway, made: map[string]map[string]bool{}}
	w.invoices.Gateways["stripe"] = g
	return g
}

// ownPurchases are the purchases Ann makes on her own subscription, paid at once with a new card: the name,
// the refund key of its refusal (less the invoice id), and the request, sent under env.
var ownPurchases = []struct {
	name, key string
	send      func(t *testing.T, w purchaseWorld, env commands.Envelope) error
}{
	{"the renewal", "renewal-refused:", func(t *testing.T, w purchaseWorld, env commands.Envelope) error {
		_, err := w.subscriptions.Renew(t.Context(), env, commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
			Target: who(w.ann), SubscriptionID: w.sub.ID, PlanID: 4051, Quantity: 1,
			Payment: commands.SubscriptionPayment{Token: "tok_visa"}}})
		return err
	}},
	{"the plan change", "change-refused:", func(t *testing.T, w purchaseWorld, env commands.Envelope) error {
		_, err := w.subscriptions.Change(t.Context(), env, commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{
			Target: who(w.ann), SubscriptionID: w.sub.ID, PlanID: 4054, Quantity: 1,
			Payment: commands.SubscriptionPayment{Token: "tok_visa"}}})
		return err
	}},
}

// TestARefusedPurchaseWhoseRefundFailedIsRefundedOnceWhenRetried: Ann's renewal is refused after its charge
// (her subscription ended, in another process, while her card was charged; or, for a gift's term, the
// recipient took the last phase meanwhile), and the refund that must then
// give her payment back fails at the gateway: unreachable, or made but its answer lost. The request (or, for
// a renewal paid after 3-D Secure, the reactor hearing the invoice paid) answers that failure, to be tried
// again; tried again, the payment is refunded exactly once and the refund recorded on the invoice, and a
// further retry answers that it was refunded.
func TestARefusedPurchaseWhoseRefundFailedIsRefundedOnceWhenRetried(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault int32
	}{
		{"the gateway unreachable", refundUnavailable},
		{"the refund's answer lost", refundAnswerLost},
	}
	for _, c := range cases {
		for _, p := range ownPurchases {
			t.Run(p.name+" retried, "+c.name, func(t *testing.T) {
				t.Parallel()
				// given Ann's purchase paid at once, her subscription ended in another process while her card
				// is charged, and the refund of the refused purchase failing once
				w := newPurchaseWorld(t)
				refunds := withFailingRefunds(w.salesWorld)
				var kept int64
				endsMeanwhile := func(charged payments.Charge) {
					w.cancelsNow(t, w.subscriptions.AsAnotherProcess())
					kept = w.kept(t) - charged.Amount.Amount // once the refused purchase's charge is given back
					refunds.failNext(c.fault)
				}
				w.gateway.afterCharge.Store(&endsMeanwhile)
				env := newEnv()
				if err := p.send(t, w, env); !errors.Is(err, payments.ErrUnavailable) {
					t.Fatalf("%s: %v, want the refund's failure, to retry", p.name, err)
				}
				bills := w.invoicesOf(t, w.sub.ID)
				bill := bills[len(bills)-1].ID
				// when Ann's request is retried under the same key
				err := p.send(t, w, env)
				// then it answers the refusal, her payment refunded once and recorded so on the invoice
				assertRefusal(t, err, subscription.ErrEnded)
				assertRefundedOnce(t, w.salesWorld, refunds, bill, p.key, kept)
				// and a further retry answers that it was refunded, refunding nothing more
				assertRefusal(t, p.send(t, w, env), commands.ErrPurchaseRefunded)
				assertRefundedOnce(t, w.salesWorld, refunds, bill, p.key, kept)
			})
		}
		t.Run("the gift renewal retried, "+c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift redeemed onto Zoe's subscription, one phase short of the limit, Ann buying Zoe
			// another term paid at once, Zoe taking the last phase while Ann's card is charged, and the refund
			// of the refused term failing once
			w := newGiftWorld(t)
			refunds := withFailingRefunds(w.salesWorld)
			zoes := w.subscribe(t, w.zoe, 4051, "tok_visa")
			w.redeemOnto(t, zoes.ID)
			for range subscription.MaxPhases - 2 {
				zoeRenewsUnpaid(t, w, zoes.ID)
			}
			var kept int64
			takesTheLast := func(charged payments.Charge) {
				zoeRenewsUnpaid(t, w, zoes.ID)
				kept = w.kept(t) - charged.Amount.Amount
				refunds.failNext(c.fault)
			}
			w.gateway.afterCharge.Store(&takesTheLast)
			env := newEnv()
			renewal := commands.GiftRenewal{SubscriptionSale: commands.SubscriptionSale{Target: who(w.ann),
				SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1}}
			if _, err := w.subscriptions.RenewGift(t.Context(), env, renewal); !errors.Is(err, payments.ErrUnavailable) {
				t.Fatalf("gift renew: %v, want the refund's failure, to retry", err)
			}
			bills := w.invoicesOf(t, w.donor.ID)
			term := bills[len(bills)-1].ID
			// when Ann's request is retried under the same key, Zoe's phases still full
			_, err := w.subscriptions.RenewGift(t.Context(), env, renewal)
			// then it answers the refusal, Ann's payment refunded once and recorded so on the invoice
			assertRefusal(t, err, subscription.ErrTooManyPhases)
			assertRefundedOnce(t, w.salesWorld, refunds, term, "gift-term-refused:", kept)
			// and a further retry answers that it was refunded, refunding nothing more
			_, err = w.subscriptions.RenewGift(t.Context(), env, renewal)
			assertRefusal(t, err, subscription.ErrGiftTermRefunded)
			assertRefundedOnce(t, w.salesWorld, refunds, term, "gift-term-refused:", kept)
		})
		t.Run("the reactor hearing again, "+c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's renewal waiting for 3-D Secure, her subscription ended meanwhile by the billing clock
			// (dunning gave up in another process: nothing voids the waiting purchase, unlike a cancellation),
			// and Ann paying
			w := newPurchaseWorld(t)
			refunds := withFailingRefunds(w.salesWorld)
			env := newEnv()
			renewal := commands.Renewal{SubscriptionSale: commands.SubscriptionSale{Target: who(w.ann),
				SubscriptionID: w.sub.ID, PlanID: 4051, Quantity: 1, Payment: threeDSecure}}
			bought, err := w.subscriptions.Renew(t.Context(), env, renewal)
			if err != nil || bought.PaymentIntent == nil {
				t.Fatalf("renew: %+v, %v; want a payment intent", bought, err)
			}
			awaited := w.read(t, w.sub.ID).Awaiting.InvoiceID
			w.endedByTheClock(t)
			kept := w.kept(t)
			if err := w.completes(t, bought.PaymentIntent.ID); err != nil {
				t.Fatal(err)
			}
			// when the reactor hears the invoice paid, the refund failing once, and hears it again
			refunds.failNext(c.fault)
			paid := envelope("invoice-paid:" + strconv.FormatInt(awaited, 10))
			if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), paid, awaited, 0); !errors.Is(err, payments.ErrUnavailable) {
				t.Fatalf("the first delivery: %v, want the refund's failure, to retry", err)
			}
			for range 2 {
				if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), paid, awaited, 0); err != nil {
					t.Fatal(err)
				}
			}
			// then the renewal is settled unapplied, and Ann's payment refunded once, recorded on the invoice
			if s := w.read(t, w.sub.ID); s.Awaiting != nil || len(s.Phases) != 0 {
				t.Errorf("after the payment: awaiting %+v, phases %+v", s.Awaiting, s.Phases)
			}
			assertRefundedOnce(t, w.salesWorld, refunds, awaited, "renewal-refused:", kept)
			// and Ann's request retried answers that it was refunded
			_, err = w.subscriptions.Renew(t.Context(), env, renewal)
			assertRefusal(t, err, commands.ErrPurchaseRefunded)
			assertRefundedOnce(t, w.salesWorld, refunds, awaited, "renewal-refused:", kept)
		})
	}
}

// assertRefundedOnce checks invoice id was refunded in full under the refused purchase's key (prefix and the
// invoice), exactly once at the gateway and once on the invoice, and the gateway keeps kept.
func assertRefundedOnce(t *testing.T, w *salesWorld, refunds *failingRefunds, id int64, prefix string, kept int64) {
	t.Helper()
	key := prefix + strconv.FormatInt(id, 10)
	if made := refunds.refundsMade(); len(made) != 1 || made[key] != 1 {
		t.Errorf("the gateway made refunds %v (by key), want one under %q", made, key)
	}
	bill := w.state(t, id)
	if refunded, ok := bill.RefundedUnder(key); bill.Status != invoice.StatusPaid || !ok || refunded != bill.Total ||
		len(bill.Refunds) != 1 {
		t.Errorf("invoice %s, refunded %d of %d under %q (%v), refunds %+v; want paid and refunded in full once",
			bill.Status, refunded, bill.Total, key, ok, bill.Refunds)
	}
	if got := w.kept(t); got != kept {
		t.Errorf("the gateway keeps %d, want %d", got, kept)
	}
}

// endedByTheClock ends Ann's subscription as dunning giving up does, in another process: an end that leaves
// a purchase waiting for 3-D Secure to its deadline (an immediate cancellation gives it up at once).
func (w purchaseWorld) endedByTheClock(t *testing.T) {
	t.Helper()
	_, err := commands.Handle(t.Context(), otherProcess{w.store}, commands.SubscriptionAggregate,
		strconv.FormatInt(w.sub.ID, 10), commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"},
		func(s subscription.State) ([]subscription.Event, error) {
			return []subscription.Event{subscription.Ended{SubscriptionID: s.ID, Status: subscription.StatusCanceled,
				Reason: "payment_failed", By: subscription.BySystem, EndedAt: time.Now()}}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
}
