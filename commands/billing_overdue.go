package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// invoiceOverdue handles an invoice sent to the customer and unpaid at its due date (due kind
// invoice_overdue, see aggregates/subscription/overdue.go). A first invoice is voided before the
// subscription, which never started, ends canceled, as an expired 3-D Secure payment is (expirePayment): an
// invoice paid after all is recorded as paid instead. A later invoice stays open and the subscription is
// past due until the end of the account's dunning window. An invoice found paid (its payment not recorded on
// the subscription yet) is recorded as paid instead.
func (c Subscriptions) invoiceOverdue(ctx context.Context, env Envelope, s subscription.State,
	action BillingAction) (BillingAction, subscriptionAfter, error) {
	action.InvoiceID = s.Unsettled
	if s.Status == subscription.StatusIncomplete {
		err := c.Invoices.VoidAbandoning(ctx, env, action.InvoiceID)
		if errors.Is(err, invoice.ErrAlreadyPaid) {
			return c.recordAwaitedPaid(ctx, env, s.ID, action)
		}
		if err != nil {
			return action, subscriptionAfter{}, err
		}
		action.Outcome = string(subscription.StatusCanceled)
		after, err := c.handleState(ctx, env.derived("expire"), s.ID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
			return subscription.MarkOverdue(s, subscription.Dunning{}, now)
		})
		return action, after, err
	}
	if paid, after, done, err := c.paidMeanwhile(ctx, env, s.ID, action); done || err != nil {
		return paid, after, err
	}
	dunning, err := c.dunning(ctx, s.AccountID)
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	action.Outcome = string(subscription.StatusPastDue)
	after, err := c.handleState(ctx, ownWrite(env), s.ID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.MarkOverdue(s, dunning, now)
	})
	return action, after, err
}

// endOverdue ends the subscription whose overdue invoice is still unpaid at the end of dunning (due kind
// overdue_end), as the last failed retry of a card does (recordFailure): canceled gives up on the invoice
// (uncollectible) first, so a crash in between leaves the item due and the rerun finishes both; unpaid
// leaves it open for the customer to pay.
func (c Subscriptions) endOverdue(ctx context.Context, env Envelope, s subscription.State,
	action BillingAction) (BillingAction, subscriptionAfter, error) {
	action.InvoiceID = s.Unsettled
	dunning, err := c.dunning(ctx, s.AccountID)
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	action.Outcome = string(subscription.StatusUnpaid)
	if dunning.KeepUnpaid {
		if paid, after, done, err := c.paidMeanwhile(ctx, env, s.ID, action); done || err != nil {
			return paid, after, err
		}
	} else {
		action.Outcome = string(subscription.StatusCanceled)
		err := c.Invoices.GiveUpAbandoning(ctx, env.derived("uncollectible"), action.InvoiceID)
		if errors.Is(err, invoice.ErrAlreadyPaid) {
			return c.paidAfterAll(ctx, env, s, action)
		}
		if err != nil {
			return action, subscriptionAfter{}, err
		}
	}
	after, err := c.handleState(ctx, env.derived("end"), s.ID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.EndOverdue(s, dunning, now)
	})
	return action, after, err
}

// dunning is the account's dunning policy, with the default retries when it sets none.
func (c Subscriptions) dunning(ctx context.Context, accountID int64) (subscription.Dunning, error) {
	policy, err := c.Catalog.Account(ctx, accountID)
	if err != nil {
		return subscription.Dunning{}, err
	}
	dunning := policy.Dunning
	if dunning.Retries == nil {
		dunning.Retries = subscription.DefaultDunning.Retries // nil: the account did not set its own
	}
	return dunning, nil
}

// paidMeanwhile records the action's invoice paid when the customer paid it and the subscription was not
// told yet (the payments reactor runs after the payment); done reports it was, and the invoice is read once.
func (c Subscriptions) paidMeanwhile(ctx context.Context, env Envelope, id int64,
	action BillingAction) (_ BillingAction, _ subscriptionAfter, done bool, _ error) {
	bill, err := c.Invoices.Read(ctx, action.InvoiceID)
	if err != nil || bill.Status != invoice.StatusPaid {
		return action, subscriptionAfter{}, false, err
	}
	paid, after, err := c.recordActionPaid(ctx, env, id, action, bill.Total)
	return paid, after, true, err
}
