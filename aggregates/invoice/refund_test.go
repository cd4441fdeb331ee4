package invoice_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
)

func TestRefundingAnInvoicesCharge(t *testing.T) {
	t.Parallel()
	paid := invoice.Paid{InvoiceID: 7, CustomerID: 42, Attempt: 1, ChargeID: "ch_1", Gateway: "stripe", Amount: 1250,
		Currency: "usd", PaidAt: later}
	refund := func(key string, amount int64) invoice.Refunded {
		return invoice.Refunded{InvoiceID: 7, CustomerID: 42, ChargeID: "ch_1", Key: key, Amount: amount,
			Currency: "usd", RefundedAt: later}
	}
	cases := []struct {
		name    string
		given   []invoice.Event
		key     string
		amount  int64
		want    []invoice.Event
		refusal error
	}{
		{"part of a charge", []invoice.Event{created(invoice.StatusOpen, 1250), paid}, "k1", 1000,
			[]invoice.Event{refund("k1", 1000)}, nil},
		{"what is left after an earlier refund", []invoice.Event{created(invoice.StatusOpen, 1250), paid,
			refund("k1", 1000)}, "k2", 250, []invoice.Event{refund("k2", 250)}, nil},
		{"a retry under the same key records nothing more", []invoice.Event{created(invoice.StatusOpen, 1250), paid,
			refund("k1", 1000)}, "k1", 1000, nil, nil},
		{"more than the charge has left", []invoice.Event{created(invoice.StatusOpen, 1250), paid,
			refund("k1", 1000)}, "k2", 251, nil, invoice.ErrNotRefundable},
		{"nothing", []invoice.Event{created(invoice.StatusOpen, 1250), paid}, "k1", 0, nil, invoice.ErrNotRefundable},
		{"an invoice not paid", []invoice.Event{created(invoice.StatusOpen, 1250)}, "k1", 100, nil,
			invoice.ErrNotRefundable},
		{"an unknown invoice", nil, "k1", 100, nil, invoice.ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			when := func(s invoice.State) ([]invoice.Event, error) {
				return invoice.RecordRefund(s, c.key, c.amount, later)
			}
			if c.refusal != nil {
				spec.Given(c.given...).When(when).ThenError(t, c.refusal)
				return
			}
			spec.Given(c.given...).When(when).Then(t, c.want...)
		})
	}
	// and the state says what is left, and what each key refunded
	var s invoice.State
	for _, e := range []invoice.Event{created(invoice.StatusOpen, 1250), paid, refund("k1", 1000)} {
		s = invoice.Evolve(s, e)
	}
	if got, ok := s.RefundedUnder("k1"); s.Refundable() != 250 || got != 1000 || !ok {
		t.Errorf("refundable %d, k1 refunded %d (%v); want 250, 1000", s.Refundable(), got, ok)
	}
}
