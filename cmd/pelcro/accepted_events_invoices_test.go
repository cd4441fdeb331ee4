package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// invoiceRefusals are the answers an invoice command may give instead of writing (a gateway's answers among
// them: the drawn gateway declines, times out, names intents the confirmation entry point refuses).
var invoiceRefusals = []error{invoice.ErrInvalid, invoice.ErrNotFound, invoice.ErrAlreadyExists, invoice.ErrAlreadyPaid, invoice.ErrVoid,
	invoice.ErrUncollectible, invoice.ErrPaymentPending, invoice.ErrNotDraft, customer.ErrNotRegistered,
	commands.ErrSourceNotFound, commands.ErrUnknownGateway, commands.ErrIntentNotSucceeded, payments.ErrUnavailable,
	payments.ErrUnknownIntent, intent.ErrTaken}

// exampleInvoice is what invoice drawings start from: an invoice the rules accept, with every date set.
var exampleInvoice = invoice.Create{Currency: "usd", Tax: 100, InclusiveTax: 300, Discount: 50,
	BillingReason: invoice.ReasonSubscriptionCycle, SubscriptionID: 9, Description: "May",
	DueAt:  time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	Period: invoice.Period{Start: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
	Lines:  []invoice.Line{{Description: "Issue 12", UnitAmount: 1250, Quantity: 2}}}

// drawnCharges is a gateway whose every charge answer is drawn: a charge with texts chosen to hurt, a
// decline with any reason, a 3-D Secure intent, a timeout. Whatever the invoices accept from a gateway must
// project.
type drawnCharges struct {
	t *rapid.T
	payments.Gateway
}

func (g drawnCharges) Name() string { return text().Draw(g.t, "gateway name") }

func (g drawnCharges) Charge(_ context.Context, req payments.ChargeRequest) (payments.Charge, error) {
	t := g.t
	switch rapid.IntRange(0, 4).Draw(t, "charge outcome") {
	case 0:
		return payments.Charge{}, &payments.Declined{Reason: payments.DeclineReason(text().Draw(t, "decline reason"))}
	case 1:
		return payments.Charge{}, payments.ErrUnavailable
	case 2:
		id := rapid.OneOf(rapid.Just("pi_"+fmt.Sprint(rapid.Uint32().Draw(t, "intent"))), text()).Draw(t, "intent id")
		return payments.Charge{Intent: &payments.Intent{ID: id, Kind: payments.PaymentIntent,
			Status: payments.IntentRequiresAction, ClientSecret: "secret"}}, nil
	}
	return payments.Charge{GatewayID: text().Draw(t, "charge id"), Amount: req.Amount,
		Card: payments.Card{Brand: text().Draw(t, "brand"), Last4: text().Draw(t, "last4")}}, nil
}

// Refund gives back a late intent's money the invoice did not owe, or times out.
func (g drawnCharges) Refund(_ context.Context, req payments.RefundRequest) (payments.Refund, error) {
	if rapid.Bool().Draw(g.t, "refund times out") {
		return payments.Refund{}, payments.ErrUnavailable
	}
	return payments.Refund{GatewayID: text().Draw(g.t, "refund id"), Amount: req.Amount}, nil
}

func (g drawnCharges) Intent(_ context.Context, id string) (payments.Intent, error) {
	status := rapid.SampledFrom([]payments.IntentStatus{payments.IntentSucceeded, payments.IntentCanceled}).Draw(g.t, "intent status")
	return payments.Intent{ID: id, Kind: payments.PaymentIntent, Status: status}, nil
}

// runInvoices opens drawn invoices for the customers (and for ones that do not exist), pays them through a
// drawn gateway, confirms their intents, voids them and gives up on them.
func (w *propertyWorld) runInvoices(customers []int64) {
	t, store := w.t, w.deps.EventStore
	gateways := commands.Gateways{commands.DefaultGateway: drawnCharges{t: t}}
	clock := func() time.Time { return w.now }
	intents := commands.Intents{Store: store, Gateways: gateways, Now: clock}
	invoices := commands.Invoices{Store: store, Gateways: gateways, Intents: intents, Now: clock,
		IDs: commands.NewIDAllocator(store, commands.IDKindInvoice, commands.IDAllocatorConfig{BlockSize: 10,
			First: rapid.SampledFrom([]int64{1, 1 << 31, 1 << 62}).Draw(t, "first invoice id")})}
	intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.PaymentIntent: invoices.CompleteIntent}
	invoices.Intents = intents
	someone := rapid.SampledFrom(append(customers, 1<<62)) // a customer, or nobody
	var opened []int64
	var waiting []string
	for i := range rapid.IntRange(1, 15).Draw(t, "invoice steps") {
		env := commands.Envelope{CommandID: fmt.Sprint("invoice-", i)}
		some := func() int64 {
			if len(opened) == 0 {
				return rapid.Int64().Draw(t, "invoice")
			}
			return rapid.SampledFrom(opened).Draw(t, "invoice")
		}
		var err error
		switch rapid.IntRange(0, 4).Draw(t, "invoice action") {
		case 0:
			drawn, kept := drawBoth(t, "invoice", exampleInvoice, func(c invoice.Create) bool { c.CustomerID = 1; return len(c.Problems()) == 0 })
			in := rapid.SampledFrom([]invoice.Create{drawn, kept}).Draw(t, "which invoice")
			in.CustomerID, in.Draft = someone.Draw(t, "customer"), rapid.Bool().Draw(t, "draft")
			var created commands.InvoiceResult
			if created, err = invoices.Create(t.Context(), env, commands.NewInvoice{Invoice: in}); err == nil {
				opened = append(opened, created.InvoiceID)
			}
		case 1:
			id := some()
			var s invoice.State
			if s, err = invoices.Read(t.Context(), id); err == nil {
				var paid commands.PaidInvoice
				paid, err = invoices.Pay(t.Context(), env, commands.InvoicePayment{InvoiceID: id, Token: text().Draw(t, "token"),
					Target: commands.Target{CustomerID: s.CustomerID, AccountID: s.AccountID}})
				if paid.Intent != nil {
					waiting = append(waiting, paid.Intent.ID)
				}
				if _, declined := errors.AsType[*payments.Declined](err); declined {
					err = nil
				}
			}
		case 2:
			if len(waiting) > 0 {
				_, err = intents.Confirm(t.Context(), env, rapid.SampledFrom(waiting).Draw(t, "intent"))
			}
		case 3:
			_, err = invoices.Void(t.Context(), env, some())
		case 4:
			if rapid.Bool().Draw(t, "finalize or give up") {
				_, err = invoices.Finalize(t.Context(), env, some())
			} else {
				_, err = invoices.MarkUncollectible(t.Context(), env, some())
			}
		}
		w.refused("invoice command", err, invoiceRefusals...)
		w.now = w.now.Add(time.Duration(rapid.IntRange(0, 90).Draw(t, "minutes later")) * time.Minute)
	}
}
