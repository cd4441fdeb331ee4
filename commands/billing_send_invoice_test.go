package commands_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// subscribeByInvoice creates a monthly subscription of the customer paid by invoice, each invoice due
// days after it is issued (0: the default), its first period settled, and returns its id.
func (w *billingWorld) subscribeByInvoice(t *testing.T, customerID int64, days int) int64 {
	t.Helper()
	id := w.newID()
	_, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"},
		func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, subscription.New{SubscriptionID: id, CustomerID: customerID, AccountID: 1,
				SiteID: 1, Terms: monthlyTerms, Quantity: 1, Billing: subscription.BillingSendInvoice,
				PeriodAmount: monthlyTerms.Amount, Paid: true, DaysUntilDue: days}, billingStart)
		})
	if err != nil {
		t.Fatalf("create subscription %d: %v", id, err)
	}
	return id
}

func TestARenewalPaidByInvoiceIsDueDaysLater(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	cases := []struct {
		name string
		days int
		want time.Duration
	}{
		{"the account's days_until_due", 14, 14 * day},
		{"30 days when the account sets none", 0, 30 * day},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newBillingWorld(t)
			id := w.subscribeByInvoice(t, w.register(t, "ann@example.com", "ann"), tc.days)
			// when the clock renews the subscription paid by invoice
			done, err := w.bill(t, id, firstRenewal)
			if err != nil || len(done) != 1 {
				t.Fatalf("items %v, %v; want the renewal", outcomes(done), err)
			}
			// then its invoice is due the days after it was issued, and the subscription waits for it until then
			s, opened := w.read(t, id), w.opened(t, done[0].InvoiceID)
			if !opened.CreatedAt.Equal(firstRenewal) || !opened.DueAt.Equal(firstRenewal.Add(tc.want)) {
				t.Errorf("invoice issued %v due %v, want issued %v due %v", opened.CreatedAt, opened.DueAt,
					firstRenewal, firstRenewal.Add(tc.want))
			}
			if due, _ := s.Due(); due.Kind != subscription.DueInvoiceOverdue || !due.At.Equal(opened.DueAt) ||
				s.InvoiceDays() != int(tc.want/day) {
				t.Errorf("due %+v, %d days; want the invoice overdue at %v, %d days", due, s.InvoiceDays(),
					opened.DueAt, tc.want/day)
			}
		})
	}
}

func TestAnInvoiceUnpaidPastItsDueDateDunsTheSubscription(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	cases := []struct {
		name       string
		keepUnpaid bool
		until      time.Duration // after firstRenewal
		items      []string
		status     subscription.Status
		invoice    invoice.Status
	}{
		{"before its due date nothing happens, and the renewal waits", false, 29 * day,
			[]string{"renew:renewed"}, subscription.StatusActive, invoice.StatusOpen},
		{"at its due date the subscription is past due, the invoice still open", false, 30 * day,
			[]string{"renew:renewed", "invoice_overdue:past_due"}, subscription.StatusPastDue, invoice.StatusOpen},
		{"at the end of dunning (+7 days) it is canceled, the invoice uncollectible", false, 37 * day,
			[]string{"renew:renewed", "invoice_overdue:past_due", "overdue_end:canceled"},
			subscription.StatusCanceled, invoice.StatusUncollectible},
		{"or unpaid, its invoice open, when the account keeps them", true, 60 * day,
			[]string{"renew:renewed", "invoice_overdue:past_due", "overdue_end:unpaid"},
			subscription.StatusUnpaid, invoice.StatusOpen},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newBillingWorld(t)
			w.catalog.policy.Dunning.KeepUnpaid = tc.keepUnpaid
			w.subscriptions.Catalog = w.catalog
			id := w.subscribeByInvoice(t, w.register(t, "ann@example.com", "ann"), 0)
			// given a renewal invoice the customer does not pay; when the clock runs, twice for the same instant
			done, err := w.bill(t, id, firstRenewal.Add(tc.until))
			if err != nil {
				t.Fatal(err)
			}
			again, err := w.bill(t, id, firstRenewal.Add(tc.until))
			if err != nil || len(again) != 0 {
				t.Fatalf("the second run did %v, %v; want nothing", outcomes(again), err)
			}
			// then dunning went as far as the time allows, each item at its instant, and nothing was charged
			if got := outcomes(done); !slices.Equal(got, tc.items) {
				t.Fatalf("items %v, want %v", got, tc.items)
			}
			for i, at := range []time.Duration{0, 30 * day, 37 * day}[:len(done)] {
				if !done[i].At.Equal(firstRenewal.Add(at)) {
					t.Errorf("item %d at %v, want %v", i, done[i].At, firstRenewal.Add(at))
				}
			}
			s, bill := w.read(t, id), w.state(t, done[0].InvoiceID)
			if s.Status != tc.status || bill.Status != tc.invoice || w.charges(t) != 0 {
				t.Errorf("subscription %s, invoice %s, %d charges; want %s, %s, none", s.Status, bill.Status,
					w.charges(t), tc.status, tc.invoice)
			}
			// and the next period (from 3 April) did not open a second invoice on top of the unpaid one
			if opened := w.invoicesOf(t, id); len(opened) != 1 || s.Cycle != 2 {
				t.Errorf("%d invoices, cycle %d; want 1 invoice, cycle 2", len(opened), s.Cycle)
			}
		})
	}
}

func TestPayingAnOverdueInvoiceMakesTheSubscriptionActiveAndRenewing(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	id := w.subscribeByInvoice(t, customer, 0)
	// given a renewal invoice overdue: the subscription is past due and its next period (3 April) waits
	done, err := w.bill(t, id, firstRenewal.Add(32*day))
	if err != nil || !slices.Equal(outcomes(done), []string{"renew:renewed", "invoice_overdue:past_due"}) {
		t.Fatalf("items %v, %v; want renewed then overdue", outcomes(done), err)
	}
	// when the customer pays it (POST /invoices/{id}/pay, then the payments reactor)
	_, err = w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{Target: who(customer),
		InvoiceID: done[0].InvoiceID, Token: "tok_visa"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), newEnv(), done[0].InvoiceID, 1000); err != nil {
		t.Fatal(err)
	}
	// then the subscription is active and the invoice paid
	if s, bill := w.read(t, id), w.state(t, done[0].InvoiceID); s.Status != subscription.StatusActive ||
		bill.Status != invoice.StatusPaid {
		t.Fatalf("subscription %s, invoice %s; want active, paid", s.Status, bill.Status)
	}
	// and the end of dunning never comes: the waiting renewal starts, with its own invoice
	later, err := w.bill(t, id, firstRenewal.Add(37*day))
	if err != nil {
		t.Fatal(err)
	}
	s := w.read(t, id)
	if !slices.Equal(outcomes(later), []string{"renew:renewed"}) || s.Status != subscription.StatusActive ||
		s.Cycle != 3 || len(w.invoicesOf(t, id)) != 2 {
		t.Errorf("items %v, status %s, cycle %d, %d invoices; want renewed, active, cycle 3, 2 invoices",
			outcomes(later), s.Status, s.Cycle, len(w.invoicesOf(t, id)))
	}
}

func TestAnInvoicePaidBeforeItsPaymentIsRecordedIsNotOverdue(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	id := w.subscribeByInvoice(t, customer, 0)
	done, err := w.bill(t, id, firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// given the customer paid the invoice, and the payments reactor did not tell the subscription yet
	_, err = w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{Target: who(customer),
		InvoiceID: done[0].InvoiceID, Token: "tok_visa"})
	if err != nil {
		t.Fatal(err)
	}
	// when the clock reaches its due date
	due, err := w.bill(t, id, firstRenewal.Add(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// then the payment is recorded instead: the subscription stays active
	if s := w.read(t, id); !slices.Equal(outcomes(due), []string{"invoice_overdue:paid"}) ||
		s.Status != subscription.StatusActive || s.Unsettled != 0 {
		t.Errorf("items %v, status %s, unsettled %d; want the payment recorded, active", outcomes(due), s.Status,
			s.Unsettled)
	}
}
