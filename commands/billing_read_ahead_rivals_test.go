package commands_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// threeSeatsNext is a rival change of the customer's: three seats from the next period on.
func threeSeatsNext(s subscription.State) subscription.Event {
	return subscription.PhaseAdded{SubscriptionID: s.ID, ReplacedUpcoming: true,
		Phase: subscription.Phase{Terms: s.Terms, Quantity: 3}, AddedAt: billingStart}
}

// canceledNow is a rival cancellation, at once.
func canceledNow(s subscription.State) subscription.Event {
	return subscription.Ended{SubscriptionID: s.ID, Status: subscription.StatusCanceled, By: subscription.ByCustomer,
		EndedAt: firstRenewal.Add(time.Hour)}
}

func TestARivalWriteAfterTheReadAheadIsDecidedOnTheLog(t *testing.T) {
	t.Parallel()
	dunningRetry := firstRenewal.Add(3 * 24 * time.Hour)
	cases := []struct {
		name    string
		billing subscription.Billing
		// declined: the renewal's charge was declined before the read ahead, so a dunning retry is due at until
		declined bool
		rival    func(subscription.State) subscription.Event
		until    time.Time
		// seats is how many seats the renewal's invoice and period bill (0: no renewal); charges how many
		// charges the gateway took
		seats, charges int64
	}{
		{name: "a renewal paid by invoice opens the invoice the log describes", billing: subscription.BillingSendInvoice,
			rival: threeSeatsNext, until: firstRenewal, seats: 3},
		{name: "a renewal charged automatically, falling back to renewing alone, prices the log's period",
			billing: subscription.BillingChargeAutomatically, rival: threeSeatsNext, until: firstRenewal, seats: 3, charges: 1},
		{name: "a dunning retry does not charge a subscription canceled since",
			billing: subscription.BillingChargeAutomatically, declined: true, rival: canceledNow, until: dunningRetry},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a subscription due (for renewal, or for a dunning retry), read ahead by the run, then changed
			// in another process before the run bills it
			w := newBillingWorld(t)
			customer := w.register(t, "ann@example.com", "ann")
			id := w.subscribeBilled(t, customer, w.saveCard(t, customer, "tok_visa"), c.billing)
			if c.declined {
				w.gateway.next.Store(declines)
				if _, err := w.bill(t, id, firstRenewal); err != nil {
					t.Fatal(err)
				}
			}
			ahead := w.subscriptions.ReadDue(t.Context(), []int64{id})
			_, err := commands.Handle(t.Context(), otherProcess{w.store}, commands.SubscriptionAggregate,
				strconv.FormatInt(id, 10), commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"},
				func(s subscription.State) ([]subscription.Event, error) { return []subscription.Event{c.rival(s)}, nil })
			if err != nil {
				t.Fatal(err)
			}
			// When the run bills it under the read ahead
			var done []commands.BillingAction
			if _, err := w.subscriptions.BillDue(ahead, id, c.until, func(a commands.BillingAction) {
				done = append(done, a)
			}); err != nil {
				t.Fatal(err)
			}
			// Then it is billed as the log says: the seats the rival set, invoiced and recorded as the period's
			// price, and nothing charged on a subscription the rival ended
			if got := int64(w.charges(t)); got != c.charges {
				t.Errorf("%d charges, items %v; want %d", got, outcomes(done), c.charges)
			}
			if c.seats == 0 {
				return
			}
			renewed, opened := w.read(t, id), w.opened(t, done[0].InvoiceID)
			if renewed.Quantity != c.seats || renewed.PeriodAmount != c.seats*monthlyTerms.Amount ||
				len(opened.Lines) != 1 || opened.Lines[0].Quantity != c.seats {
				t.Errorf("renewed %d seats for %d, invoice lines %+v; want %d seats invoiced and priced",
					renewed.Quantity, renewed.PeriodAmount, opened.Lines, c.seats)
			}
		})
	}
}

// subscribeBilled creates a subscription of the customer to monthlyTerms, billed as billing (with card,
// when charged automatically), its first period settled, and returns its id.
func (w *billingWorld) subscribeBilled(t *testing.T, customerID, card int64, billing subscription.Billing) int64 {
	t.Helper()
	if billing == subscription.BillingChargeAutomatically {
		return w.subscribe(t, customerID, card, monthlyTerms, billingStart)
	}
	id := w.newID()
	w.decide(t, id, func(s subscription.State) ([]subscription.Event, error) {
		return subscription.Create(s, subscription.New{SubscriptionID: id, CustomerID: customerID, AccountID: 1,
			SiteID: 1, Terms: monthlyTerms, Quantity: 1, Billing: billing, PeriodAmount: monthlyTerms.Amount,
			Paid: true}, billingStart)
	})
	return id
}
