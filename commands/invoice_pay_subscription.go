package commands

import "context"

// InvoicePayments is POST /invoices/{id}/pay (#45) as a whole: the invoice paid (Invoices.Pay) and, for an
// invoice of a subscription, the payment recorded on the subscription in the same request
// (recordPaid), so the answer shows a dunned, unpaid or send-invoice subscription active again. The
// reactor to invoice.paid records the same payment too (for payments made elsewhere: a 3-D Secure
// completion, a webhook); whichever comes second finds it recorded and writes nothing.
type InvoicePayments struct {
	Subscriptions Subscriptions
}

// Pay pays the invoice and records the payment on its subscription, if it has one. The result's position
// is the later of the two, so waiting for it covers both read models. A payment waiting for 3-D Secure
// records nothing on the subscription yet: its completion does (the reactor).
//
// An error recording on the subscription is returned although the invoice is paid: the same command again
// (a retry with the same Idempotency-Key) finds the invoice paid by it and records on the subscription
// again, and the reactor records it anyway.
func (p InvoicePayments) Pay(ctx context.Context, env Envelope, in InvoicePayment) (PaidInvoice, error) {
	paid, err := p.Subscriptions.Invoices.Pay(ctx, env, in)
	if err != nil || paid.Intent != nil {
		return paid, err
	}
	bill, err := p.Subscriptions.Invoices.Read(ctx, in.InvoiceID)
	if err != nil || bill.SubscriptionID == 0 {
		return paid, err
	}
	recorded, err := p.Subscriptions.recordPaid(ctx, env.derived("subscription-paid"), bill, bill.AmountPaid)
	if err == nil && recorded.Position.Compare(paid.Position) > 0 {
		paid.Position = recorded.Position
	}
	return paid, err
}
