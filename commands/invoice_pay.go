package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// InvoicePayment is POST /invoices/{invoice_id}/pay (#45): the customer pays with a saved chargeable source
// (SourceID) or with a single-use gateway token (Token, at Gateway; "" is DefaultGateway).
type InvoicePayment struct {
	Target
	InvoiceID int64
	SourceID  int64
	Gateway   string
	Token     string
	// awaitingSetup also accepts a card still waiting for its 3-D Secure setup (a subscription's first
	// invoice, paid with the card just saved from a token: the charge asks for 3-D Secure in turn).
	awaitingSetup bool
	// defaultFirst pays with the customer's default card when it is chargeable, SourceID (a subscription's
	// own card) only otherwise (wallet.State.ChargedInstead): a subscription's charge nobody named a card for,
	// as savedPayment, its only source, decides.
	defaultFirst bool
}

// PaidInvoice is where paying left the invoice: paid (Intent nil), or waiting for the customer to complete
// the 3-D Secure payment intent Intent.
type PaidInvoice struct {
	InvoiceResult
	Intent *payments.Intent
}

// Pay pays an open invoice of the customer's, crash-safe in three steps: record attempt n (PaymentAttempted,
// with the means), charge at the gateway with the key invoice-<id>-attempt-<n>, record the outcome. When an
// attempt is already pending (a crash, a timeout, a concurrent request), that attempt is repeated with its
// own means and key instead of starting another, so the gateway answers with its first outcome and the
// customer is charged at most once; if it turns out declined and this request pays with other means, a new
// attempt follows with them, and if it took the money this request is refused invoice.ErrAlreadyPaid, as
// only a request whose own method paid succeeds. An attempt waiting for a 3-D Secure intent is repeated (the
// same intent answered) when this request pays with the same payment method; with another one, it is given
// up first (abandonAttempt) and a new attempt, with its own gateway key, follows. Should the given-up intent
// still succeed later, CompleteIntent refunds it unless the invoice still owes it.
//
// Refusals: invoice.ErrNotFound (not the customer's, unknown, draft), invoice.ErrAlreadyPaid, invoice.ErrVoid,
// invoice.ErrUncollectible, ErrSourceNotFound, ErrUnknownGateway and *payments.Declined (the invoice stays
// open). Any other error (payments.ErrUnavailable…) leaves the attempt pending for a retry to settle.
func (c Invoices) Pay(ctx context.Context, env Envelope, in InvoicePayment) (PaidInvoice, error) {
	// The invoice is read once, as the first attempt's command (so that attempt decides on it) and to tell
	// an unknown invoice; each attempt then hands over the state it left.
	before, err := loadFirst(ctx, c.Store, InvoiceAggregate, invoiceStream(in.InvoiceID), env.derived("attempt"))
	if err == nil && before.unread && before.state.PayableBy(in.CustomerID, in.AccountID) != nil {
		// A refusal is told on the log, never on the cache alone.
		before, err = load(ctx, c.Store, InvoiceAggregate, invoiceStream(in.InvoiceID), env.derived("attempt").CommandID)
	}
	if err != nil {
		return PaidInvoice{}, err
	}
	if err := before.state.PayableBy(in.CustomerID, in.AccountID); errors.Is(err, invoice.ErrNotFound) {
		return PaidInvoice{}, err // an unknown invoice is told before an unknown source
	}
	means, err := c.means(ctx, in)
	if err != nil {
		return PaidInvoice{}, err
	}
	pay := invoice.Pay{CustomerID: in.CustomerID, AccountID: in.AccountID, Means: means}
	paid, _, err := c.attempt(ctx, env, in.InvoiceID, &before, pay, nil)
	return paid, err
}

// attempt records an attempt to pay invoice id (deciding first on loaded, see handleLoaded), charges it and
// records the outcome, and returns the invoice as the attempt left it too. opening, when set, is the invoice
// to create first in the same append when the stream does not hold it yet (payOpening).
func (c Invoices) attempt(ctx context.Context, env Envelope, id int64, loaded *history[invoice.State], pay invoice.Pay,
	opening *invoice.Create) (PaidInvoice, invoice.State, error) {
	for _, step := range []string{"attempt", "attempt-again", "attempt-after-another"} {
		attempted, err := c.handleState(ctx, env.derived(step), id, loaded, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
			return openThenAttempt(s, opening, pay, now)
		})
		loaded, opening = nil, nil
		if err != nil {
			return PaidInvoice{}, invoice.State{}, err
		}
		s := attempted.state
		switch {
		case s.Status == invoice.StatusPaid:
			return PaidInvoice{InvoiceResult: InvoiceResult{InvoiceID: id, Result: attempted.Result}}, s, nil
		case s.Pending == nil:
			// This very command ran before and its attempt was declined (a retry after a lost answer).
			return PaidInvoice{}, s, &payments.Declined{Reason: payments.DeclineReason(s.Declined)}
		}
		theirs := !s.Pending.Means.SameMethod(pay.Means)
		if theirs && s.Pending.IntentID != "" {
			// The customer pays with another method than the one whose 3-D Secure waits: that attempt is given
			// up (its intent canceled at the gateway where it can be, see abandonAttempt) and the next step
			// starts a new one. An intent that succeeded meanwhile pays the invoice instead.
			if err := c.abandonAttempt(ctx, env.derived("supersede-"+strconv.Itoa(s.Pending.Number)), id); err != nil {
				return PaidInvoice{}, invoice.State{}, err
			}
			continue
		}
		paid, err := c.settle(ctx, env, s, nil)
		switch {
		case theirs && err == nil && paid.Intent == nil:
			// Another request's attempt paid the invoice with its own method: this request's was not
			// charged, so it must not answer success (the customer would think their card paid).
			return PaidInvoice{}, invoice.State{}, invoice.ErrAlreadyPaid
		case theirs && err == nil:
			// Another request's attempt now waits for 3-D Secure on its card: this request must not answer
			// with that card's intent. The next step finds the intent and replaces the attempt with this
			// request's method, as a payment with another method does.
			continue
		case !theirs || !errors.As(err, new(*payments.Declined)):
			return paid, s, err
		}
	}
	return PaidInvoice{}, invoice.State{}, errors.New("commands: invoice payment: attempts of other requests kept failing")
}

// means is what the request pays with, checked: a chargeable source of the customer's (for defaultFirst,
// the default instead when it is chargeable), or a token at a gateway this server serves.
func (c Invoices) means(ctx context.Context, in InvoicePayment) (invoice.Means, error) {
	if in.SourceID == 0 && !in.defaultFirst {
		gateway := in.Gateway
		if gateway == "" {
			gateway = DefaultGateway
		}
		if _, err := c.Gateways.Get(gateway); err != nil {
			return invoice.Means{}, err
		}
		if err := checkToken(in.Token); err != nil {
			return invoice.Means{}, err
		}
		return invoice.Means{Gateway: gateway, Token: in.Token}, nil
	}
	// Under the billing run's ctx, a wallet read within billingReadsFreshFor is not read again (loadRecent).
	h, err := loadRecent(ctx, c.Store, WalletAggregate, walletStream(in.CustomerID))
	if err != nil {
		return invoice.Means{}, err
	}
	if h.state.AccountID != in.AccountID {
		return invoice.Means{}, ErrSourceNotFound
	}
	if in.defaultFirst {
		in.SourceID = h.state.ChargedInstead(in.SourceID)
	}
	m, ok := h.state.Method(in.SourceID)
	switch {
	case !ok:
		return invoice.Means{}, ErrSourceNotFound
	case m.Status == wallet.StatusPending && !in.awaitingSetup:
		return invoice.Means{}, ErrSourceAwaitingAuthentication
	case m.Status != wallet.StatusChargeable && m.Status != wallet.StatusPending:
		return invoice.Means{}, ErrSourceNotFound
	}
	// A card still waiting for its setup is set up by the charge the customer authenticates in its place.
	return invoice.Means{Gateway: m.Gateway, SourceID: m.ID, CardGatewayID: m.ObjectID,
		CustomerGatewayID: m.GatewayCustomerID, SetsUp: m.Status == wallet.StatusPending}, nil
}

// settle repeats the pending attempt's charge with its own key and records what the gateway answered. A
// 3-D Secure intent is registered with Intents before the attempt is noted as waiting for it. A charge that
// took the money is recorded in one commit with also, when set (the subscription the invoice pays).
func (c Invoices) settle(ctx context.Context, env Envelope, s invoice.State, also side) (PaidInvoice, error) {
	attempt := s.Pending
	gateway, err := c.Gateways.Get(attempt.Means.Gateway)
	if err != nil {
		return PaidInvoice{}, err
	}
	charge, err := gateway.Charge(ctx, payments.ChargeRequest{CustomerGatewayID: attempt.Means.CustomerGatewayID,
		CardGatewayID: attempt.Means.CardGatewayID, Token: attempt.Means.Token, SetUpCard: attempt.Means.SetsUp,
		Amount: payments.Money{Amount: s.Total, Currency: s.Currency}, Description: "Invoice " + strconv.FormatInt(s.ID, 10),
		IdempotencyKey: s.GatewayKey(attempt.Number)})
	settled := env.derived("settle-" + strconv.Itoa(attempt.Number))
	if declined, ok := errors.AsType[*payments.Declined](err); ok {
		if _, recordErr := c.handle(ctx, settled, s.ID, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
			return invoice.RecordDecline(s, attempt.Number, string(declined.Reason), now)
		}); recordErr != nil {
			return PaidInvoice{}, recordErr
		}
		return PaidInvoice{}, err
	}
	if err != nil {
		return PaidInvoice{}, err
	}
	card := invoice.Card{Brand: charge.Card.Brand, Last4: charge.Card.Last4}
	if i := charge.Intent; i != nil && i.Status == payments.IntentRequiresAction {
		return c.awaitAction(ctx, settled, s, *i, card)
	}
	result, err := c.handleWith(ctx, settled, s.ID, also, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
		return invoice.RecordCharge(s, invoice.Charged{Attempt: attempt.Number, ChargeID: charge.GatewayID,
			Gateway: gateway.Name(), Card: card}, now)
	})
	return PaidInvoice{InvoiceResult: result}, err
}

// awaitAction registers the payment intent as the invoice's, then notes that the attempt waits for it with
// the card it will charge.
func (c Invoices) awaitAction(ctx context.Context, env Envelope, s invoice.State, i payments.Intent,
	card invoice.Card) (PaidInvoice, error) {
	err := c.Intents.Register(ctx, env.derived("intent"), intent.Registered{IntentID: i.ID,
		Kind: string(payments.PaymentIntent), Gateway: s.Pending.Means.Gateway, Owner: invoiceStream(s.ID),
		CustomerID: s.CustomerID, AccountID: s.AccountID})
	if err != nil {
		return PaidInvoice{}, err
	}
	result, err := c.handle(ctx, env, s.ID, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
		return invoice.RecordRequiresAction(s, s.Attempts, i.ID, card, now)
	})
	return PaidInvoice{InvoiceResult: result, Intent: &i}, err
}

// invoiceStream is the name of an invoice's stream.
func invoiceStream(id int64) string {
	return InvoiceAggregate.StreamPrefix + strconv.FormatInt(id, 10)
}
