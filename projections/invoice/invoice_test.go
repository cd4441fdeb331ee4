package invoice

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var (
	t1 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	t2 = t1.Add(time.Minute)
	t3 = t2.Add(time.Minute)
)

type step = projectiontest.Step

var (
	created = projectiontest.At(0, applyCreated, invoice.Created{InvoiceID: 7, CustomerID: 42, AccountID: 3, SiteID: 5,
		Status: invoice.StatusOpen, Currency: "usd", Lines: []invoice.Line{{Description: "Issue 12", UnitAmount: 625, Quantity: 2}},
		Amounts: invoice.Amounts{Subtotal: 1250, Total: 1250}, BillingReason: invoice.ReasonManual, CreatedAt: t1})
	attempted = projectiontest.At(1, applyAttempted, invoice.PaymentAttempted{InvoiceID: 7, Attempt: 1,
		Means: invoice.Means{Gateway: "stripe", Token: "tok_visa"}, Amount: 1250, Currency: "usd", AttemptedAt: t2})
	waiting = projectiontest.At(2, applyRequiresAction, invoice.PaymentRequiresAction{InvoiceID: 7, Attempt: 1, IntentID: "pi_1", At: t2})
	paid    = projectiontest.At(3, applyPaid, invoice.Paid{InvoiceID: 7, CustomerID: 42, Attempt: 1, ChargeID: "pi_1",
		Gateway: "stripe", Amount: 1250, Currency: "usd", Card: invoice.Card{Brand: "visa", Last4: "4242"}, PaidAt: t3})
	declined = projectiontest.At(2, applyDeclined, invoice.PaymentDeclined{InvoiceID: 7, Attempt: 1, Reason: "card_declined", DeclinedAt: t3})
	voided   = projectiontest.At(1, applyVoided, invoice.Voided{InvoiceID: 7, VoidedAt: t3})
	refunded = projectiontest.At(4, applyRefunded, invoice.Refunded{InvoiceID: 7, CustomerID: 42, ChargeID: "pi_1",
		Key: "k1", Amount: 400, Currency: "usd", RefundedAt: t3})
	refundedAgain = projectiontest.At(5, applyRefunded, invoice.Refunded{InvoiceID: 7, CustomerID: 42,
		ChargeID: "pi_1", Key: "k2", Amount: 850, Currency: "usd", RefundedAt: t3})
	lateIntentRefunded = projectiontest.At(4, applyRefunded, invoice.Refunded{InvoiceID: 7, CustomerID: 42,
		ChargeID: "pi_0", Key: "invoice-7-intent-pi_0-refund", Amount: 1250, Currency: "usd", NotOwed: true, RefundedAt: t3})
)

// row is what the read model holds for invoice 7 and its charge.
type row struct {
	Status   string `db:"status"`
	Paid     int64  `db:"amount_paid"`
	Attempts int    `db:"attempt_count"`
	Intent   string `db:"pending_intent_id"`
	Revision int64  `db:"revision"`
	Charges  int    `db:"charges"`
	Refunded int64  `db:"refunded"`
	Lines    string `db:"lines"`
}

func TestInvoiceRows(t *testing.T) {
	t.Parallel()
	lines := `[{"amount": 1250, "quantity": 2, "description": "Issue 12", "unit_amount": 625}]`
	cases := []struct {
		name  string
		given []step
		when  step
		then  row
	}{
		{"created inserts the open invoice with its lines", nil, created, row{Status: "open", Lines: lines}},
		{"an attempt counts", []step{created}, attempted, row{Status: "open", Attempts: 1, Revision: 1, Lines: lines}},
		{"a 3-D Secure intent is noted", []step{created, attempted}, waiting,
			row{Status: "open", Attempts: 1, Intent: "pi_1", Revision: 2, Lines: lines}},
		{"paid settles the invoice and records its charge", []step{created, attempted, waiting}, paid,
			row{Status: "paid", Paid: 1250, Attempts: 1, Revision: 3, Charges: 1, Lines: lines}},
		{"a decline leaves the invoice open", []step{created, attempted}, declined,
			row{Status: "open", Attempts: 1, Revision: 2, Lines: lines}},
		{"void", []step{created}, voided, row{Status: "void", Revision: 1, Lines: lines}},
		{"an event older than the row changes nothing", []step{created, attempted, waiting, paid}, declined,
			row{Status: "paid", Paid: 1250, Attempts: 1, Revision: 3, Charges: 1, Lines: lines}},
		{"a refund is added to its charge once", []step{created, attempted, waiting, paid}, refunded,
			row{Status: "paid", Paid: 1250, Attempts: 1, Revision: 3, Charges: 1, Refunded: 400, Lines: lines}},
		{"refunds add up", []step{created, attempted, waiting, paid, refunded}, refundedAgain,
			row{Status: "paid", Paid: 1250, Attempts: 1, Revision: 3, Charges: 1, Refunded: 1250, Lines: lines}},
		{"the refund of a late intent the invoice did not owe leaves its charge as it was",
			[]step{created, attempted, waiting, paid}, lateIntentRefunded,
			row{Status: "paid", Paid: 1250, Attempts: 1, Revision: 3, Charges: 1, Lines: lines}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the rows reflect it once
			var got row
			if err := db.GetContext(t.Context(), &got, `SELECT status, amount_paid, attempt_count, pending_intent_id,
				revision, lines::text AS lines, (SELECT count(*) FROM invoice_charges) AS charges,
				(SELECT coalesce(sum(amount_refunded), 0) FROM invoice_charges) AS refunded FROM invoices WHERE id = 7`); err != nil {
				t.Fatalf("select: %v", err)
			}
			if got != tc.then {
				t.Fatalf("row = %+v, want %+v", got, tc.then)
			}
		})
	}
}
