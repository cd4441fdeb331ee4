package commands_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestARenewalTakesTwoCommits(t *testing.T) {
	t.Parallel()
	// Given a subscription charged automatically, due for renewal
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_visa"), monthlyTerms, billingStart)
	// When the clock renews and charges it
	done, err := w.bill(t, id, firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// Then the period started, the invoice opened and its attempt are one commit, the invoice paid and the
	// subscription paid another
	commits := map[string]uint64{}
	for _, r := range w.recorded(t, done[0].InvoiceID) {
		commits[r.Type] = r.Position.Commit
	}
	renewed, err := w.store.ReadStream(t.Context(), "subscription-"+strconv.FormatInt(id, 10), eventstore.Backwards,
		eventstore.StreamEnd(), 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range renewed {
		commits[r.Type] = r.Position.Commit
	}
	opening := []string{"subscription.period_started", "invoice.created", "invoice.payment_attempted"}
	paying := []string{"invoice.paid", "subscription.payment_succeeded"}
	for _, group := range [][]string{opening, paying} {
		for _, kind := range group {
			if commits[kind] == 0 || commits[kind] != commits[group[0]] {
				t.Errorf("commits by event type %v; want %v in one commit", commits, group)
				break
			}
		}
	}
	if commits[opening[0]] == commits[paying[0]] {
		t.Errorf("the renewal and its payment share commit %d; the charge must come between them", commits[paying[0]])
	}
}

func TestBillingResumesARenewalCutBetweenOrInsideItsCommits(t *testing.T) {
	t.Parallel()
	// Each case kills the run once, then bills again in a new process (nothing cached): on a store that
	// appends two streams at once, between the renewal's commit and its payment's; on one that appends
	// stream by stream (oneByOne), also between the two streams of one commit.
	cases := []struct {
		name               string
		oneByOne           bool
		refuse, loseAnswer string
		fault              int32
	}{
		{name: "dies once the renewal's commit landed", loseAnswer: "invoice.payment_attempted"},
		{name: "dies after the charge, before the payment's commit", fault: timesOutAfterCharge},
		{name: "dies once the payment's commit landed", loseAnswer: "subscription.payment_succeeded"},
		{name: "stream by stream: dies between the period started and the invoice opened", oneByOne: true,
			refuse: "invoice.created"},
		{name: "stream by stream: dies between the invoice paid and the subscription paid", oneByOne: true,
			refuse: "subscription.payment_succeeded"},
		{name: "stream by stream: dies once the renewal's streams landed", oneByOne: true,
			loseAnswer: "invoice.payment_attempted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a renewal whose run dies at the case's point
			w := newBillingWorld(t)
			w.store.oneByOne.Store(tc.oneByOne)
			customer := w.register(t, "ann@example.com", "ann")
			id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_visa"), monthlyTerms, billingStart)
			w.cutOff(t, id, tc.refuse, tc.loseAnswer, tc.fault)
			// When another process runs the clock for the same instant
			again := w.restarted(t)
			again.store.oneByOne.Store(tc.oneByOne)
			if _, err := again.bill(t, id, firstRenewal); err != nil {
				t.Fatal(err)
			}
			// Then the renewal is paid with one invoice, one attempt and one charge
			s := again.read(t, id)
			bills := again.invoicesOf(t, id)
			if s.Status != subscription.StatusActive || s.Cycle != 2 || s.Unsettled != 0 || w.charges(t) != 1 ||
				len(bills) != 1 || bills[0].Status != invoice.StatusPaid || bills[0].Attempts != 1 {
				t.Errorf("subscription %s cycle %d unsettled %d, %d charges, invoices %+v; want active, cycle 2, "+
					"settled, 1 charge, one invoice paid at its first attempt", s.Status, s.Cycle, s.Unsettled,
					w.charges(t), bills)
			}
			// and a third run for the same instant does nothing
			if done, err := again.bill(t, id, firstRenewal); err != nil || len(done) != 0 {
				t.Errorf("third run: %v, %v; want nothing", outcomes(done), err)
			}
			if types := streamTypes(t, again.store, "subscription-"+strconv.FormatInt(id, 10)); !slices.Contains(types, "subscription.payment_succeeded") {
				t.Errorf("subscription stream %v has no payment", types)
			}
		})
	}
}
