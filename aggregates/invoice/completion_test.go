package invoice_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
)

func TestAnIntentThatSucceeds(t *testing.T) {
	t.Parallel()
	card := invoice.Card{Brand: "visa", Last4: "3220"}
	waits := func(n int, intent string) invoice.PaymentRequiresAction {
		return invoice.PaymentRequiresAction{InvoiceID: 7, Attempt: n, IntentID: intent, Card: card, At: later}
	}
	givenUp := invoice.PaymentDeclined{InvoiceID: 7, Attempt: 1, Reason: "authentication_abandoned", DeclinedAt: later}
	waiting := []invoice.Event{created(invoice.StatusOpen, 1250), attempted(1, visa), waits(1, "pi_1")}
	abandoned := append(waiting[:3:3], givenUp)
	paidBy := func(n int, charge string) invoice.Paid {
		return invoice.Paid{InvoiceID: 7, CustomerID: 42, Attempt: n, ChargeID: charge, Gateway: "stripe", Amount: 1250,
			Currency: "usd", Card: card, PaidAt: later}
	}
	strayRefund := invoice.Refunded{InvoiceID: 7, CustomerID: 42, ChargeID: "pi_1", Key: "invoice-7-intent-pi_1-refund",
		Amount: 1250, Currency: "usd", NotOwed: true, RefundedAt: later}
	cases := []struct {
		name    string
		given   []invoice.Event
		want    []invoice.Event
		refusal error
	}{
		{"its attempt still pending pays the invoice", waiting, []invoice.Event{paidBy(1, "pi_1")}, nil},
		{"given up, it still pays an invoice open with nothing else under way", abandoned,
			[]invoice.Event{paidBy(1, "pi_1")}, nil},
		{"it is not owed once another attempt is under way", append(abandoned[:4:4], attempted(2, visa)), nil,
			invoice.ErrNotOwed},
		{"nor once another charge paid the invoice", append(abandoned[:4:4], attempted(2, visa), paidBy(2, "ch_2")), nil,
			invoice.ErrNotOwed},
		{"nor once the invoice is uncollectible", append(abandoned[:4:4],
			invoice.MarkedUncollectible{InvoiceID: 7, MarkedAt: later}), nil, invoice.ErrNotOwed},
		{"nor once it is void", append(abandoned[:4:4], invoice.Voided{InvoiceID: 7, VoidedAt: later}), nil,
			invoice.ErrNotOwed},
		{"once refunded, it is nothing more", append(abandoned[:4:4], invoice.Voided{InvoiceID: 7, VoidedAt: later},
			strayRefund), nil, nil},
		{"once it paid, it is nothing more", append(waiting[:3:3], paidBy(1, "pi_1")), nil, nil},
		{"an intent the invoice never waited for is nothing", []invoice.Event{created(invoice.StatusOpen, 1250)}, nil, nil},
		{"an unknown invoice", nil, nil, invoice.ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outcome := spec.Given(tc.given...).When(func(s invoice.State) ([]invoice.Event, error) {
				return invoice.CompleteIntent(s, "pi_1", "stripe", later)
			})
			if tc.refusal != nil {
				outcome.ThenError(t, tc.refusal)
				return
			}
			outcome.Then(t, tc.want...)
		})
	}
	t.Run("what is not owed is refunded in full, once", func(t *testing.T) {
		t.Parallel()
		given := append(abandoned[:4:4], attempted(2, visa), paidBy(2, "ch_2"))
		refund := func(s invoice.State) ([]invoice.Event, error) { return invoice.RecordStrayRefund(s, "pi_1", later) }
		spec.Given(given...).When(refund).Then(t, strayRefund)
		spec.Given(append(given, strayRefund)...).When(refund).Then(t)
	})
	t.Run("and leaves what the invoice's own charge can refund", func(t *testing.T) {
		t.Parallel()
		var s invoice.State
		for _, e := range append(abandoned[:4:4], attempted(2, visa), paidBy(2, "ch_2"), strayRefund) {
			s = invoice.Evolve(s, e)
		}
		if s.Refundable() != 1250 || s.AmountRefunded() != 0 {
			t.Errorf("refundable %d, refunded %d; want 1250 and 0", s.Refundable(), s.AmountRefunded())
		}
		if a, ok := s.WaitedFor("pi_1"); !ok || a.Number != 1 || a.Card != card {
			t.Errorf("WaitedFor(pi_1) = %+v, %v; want attempt 1 with its card", a, ok)
		}
	})
}

func TestAnotherPaymentMethod(t *testing.T) {
	t.Parallel()
	saved := invoice.Means{Gateway: "stripe", SourceID: 3, CardGatewayID: "pm_3", CustomerGatewayID: "cus_1"}
	cases := []struct {
		name string
		a, b invoice.Means
		same bool
	}{
		{"the same token", visa, visa, true},
		{"another token", visa, invoice.Means{Gateway: "stripe", Token: "tok_mastercard"}, false},
		{"a token and a saved card", visa, saved, false},
		{"the same card, set up by the charge or not", saved, func() invoice.Means { m := saved; m.SetsUp = true; return m }(), true},
		{"another saved card", saved, invoice.Means{Gateway: "stripe", SourceID: 4}, false},
	}
	for _, tc := range cases {
		if got := tc.a.SameMethod(tc.b); got != tc.same {
			t.Errorf("%s: SameMethod = %v, want %v", tc.name, got, tc.same)
		}
	}
}
