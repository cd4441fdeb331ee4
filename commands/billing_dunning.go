package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// recordFailure records the failed charge: past due until the next retry, or the end of the subscription
// after the last. An end canceled gives up on the invoice (uncollectible, a waiting 3-D Secure payment
// canceled) first, so a crash in between leaves the charge due and the rerun finishes both; an end unpaid
// leaves it open for the customer to pay.
func (c Subscriptions) recordFailure(ctx context.Context, env Envelope, s subscription.State, action BillingAction,
	reason string) (BillingAction, subscriptionAfter, error) {
	dunning, err := c.dunning(ctx, s.AccountID)
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	decided, err := subscription.RecordPaymentFailed(s, action.InvoiceID, reason, dunning, action.At)
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	action.Outcome, action.Detail = "payment_failed", reason
	for _, e := range decided {
		if end, ok := e.(subscription.Ended); ok {
			action.Outcome = string(end.Status)
			if end.Status != subscription.StatusCanceled {
				continue
			}
			// A 3-D Secure payment still waiting on the invoice is given up with it (canceled at the
			// gateway), so no money can reach an invoice nobody collects any more; one the customer
			// completed meanwhile paid it, and the subscription is paid instead of canceled.
			err := c.Invoices.GiveUpAbandoning(ctx, env.derived("uncollectible"), action.InvoiceID)
			if errors.Is(err, invoice.ErrAlreadyPaid) {
				return c.paidAfterAll(ctx, env, s, action)
			}
			if err != nil {
				return action, subscriptionAfter{}, err
			}
		}
	}
	after, err := c.handleState(ctx, env.derived("failed"), s.ID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.RecordPaymentFailed(s, action.InvoiceID, reason, dunning, now)
	})
	return action, after, err
}

// paidAfterAll records the payment of the subscription's invoice, which dunning found paid when it came to
// give up on it (a 3-D Secure payment the customer completed at the last moment).
func (c Subscriptions) paidAfterAll(ctx context.Context, env Envelope, s subscription.State,
	action BillingAction) (BillingAction, subscriptionAfter, error) {
	bill, err := c.Invoices.Read(ctx, action.InvoiceID)
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	action.Outcome, action.Detail = "paid", strconv.FormatInt(bill.Total, 10)+" "+bill.Currency
	after, err := c.handleState(ctx, env.derived("paid"), s.ID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.RecordPayment(s, action.InvoiceID, bill.Total, now)
	})
	return action, after, err
}
