package commands_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestRenewalsChargeTheDefaultCard: a renewal charges the customer's default card as it stands at the
// renewal (POST /source, or PUT /payment_methods/{id} with is_default, is how a customer changes it), the
// subscription's own card only while the default cannot be charged; and the own card may be deleted exactly
// when the renewal would not charge it.
func TestRenewalsChargeTheDefaultCard(t *testing.T) {
	t.Parallel()
	const own, other = "own", "other"
	for _, tc := range []struct {
		name string
		// the customer's card change after subscribing with a visa: the other card, saved as the default
		// (POST /source), saved then made the default (PUT is_default), or not at all ("")
		token     string
		putLater  bool
		deleteOwn bool // the customer deletes the subscription's own card before the renewal
		want      []string
		charged   string // which card the renewal's attempts charged
		ownErr    error  // deleting the own card after the renewal
	}{
		{name: "nothing changed: the own card, the default", want: []string{"renew:renewed", "charge:paid"},
			charged: own, ownErr: wallet.ErrDefaultNotDeletable},
		{name: "a card saved as the default (POST /source)", token: "tok_mastercard",
			want: []string{"renew:renewed", "charge:paid"}, charged: other},
		{name: "a card made the default (PUT is_default)", token: "tok_mastercard", putLater: true,
			want: []string{"renew:renewed", "charge:paid"}, charged: other},
		{name: "the own card deleted once another is the default", token: "tok_mastercard", deleteOwn: true,
			want: []string{"renew:renewed", "charge:paid"}, charged: other, ownErr: wallet.ErrNotFound},
		{name: "a declining default is dunned", token: "tok_chargeCustomerFail",
			want: []string{"renew:renewed", "charge:payment_failed"}, charged: other},
		{name: "a default waiting for 3-D Secure: the own card", token: "tok_threeDSecure2Required",
			want: []string{"renew:renewed", "charge:paid"}, charged: own, ownErr: wallet.ErrInUse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann subscribed with her visa (her default), which the subscription holds
			w := newBillingWorld(t)
			ann := w.register(t, "ann@example.com", "ann")
			cards := map[string]int64{own: w.saveCard(t, ann, "tok_visa")}
			id := w.subscribe(t, ann, cards[own], monthlyTerms, billingStart)
			if _, err := w.subscriptions.SyncCard(t.Context(), newEnv(), id); err != nil {
				t.Fatal(err)
			}
			// when she changes her default card before the renewal
			if tc.token != "" {
				cards[other] = w.makeDefault(t, ann, tc.token, tc.putLater)
			}
			if tc.deleteOwn {
				if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), cards[own]); err != nil {
					t.Fatalf("delete the subscription's own card once another is the default: %v", err)
				}
			}
			done, err := w.bill(t, id, firstRenewal)
			if err != nil {
				t.Fatal(err)
			}
			// then the renewal charges the default as it stood, or the own card while it cannot be charged
			if got := outcomes(done); !slices.Equal(got, tc.want) {
				t.Fatalf("items %v, want %v", got, tc.want)
			}
			if got := w.attemptedCards(t, done[0].InvoiceID); len(got) == 0 || slices.ContainsFunc(got,
				func(card int64) bool { return card != cards[tc.charged] }) {
				t.Errorf("the renewal charged cards %v, want only the %s card %d", got, tc.charged, cards[tc.charged])
			}
			// and the own card can be deleted unless the subscription would charge it next
			if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), cards[own]); !errors.Is(err, tc.ownErr) {
				t.Errorf("delete the own card after the renewal: %v, want %v", err, tc.ownErr)
			}
		})
	}
}

// TestADunningRetryChargesTheNewDefault: a renewal declined on the card the subscription was created with
// is retried on the card the customer made the default meanwhile, which pays it; the declined card is then
// no subscription's to keep.
func TestADunningRetryChargesTheNewDefault(t *testing.T) {
	t.Parallel()
	// given Ann subscribed with a card whose charges fail, her only card and so her default
	w := newBillingWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	failing := w.saveCard(t, ann, "tok_chargeCustomerFail")
	id := w.subscribe(t, ann, failing, monthlyTerms, billingStart)
	if _, err := w.subscriptions.SyncCard(t.Context(), newEnv(), id); err != nil {
		t.Fatal(err)
	}
	done, err := w.bill(t, id, firstRenewal)
	if err != nil || w.read(t, id).Status != subscription.StatusPastDue {
		t.Fatalf("first renewal %v, %v: want past_due", outcomes(done), err)
	}
	// when she saves a visa as her default (POST /source) and deletes the failing card before the retry
	visa := w.makeDefault(t, ann, "tok_visa", false)
	if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), failing); err != nil {
		t.Fatalf("delete the declined card once another is the default: %v", err)
	}
	retry, err := w.bill(t, id, firstRenewal.Add(3*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// then the retry charges the visa, and the subscription is active again
	if got := outcomes(retry); !slices.Equal(got, []string{"charge:paid"}) || w.read(t, id).Status != subscription.StatusActive {
		t.Fatalf("retry %v, status %s; want charge:paid, active", got, w.read(t, id).Status)
	}
	if got := w.attemptedCards(t, done[0].InvoiceID); !slices.Equal(got, []int64{failing, visa}) {
		t.Errorf("attempts charged cards %v, want %v", got, []int64{failing, visa})
	}
}

// TestTheRunChargesTheDefaultItReadAhead: on the billing run, renewals (written ahead, then charged) charge
// the default card of the wallet the run read ahead with the subscriptions, and read nothing more for it.
func TestTheRunChargesTheDefaultItReadAhead(t *testing.T) {
	t.Parallel()
	// given three renewals due, whose customers have since saved a mastercard as their default
	w := newBillingWorld(t)
	ids := w.threeDueRenewals(t)
	defaults := map[int64]int64{}
	for _, id := range ids {
		owner := w.read(t, id).CustomerID
		if defaults[owner] == 0 {
			defaults[owner] = w.makeDefault(t, owner, "tok_mastercard", false)
		}
	}
	counting := countingReads(w)
	// when the run reads them ahead, renews them in one append and charges them, all within the bound of
	// its reads (its clock stopped: a slow machine does not age them)
	var renewed []commands.BillingAction
	stopped := func() time.Time { return billingStart }
	ahead := w.subscriptions.ReadDue(commands.WithRecentReadsClock(t.Context(), stopped), ids)
	ahead = w.subscriptions.RenewAhead(ahead, ids, firstRenewal, func(a commands.BillingAction) { renewed = append(renewed, a) })
	counting.counts()
	for _, id := range ids {
		if _, err := w.subscriptions.BillDue(ahead, id, firstRenewal, nil); err != nil {
			t.Fatal(err)
		}
	}
	// then every renewal charged its customer's new default, and the charges read no stream of their own
	if single, multi := counting.counts(); len(single) != 0 || multi != 0 {
		t.Errorf("the charges read %v (and %d multi-stream reads); want nothing", single, multi)
	}
	if len(renewed) != len(ids) {
		t.Fatalf("renewed ahead %d, want %d", len(renewed), len(ids))
	}
	for _, r := range renewed {
		want := defaults[w.read(t, r.SubscriptionID).CustomerID]
		if got := w.attemptedCards(t, r.InvoiceID); !slices.Equal(got, []int64{want}) || w.state(t, r.InvoiceID).Status != invoice.StatusPaid {
			t.Errorf("subscription %d's renewal charged cards %v (%s), want [%d] paid", r.SubscriptionID, got,
				w.state(t, r.InvoiceID).Status, want)
		}
	}
}

// makeDefault saves a card of token for the customer as the default: saved so at once (POST /source), or
// saved and then made the default (later, PUT /payment_methods/{id} with is_default). It returns the card.
func (w *invoiceWorld) makeDefault(t *testing.T, customerID int64, token string, later bool) int64 {
	t.Helper()
	saved, err := w.wallets.Save(t.Context(), newEnv(), commands.NewPaymentMethod{Target: who(customerID),
		Token: token, MakeDefault: !later})
	if err == nil && later {
		_, err = w.wallets.Update(t.Context(), newEnv(), commands.PaymentMethodChange{Target: who(customerID),
			Change: wallet.Change{PaymentMethodID: saved.PaymentMethodID, MakeDefault: true}})
	}
	if err != nil {
		t.Fatalf("make a card of %s the default: %v", token, err)
	}
	return saved.PaymentMethodID
}

// attemptedCards are the cards the invoice's payment attempts charged, in order.
func (w *invoiceWorld) attemptedCards(t *testing.T, id int64) []int64 {
	t.Helper()
	var cards []int64
	for _, r := range w.recorded(t, id) {
		e, err := invoice.Events.Decode(r.Type, 1, r.Data)
		if err != nil {
			t.Fatal(err)
		}
		if attempt, ok := e.(invoice.PaymentAttempted); ok {
			cards = append(cards, attempt.Means.SourceID)
		}
	}
	return cards
}
