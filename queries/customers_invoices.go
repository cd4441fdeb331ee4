package queries

import "encoding/json"

// Invoice is the Invoice resource (spec 3.6) in the Customer's `invoices`, read from invoices
// (projections/invoice). Amounts are integer minor units of Currency; times are Unix seconds, null when the
// invoice has none. Tax is every jurisdiction's tax; InclusiveTax the part of it the lines hold already
// (inclusive rates), which the total does not add: Total = Subtotal + Tax − InclusiveTax − Discount.
type Invoice struct {
	ID             int64         `json:"id"`
	Object         string        `json:"object"`
	Status         string        `json:"status"`
	Currency       string        `json:"currency"`
	Subtotal       int64         `json:"subtotal"`
	Tax            int64         `json:"tax"`
	InclusiveTax   int64         `json:"inclusive_tax"`
	Discount       int64         `json:"discount"`
	Total          int64         `json:"total"`
	AmountPaid     int64         `json:"amount_paid"`
	AmountDue      int64         `json:"amount_due"`
	Lines          []InvoiceLine `json:"lines"`
	BillingReason  string        `json:"billing_reason"`
	SubscriptionID *int64        `json:"subscription_id"`
	Description    *string       `json:"description"`
	// CollectionMethod is send_invoice for the invoices of a subscription paid by invoice (the customer pays
	// them by DueDate), charge_automatically for every other.
	CollectionMethod string `json:"collection_method"`
	AttemptCount     int    `json:"attempt_count"`
	DueDate          *int64 `json:"due_date"`
	PeriodStart      *int64 `json:"period_start"`
	PeriodEnd        *int64 `json:"period_end"`
	PaidAt           *int64 `json:"paid_at"`
	CreatedAt        int64  `json:"created_at"`
	UpdatedAt        int64  `json:"updated_at"`
}

// InvoiceLine is one line of an invoice: Quantity times UnitAmount is Amount.
type InvoiceLine struct {
	Description string `json:"description"`
	UnitAmount  int64  `json:"unit_amount"`
	Quantity    int64  `json:"quantity"`
	Amount      int64  `json:"amount"`
}

// Charge is one payment in the Customer's `charges`: the charge that paid an invoice.
type Charge struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	Status string `json:"status"`
	Amount int64  `json:"amount"`
	// AmountRefunded is what refunds gave back of Amount; Refunded says all of it (Stripe's meaning).
	AmountRefunded int64  `json:"amount_refunded"`
	Refunded       bool   `json:"refunded"`
	Currency       string `json:"currency"`
	InvoiceID      int64  `json:"invoice_id"`
	Gateway        string `json:"object_gateway"`
	Brand          string `json:"brand"`
	Last4          string `json:"last4"`
	CreatedAt      int64  `json:"created_at"`
}

// selectInvoicesJSON is the invoices of the customer row c a customer sees (open and paid: spec 3.6), oldest
// first, as a JSON array of Invoice, for selectCustomer.
var selectInvoicesJSON = `SELECT coalesce(json_agg(json_build_object('id', i.id, 'object', 'invoice',
	'status', i.status, 'currency', i.currency, 'subtotal', i.subtotal, 'tax', i.tax,
	'inclusive_tax', i.subtotal + i.tax - i.discount - i.total, 'discount', i.discount, 'total', i.total,
	'amount_paid', i.amount_paid, 'amount_due', i.total - i.amount_paid, 'lines', i.lines,
	'billing_reason', i.billing_reason, 'subscription_id', NULLIF(i.subscription_id, 0),
	'description', NULLIF(i.description, ''), 'collection_method', coalesce(si.billing, 'charge_automatically'),
	'attempt_count', i.attempt_count, 'due_date', ` + unixSeconds("i.due_at") + `,
	'period_start', ` + unixSeconds("i.period_start") + `, 'period_end', ` + unixSeconds("i.period_end") + `,
	'paid_at', ` + unixSeconds("i.paid_at") + `, 'created_at', ` + unixSeconds("i.created_at") + `,
	'updated_at', ` + unixSeconds("i.updated_at") + `) ORDER BY i.created_at, i.id), '[]')
	FROM invoices i LEFT JOIN subscriptions si ON si.id = i.subscription_id AND si.billing = 'send_invoice'
	WHERE i.customer_id = c.id AND i.account_id = c.account_id AND i.status IN ('open', 'paid')`

// selectChargesJSON is the charges of the customer row c, oldest first, as a JSON array of Charge.
var selectChargesJSON = `SELECT coalesce(json_agg(json_build_object('id', ch.charge_id, 'object', 'charge',
	'status', 'succeeded', 'amount', ch.amount, 'amount_refunded', ch.amount_refunded,
	'refunded', ch.amount_refunded = ch.amount, 'currency', ch.currency, 'invoice_id', ch.invoice_id,
	'object_gateway', ch.gateway, 'brand', ch.card_brand, 'last4', ch.card_last4,
	'created_at', ` + unixSeconds("ch.created_at") + `) ORDER BY ch.created_at, ch.invoice_id), '[]')
	FROM invoice_charges ch WHERE ch.customer_id = c.id`

// invoicesFrom decodes selectInvoicesJSON's and selectChargesJSON's arrays, never nil.
func invoicesFrom(invoicesArray, chargesArray []byte) ([]Invoice, []Charge, error) {
	invoices, charges := []Invoice{}, []Charge{}
	if err := json.Unmarshal(invoicesArray, &invoices); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(chargesArray, &charges); err != nil {
		return nil, nil, err
	}
	return invoices, charges, nil
}
