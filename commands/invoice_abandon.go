package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// abandonedAuthentication is the decline reason of a 3-D Secure attempt the customer never completed by
// its deadline.
const abandonedAuthentication = "authentication_abandoned"

// VoidAbandoning voids invoice id, which nobody finished paying by its deadline (an e-commerce order's, a
// subscription's awaiting 3-D Secure), so no payment can go through it any more. A pending attempt is
// settled first (abandonAttempt). It returns invoice.ErrAlreadyPaid when the invoice was paid after all:
// the caller then completes what the invoice pays for instead of giving it up. While the gateway cannot be
// reached the invoice stays as it is and the error says so, for a later run to try again.
func (c Invoices) VoidAbandoning(ctx context.Context, env Envelope, id int64) error {
	return c.closeAbandoning(ctx, env.derived("void"), env, env.derived("void-abandoned"), id, c.Void)
}

// GiveUpAbandoning marks invoice id uncollectible (dunning gave up on it) as VoidAbandoning voids one: a
// pending attempt is settled first, its 3-D Secure intent canceled at the gateway where it can be, and
// invoice.ErrAlreadyPaid says the invoice was paid after all. Its commands' ids derive from env.
func (c Invoices) GiveUpAbandoning(ctx context.Context, env Envelope, id int64) error {
	return c.closeAbandoning(ctx, env, env.derived("abandon"), env.derived("abandoned"), id, c.MarkUncollectible)
}

// closeAbandoning closes invoice id with close (void, uncollectible) under env, or, when an attempt is
// pending, settles it under abandon and closes the invoice under again.
func (c Invoices) closeAbandoning(ctx context.Context, env, abandon, again Envelope, id int64,
	close func(context.Context, Envelope, int64) (InvoiceResult, error)) error {
	_, err := close(ctx, env, id)
	if errors.Is(err, invoice.ErrPaymentPending) {
		if err = c.abandonAttempt(ctx, abandon, id); err == nil {
			_, err = close(ctx, again, id)
		}
	}
	return err
}

// abandonAttempt settles the invoice's pending attempt. One waiting for a 3-D Secure intent: the gateway is
// asked once more (an intent the customer completed pays the invoice); one still waiting is canceled at the
// gateway where the gateway can (payments.IntentCanceler), so the customer can no longer complete it (one
// completed just before the cancellation pays the invoice), and is recorded as declined, so the invoice
// can be voided. One whose gateway answer never came (a timeout, a crash after the charge): the same charge
// is sent again under the attempt's gateway key, so the gateway answers what it did the first time without
// charging twice, and that answer is recorded; a gateway still unreachable leaves it pending.
//
// A gateway that cannot cancel intents leaves them open: a customer who completes one after this pays an
// invoice that no longer owes it, and CompleteIntent refunds it at once (or, when the invoice is still open
// with nothing else under way, it pays the invoice).
func (c Invoices) abandonAttempt(ctx context.Context, env Envelope, id int64) error {
	s, err := c.Read(ctx, id)
	if err != nil || s.Pending == nil {
		return err
	}
	if s.Pending.IntentID == "" {
		_, err := c.settle(ctx, env.derived("settle"), s, nil)
		if errors.As(err, new(*payments.Declined)) {
			return nil // recorded: the invoice can be voided
		}
		return err
	}
	_, err = c.Intents.Confirm(ctx, env.derived("confirm"), s.Pending.IntentID)
	if !errors.Is(err, ErrIntentNotSucceeded) {
		return err
	}
	if completed, err := c.cancelIntent(ctx, s.Pending); err != nil || completed {
		if err == nil {
			_, err = c.Intents.Confirm(ctx, env.derived("confirm-completed"), s.Pending.IntentID)
		}
		return err
	}
	attempt := s.Pending.Number
	_, err = c.handle(ctx, env.derived("abandon"), id, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
		return invoice.RecordDecline(s, attempt, abandonedAuthentication, now)
	})
	return err
}

// cancelIntent cancels the attempt's intent at its gateway, when the gateway can, and reports whether the
// customer completed it first.
func (c Invoices) cancelIntent(ctx context.Context, attempt *invoice.Attempt) (completed bool, err error) {
	gateway, err := c.Gateways.Get(attempt.Means.Gateway)
	if err != nil {
		return false, err
	}
	canceler, ok := gateway.(payments.IntentCanceler)
	if !ok {
		return false, nil
	}
	at, err := canceler.CancelPaymentIntent(ctx, attempt.IntentID)
	switch {
	case errors.Is(err, payments.ErrUnknownIntent):
		return false, nil // the gateway holds no such intent: nothing can take money through it
	case err != nil:
		return false, err
	case at.Status == payments.IntentSucceeded:
		return true, nil
	case at.Status == payments.IntentCanceled:
		return false, nil
	}
	// Neither canceled nor succeeded: the gateway refused to cancel an intent that is still moving (Stripe's
	// "processing"). Abandoning it now would void an invoice the money may still reach; the next run asks again.
	return false, fmt.Errorf("commands: payment intent %s is still %s at the gateway after the cancel; trying again later",
		attempt.IntentID, at.Status)
}
