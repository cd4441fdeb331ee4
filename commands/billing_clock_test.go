package commands_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// firstRenewal is when a monthly subscription started at billingStart renews (31 January + 1 month).
var firstRenewal = time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)

func TestBillingARenewal(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_visa"), monthlyTerms, billingStart)

	// when the clock runs a second before the period ends, nothing is due
	if done, err := w.bill(t, id, firstRenewal.Add(-time.Second)); err != nil || len(done) != 0 {
		t.Fatalf("before the renewal: %v, %v; want nothing", outcomes(done), err)
	}
	// when it runs at the end of the period
	done, err := w.bill(t, id, firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// then the next period starts, its invoice is opened and charged, at the renewal's instant
	if got, want := outcomes(done), []string{"renew:renewed", "charge:paid"}; !slices.Equal(got, want) {
		t.Fatalf("items %v, want %v", got, want)
	}
	s := w.read(t, id)
	bill := w.state(t, done[0].InvoiceID)
	if s.Status != subscription.StatusActive || !s.PeriodStart.Equal(firstRenewal) || s.Cycle != 2 || s.Unsettled != 0 {
		t.Errorf("subscription %s cycle %d from %v unsettled %d; want active, cycle 2 from %v", s.Status, s.Cycle,
			s.PeriodStart, s.Unsettled, firstRenewal)
	}
	opened := w.opened(t, done[0].InvoiceID)
	if bill.Status != invoice.StatusPaid || bill.Total != 1000 || bill.SubscriptionID != id ||
		opened.BillingReason != invoice.ReasonSubscriptionCycle || !opened.Period.Start.Equal(firstRenewal) ||
		!opened.CreatedAt.Equal(firstRenewal) {
		t.Errorf("invoice %+v opened as %+v; want paid 1000, subscription_cycle of subscription %d from %v", bill,
			opened, id, firstRenewal)
	}
	// and the invoice was opened with its first attempt in one append, one transaction
	if recorded := w.recorded(t, done[0].InvoiceID); len(recorded) < 2 || recorded[0].Type != "invoice.created" ||
		recorded[1].Type != "invoice.payment_attempted" || recorded[0].Position.Commit != recorded[1].Position.Commit {
		for _, r := range recorded {
			t.Logf("%s at %s", r.Type, r.Position)
		}
		t.Error("want the invoice's creation and first attempt in one transaction")
	}
	// and a second run for the same instant does nothing
	if again, err := w.bill(t, id, firstRenewal); err != nil || len(again) != 0 || w.charges(t) != 1 {
		t.Errorf("second run: %v, %v, %d charges; want nothing and 1 charge", outcomes(again), err, w.charges(t))
	}
}

func TestBillingACrashChargesOnce(t *testing.T) {
	t.Parallel()
	// Each case cuts the run once: the store refuses the append holding an event of type refuse, or writes
	// the one holding loseAnswer and answers it failed, or the gateway plays fault on the charge.
	cases := []struct {
		name               string
		refuse, loseAnswer string
		fault              int32
	}{
		{name: "the gateway's answer is lost after the charge", fault: timesOutAfterCharge},
		{name: "the gateway cannot be reached once the attempt is recorded", fault: unavailableBefore},
		{name: "the store is down when the renewal is opened", refuse: "invoice.created"},
		{name: "the store is down when the payment is attempted", refuse: "invoice.payment_attempted"},
		{name: "the store is down when the payment is recorded", refuse: "invoice.paid"},
		{name: "the store is down when the subscription records the payment", refuse: "subscription.payment_succeeded"},
		{name: "the renewal's invoice is opened and attempted, but the answer is lost", loseAnswer: "invoice.payment_attempted"},
		{name: "the subscription records the payment, but the answer is lost", loseAnswer: "subscription.payment_succeeded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newBillingWorld(t)
			customer := w.register(t, "ann@example.com", "ann")
			id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_visa"), monthlyTerms, billingStart)
			// given a run cut off half-way
			w.cutOff(t, id, tc.refuse, tc.loseAnswer, tc.fault)
			// when the clock runs again
			if _, err := w.bill(t, id, firstRenewal); err != nil {
				t.Fatal(err)
			}
			// then the renewal is paid, charged once
			s := w.read(t, id)
			if s.Status != subscription.StatusActive || s.Cycle != 2 || s.Unsettled != 0 || w.charges(t) != 1 {
				t.Errorf("subscription %s cycle %d unsettled %d, %d charges; want active, cycle 2, settled, 1 charge",
					s.Status, s.Cycle, s.Unsettled, w.charges(t))
			}
		})
	}
}

func TestDunning(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	cases := []struct {
		name       string
		keepUnpaid bool
		until      time.Duration // after the renewal
		items      []string
		status     subscription.Status
		invoice    invoice.Status
	}{
		{"a declined renewal makes it past due, its invoice open", false, 0,
			[]string{"renew:renewed", "charge:payment_failed"}, subscription.StatusPastDue, invoice.StatusOpen},
		{"retries at +3 and +5 days fail too", false, 5 * day,
			[]string{"renew:renewed", "charge:payment_failed", "charge:payment_failed", "charge:payment_failed"},
			subscription.StatusPastDue, invoice.StatusOpen},
		{"after the last retry at +7 days it is canceled, the invoice uncollectible", false, 7 * day,
			[]string{"renew:renewed", "charge:payment_failed", "charge:payment_failed", "charge:payment_failed", "charge:canceled"},
			subscription.StatusCanceled, invoice.StatusUncollectible},
		{"or unpaid with its invoice open when the account keeps them", true, 30 * day,
			[]string{"renew:renewed", "charge:payment_failed", "charge:payment_failed", "charge:payment_failed", "charge:unpaid"},
			subscription.StatusUnpaid, invoice.StatusOpen},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newBillingWorld(t)
			w.catalog.policy.Dunning.KeepUnpaid = tc.keepUnpaid
			w.subscriptions.Catalog = w.catalog
			customer := w.register(t, "ann@example.com", "ann")
			// given a card every charge of which is declined
			id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_chargeCustomerFail"), monthlyTerms, billingStart)
			// when the clock runs
			done, err := w.bill(t, id, firstRenewal.Add(tc.until))
			if err != nil {
				t.Fatal(err)
			}
			// then dunning went as far as the time allows, each try at its own instant
			if got := outcomes(done); !slices.Equal(got, tc.items) {
				t.Fatalf("items %v, want %v", got, tc.items)
			}
			retries := []time.Duration{0, 0, 3 * day, 5 * day, 7 * day}
			for i, a := range done {
				if !a.At.Equal(firstRenewal.Add(retries[i])) {
					t.Errorf("item %d at %v, want %v", i, a.At, firstRenewal.Add(retries[i]))
				}
			}
			s, bill := w.read(t, id), w.state(t, done[0].InvoiceID)
			if s.Status != tc.status || bill.Status != tc.invoice || w.charges(t) != 0 {
				t.Errorf("subscription %s, invoice %s, %d charges; want %s, %s, none", s.Status, bill.Status,
					w.charges(t), tc.status, tc.invoice)
			}
		})
	}
}

func TestDunningEndsWhenTheCustomerPays(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_chargeCustomerFail"), monthlyTerms, billingStart)
	done, err := w.bill(t, id, firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// given the customer paid the open invoice with another card (POST /invoices/{id}/pay)
	_, err = w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{
		Target: commands.Target{CustomerID: customer, AccountID: 1, SiteID: 1}, InvoiceID: done[0].InvoiceID, Token: "tok_visa"})
	if err != nil {
		t.Fatal(err)
	}
	// when the retry comes
	retried, err := w.bill(t, id, firstRenewal.Add(3*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// then the subscription is active again, nothing charged twice, and it renews on schedule
	s := w.read(t, id)
	due, _ := s.Due()
	if got := outcomes(retried); !slices.Equal(got, []string{"charge:paid"}) || s.Status != subscription.StatusActive ||
		w.charges(t) != 1 || due.Kind != subscription.DueRenew || !due.At.Equal(s.PeriodEnd) {
		t.Errorf("items %v, status %s, %d charges, due %+v; want the payment recorded, active, 1 charge, renewing",
			outcomes(retried), s.Status, w.charges(t), due)
	}
}

func TestBillingEnds(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, customer, "tok_visa")
	scheduled := w.subscribe(t, customer, card, monthlyTerms, billingStart)
	w.decide(t, scheduled, func(s subscription.State) ([]subscription.Event, error) {
		return subscription.CancelSubscription(s, subscription.Cancel{Mode: subscription.CancelAtPeriodEnd,
			Reason: "too expensive"}, 0, billingStart.Add(time.Hour))
	})
	oneOff := monthlyTerms
	oneOff.AutoRenew = false
	expiring := w.subscribe(t, customer, card, oneOff, billingStart)
	cases := []struct {
		name   string
		id     int64
		item   string
		status subscription.Status
	}{
		{"a scheduled cancellation ends it canceled", scheduled, "end:canceled", subscription.StatusCanceled},
		{"a plan that does not renew expires", expiring, "end:expired", subscription.StatusExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			done, err := w.bill(t, tc.id, firstRenewal.AddDate(1, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			s := w.read(t, tc.id)
			if got := outcomes(done); !slices.Equal(got, []string{tc.item}) || s.Status != tc.status ||
				!s.EndedAt.Equal(firstRenewal) {
				t.Errorf("items %v, status %s ended %v; want [%s], %s at %v", got, s.Status, s.EndedAt, tc.item,
					tc.status, firstRenewal)
			}
		})
	}
	if w.charges(t) != 0 {
		t.Errorf("%d charges, want none", w.charges(t))
	}
}

func TestBillingARenewalPaidByInvoice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		crash string // the event type the store refuses once during the first run ("": none)
	}{
		{"in one run", ""},
		{"the store is down when the invoice is opened", "invoice.created"},
		{"the store is down when the period starts", "subscription.period_started"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newBillingWorld(t)
			customer := w.register(t, "ann@example.com", "ann")
			id := w.newID()
			w.decide(t, id, func(s subscription.State) ([]subscription.Event, error) {
				return subscription.Create(s, subscription.New{SubscriptionID: id, CustomerID: customer, AccountID: 1,
					SiteID: 1, Terms: monthlyTerms, Quantity: 1, Billing: subscription.BillingSendInvoice,
					PeriodAmount: 1000, Paid: true}, billingStart)
			})
			// given a first run cut off half-way, when there is a crash
			if tc.crash != "" {
				w.store.refuse.Store(&tc.crash)
				if _, err := w.bill(t, id, firstRenewal); err == nil {
					t.Fatal("the cut-off run succeeded")
				}
			}
			// when the clock runs (again) at the period's end
			done, err := w.bill(t, id, firstRenewal)
			if err != nil {
				t.Fatal(err)
			}
			// then the next period starts with one invoice, open for the customer to pay, and nothing is charged
			s := w.read(t, id)
			if got := outcomes(done); !slices.Equal(got, []string{"renew:renewed"}) || s.Cycle != 2 ||
				s.Unsettled != done[0].InvoiceID || w.state(t, s.Unsettled).Status != invoice.StatusOpen ||
				w.charges(t) != 0 {
				t.Fatalf("items %v, cycle %d, unsettled invoice %+v, %d charges; want renewed with an open invoice, no charge",
					got, s.Cycle, w.state(t, s.Unsettled), w.charges(t))
			}
			if opened := w.invoicesOf(t, id); len(opened) != 1 {
				t.Errorf("%d invoices opened for the subscription, want 1", len(opened))
			}
		})
	}
}
