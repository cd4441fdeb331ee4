package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// CompleteIntent is the IntentOwner of payment intents (see Intents): the gateway said the customer
// authenticated the intent, so it took the money. The attempt that waited for it pays the invoice
// (invoice.CompleteIntent), also when it was given up meanwhile but the invoice is still open with nothing
// else under way. Money the invoice no longer owes (void, uncollectible, paid by another charge, or another
// attempt under way) is refunded at once through the gateway, under a key derived from the intent, and the
// refund is recorded on the invoice (refundNotOwed). A saved card the intent charged while the card still
// waited for its own 3-D Secure setup becomes chargeable (setUpCard). Completing an intent again changes
// nothing.
func (c Invoices) CompleteIntent(ctx context.Context, env Envelope, r intent.Registered) (Result, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(r.Owner, InvoiceAggregate.StreamPrefix), 10, 64)
	if err != nil || !strings.HasPrefix(r.Owner, InvoiceAggregate.StreamPrefix) {
		return Result{}, fmt.Errorf("commands: intent %s: owner %q is not an invoice", r.IntentID, r.Owner)
	}
	done, err := c.handleState(ctx, env, id, nil, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
		return invoice.CompleteIntent(s, r.IntentID, r.Gateway, now)
	})
	if errors.Is(err, invoice.ErrNotOwed) {
		done, err = c.refundNotOwed(ctx, env.derived("refund"), id, r)
	}
	if err != nil {
		return done.Result, err
	}
	waited, ok := done.state.WaitedFor(r.IntentID)
	if !ok || !waited.Means.SetsUp {
		return done.Result, nil
	}
	set, err := c.setUpCard(ctx, env.derived("card"), done.state, waited.Means.SourceID, r.IntentID)
	if err == nil && set.Position.Compare(done.Position) > 0 {
		done.Position = set.Position
	}
	return done.Result, err
}

// refundNotOwed gives back all the intent took, which invoice id does not owe, at the intent's gateway
// under invoice.StrayRefundKey, then records the refund. A refund recorded already is not asked again; a
// crash in between is healed by the next confirmation (a webhook delivered again, `pelcro payments
// confirm`): the same key makes the gateway answer with its first refund, which is then recorded.
func (c Invoices) refundNotOwed(ctx context.Context, env Envelope, id int64, r intent.Registered) (handled[invoice.State], error) {
	loaded, err := load(ctx, c.Store, InvoiceAggregate, invoiceStream(id), env.CommandID)
	if err != nil {
		return handled[invoice.State]{}, err
	}
	if key, amount, ok := loaded.state.StrayRefund(r.IntentID); ok {
		gateway, err := c.Gateways.Get(r.Gateway)
		if err != nil {
			return handled[invoice.State]{}, err
		}
		_, err = gateway.Refund(ctx, payments.RefundRequest{ChargeGatewayID: r.IntentID,
			Amount: payments.Money{Amount: amount, Currency: loaded.state.Currency}, IdempotencyKey: key})
		if err != nil {
			return handled[invoice.State]{}, fmt.Errorf("commands: refund payment intent %s, which invoice %d does not owe: %w",
				r.IntentID, id, err)
		}
	}
	return c.handleState(ctx, env, id, &loaded, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
		return invoice.RecordStrayRefund(s, r.IntentID, now)
	})
}

// setUpCard makes the customer's card sourceID chargeable, set up by the payment intent that charged it
// (wallet.ConfirmByPayment): a no-op for a card chargeable already or deleted.
func (c Invoices) setUpCard(ctx context.Context, env Envelope, bill invoice.State, sourceID int64,
	intentID string) (WalletResult, error) {
	wallets := Wallets{Store: c.Store, Now: c.Now}
	return wallets.handle(ctx, env, Target{CustomerID: bill.CustomerID, AccountID: bill.AccountID}, sourceID,
		func(s wallet.State, at time.Time) ([]wallet.Event, error) {
			return wallet.ConfirmByPayment(s, sourceID, intentID, at)
		})
}
