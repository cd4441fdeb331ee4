package commands_test

import (
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestBillingARerunThatPricesDifferentlyChargesTheInvoiceTheLogHolds(t *testing.T) {
	t.Parallel()
	// Given a subscription shipped to Québec whose renewal was opened and attempted in one append whose
	// answer was lost (taxes off then)
	w := newBillingWorld(t)
	owner := w.register(t, "ann@example.com", "ann")
	_, address, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{
		Target:  commands.Target{CustomerID: owner, AccountID: 1, SiteID: 1},
		Address: customer.Address{Type: customer.AddressShipping, Line1: "1 Main St", Country: "CA", State: "QC", IsDefault: true}})
	if err != nil {
		t.Fatal(err)
	}
	card := w.saveCard(t, owner, "tok_visa")
	id := w.newID()
	if _, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"},
		func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, subscription.New{SubscriptionID: id, CustomerID: owner, AccountID: 1,
				SiteID: 1, Terms: monthlyTerms, Quantity: 1, AddressID: address,
				Billing: subscription.BillingChargeAutomatically, Payment: subscription.Payment{SourceID: card, Gateway: "stripe"},
				PeriodAmount: monthlyTerms.Amount, Paid: true}, billingStart)
		}); err != nil {
		t.Fatal(err)
	}
	lost := "invoice.payment_attempted"
	w.store.loseAnswer.Store(&lost)
	if _, err := w.bill(t, id, firstRenewal); err == nil {
		t.Fatal("the cut-off run succeeded")
	}
	// When the site turns taxes on and the clock runs again
	w.subscriptions.Pricer = commands.Pricer{Catalog: sampleCatalog(true), Store: w.store}
	if _, err := w.bill(t, id, firstRenewal); err != nil {
		t.Fatal(err)
	}
	// Then the invoice the first run opened is the one paid, for its own total, charged once
	s := w.read(t, id)
	logged := w.state(t, s.LatestInvoice)
	var charged int64
	if err := w.db.QueryRowContext(t.Context(), `SELECT amount FROM payments_sandbox_charges`).Scan(&charged); err != nil {
		t.Fatal(err) // none, or more than one: Scan reads the first row only, charges counts them
	}
	if w.charges(t) != 1 || charged != logged.Total || logged.Total != monthlyTerms.Amount || logged.AmountPaid != logged.Total {
		t.Errorf("%d charges, of %d, for an invoice of %d (paid %d) in the log; want one charge of %d",
			w.charges(t), charged, logged.Total, logged.AmountPaid, monthlyTerms.Amount)
	}
	read, err := w.invoices.Read(t.Context(), s.LatestInvoice)
	if err != nil || read.Total != logged.Total || read.AmountPaid != logged.Total {
		t.Errorf("the invoice reads total %d paid %d (%v); the log says %d", read.Total, read.AmountPaid, err, logged.Total)
	}
}
