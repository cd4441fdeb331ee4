package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Reasons a renewal charge failed without a gateway decline (PaymentFailed.Reason).
const (
	reasonNoSource       = "no_payment_source"
	reasonAuthentication = "authentication_required"
)

// renew starts the next period (due kind renew) of s, standing at revision, and records the id of its invoice, allocated first; the
// charge that follows (the next due item) opens and pays it. A subscription paid by invoice has no charge to
// follow, so its renewal's invoice is opened before the period starts, under an id recorded for the item's
// command (sendRenewalInvoice): a crash between the two opens the same invoice again, once, on the rerun,
// which finds the renewal still due. A phase paid in advance, or by a gift, bills nothing.
// On the run's read-ahead (ahead) it renews through renewAndOpen alone, else errReadAheadDeclined.
func (c Subscriptions) renew(ctx context.Context, env Envelope, s subscription.State, revision uint64,
	action BillingAction, ahead bool) (BillingAction, subscriptionAfter, error) {
	phase, _ := s.Upcoming()
	var next subscription.NextPeriod
	var err error
	switch {
	case phase.PaidBy == 0 && !phase.Gift:
		if env, next, err = c.chargedPeriod(ctx, env, s, phase); err != nil {
			return action, subscriptionAfter{}, err
		}
	case !phase.Gift: // paid in advance by the customer: the period is worth what its invoice took, which a
		// change prorates and an immediate cancellation refunds (a gift's worth is the donor's, not theirs)
		paid, err := c.Invoices.Read(ctx, phase.PaidBy)
		if err != nil {
			return action, subscriptionAfter{}, err
		}
		next.Amount = paid.Total
	}
	decide := startNextPeriod(next)
	action.InvoiceID, action.Outcome = next.InvoiceID, "renewed"
	if ahead {
		renewed, ok, err := c.renewAndOpen(ctx, env, s, revision, decide)
		if !ok {
			return action, subscriptionAfter{}, errReadAheadDeclined
		}
		return action, renewed, err
	}
	if next.InvoiceID != 0 && s.Billing == subscription.BillingSendInvoice {
		if err := c.sendRenewalInvoice(ctx, env, s, decide); err != nil {
			return action, subscriptionAfter{}, err
		}
	}
	if next.InvoiceID != 0 && s.Billing != subscription.BillingSendInvoice {
		if renewed, ok, err := c.renewAndOpen(ctx, env, s, revision, decide); ok {
			return action, renewed, err
		}
	}
	renewed, err := c.handleState(ctx, env, s.ID, decide)
	if renewed.state.Ended() { // the period could not be billed (subscription.StartNextPeriod)
		action.Outcome, action.Detail = string(renewed.state.Status), renewed.state.CancelReason
	}
	return action, renewed, err
}

// chargedPeriod prices the next period of s, phase (neither paid in advance nor a gift), and allocates its
// invoice's id, which joins env's command id; a period too large to bill gets no invoice.
func (c Subscriptions) chargedPeriod(ctx context.Context, env Envelope, s subscription.State,
	phase subscription.Phase) (Envelope, subscription.NextPeriod, error) {
	quote, err := c.pricePhase(ctx, s, phase, s.CouponApplies(phase), s.Credit)
	if err != nil {
		return env, subscription.NextPeriod{}, err
	}
	next := subscription.NextPeriod{Amount: quote.Total, CreditUsed: quote.Balance}
	if len(subscription.PeriodTotalProblems(next.Amount)) > 0 {
		return env, next, nil // no invoice: the renewal ends the subscription (subscription.StartNextPeriod)
	}
	if next.InvoiceID, err = c.renewalInvoiceID(ctx, env, s); err != nil {
		return env, next, err
	}
	// Two runs renewing at once (a lease that ran out) allocate two ids for an invoice charged
	// automatically. Under one command id their PeriodStarted events would share event ids, and the store
	// would take the second append for a retry of the first although it records another invoice: the
	// second run would then charge an invoice the log never recorded. With the id in the command, the
	// second loses the append race and finds the item done (subscription.ErrNotDue, see BillDue). An
	// invoice sent to be paid has one id per item already (renewalInvoiceID), so both runs agree.
	env.CommandID += ":invoice-" + strconv.FormatInt(next.InvoiceID, 10)
	return env, next, nil
}

// startNextPeriod decides the renewal that starts next.
func startNextPeriod(next subscription.NextPeriod) func(subscription.State, time.Time) ([]subscription.Event, error) {
	return func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.StartNextPeriod(s, next, now)
	}
}

// charge charges the subscription's unsettled invoice (due kind charge: a renewal just opened, or a dunning
// retry) with the customer's default card, or the subscription's own when the default cannot be charged, opening the invoice first when a crash came between the renewal and its
// opening, and records the outcome: paid, or failed with dunning's next step.
func (c Subscriptions) charge(ctx context.Context, env Envelope, s subscription.State,
	action BillingAction) (BillingAction, subscriptionAfter, error) {
	action.InvoiceID = s.Unsettled
	bill, reason, paid, err := c.settleInvoice(ctx, env, s)
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	if reason == "" {
		action.Outcome, action.Detail = "paid", strconv.FormatInt(bill.Total, 10)+" "+bill.Currency
		if paid != nil {
			return action, *paid, nil
		}
		after, err := c.handleState(ctx, env.derived("paid"), s.ID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
			return subscription.RecordPayment(s, action.InvoiceID, bill.Total, now)
		})
		return action, after, err
	}
	return c.recordFailure(ctx, env, s, action, reason)
}

// settleInvoice opens the period's invoice when it is not yet and charges it: the invoice, and "" when it
// is paid, else why it was not; paid is set when the subscription's payment was recorded with the
// invoice's (chargeOpened). The charge of a renewal whose invoice this process opened with its attempt
// (renewAndOpen) settles that attempt; one whose invoice is not open yet opens it and records its first
// attempt in one append (Invoices.payOpening); a dunning retry, a subscription without a card and a period
// that can no longer be priced open (or read) the invoice first, then pay it.
func (c Subscriptions) settleInvoice(ctx context.Context, env Envelope, s subscription.State) (bill invoice.State,
	reason string, paid *subscriptionAfter, err error) {
	if s.Charging {
		// The card is checked first, on every path that charges it: a card removed or no longer chargeable
		// since the attempt was recorded, no card at all, or one that cannot be read now, falls through to the path below,
		// which checks it again and answers why (reasonNoSource) without charging.
		in := c.invoicePayment(s)
		means, err := c.Invoices.means(ctx, in)
		if err == nil {
			if bill, ok := c.Invoices.pendingCharge(s.Unsettled, s.CustomerID, means.SourceID); ok {
				reason, paid, err := c.chargeOpened(ctx, env, s, bill)
				return bill, reason, paid, err
			}
		}
		var opening NewInvoice
		if err == nil {
			opening, err = c.periodInvoice(ctx, s)
		}
		// A period that cannot be priced falls through as well, and the path below answers the same error
		// if it persists.
		if err == nil {
			result, bill, err := c.Invoices.payOpening(ctx, env.derived("pay"), in, means, opening)
			reason, err := paymentReason(result, err)
			return bill, reason, nil, err
		}
	}
	bill, err = c.openPeriodInvoice(ctx, env.derived("open"), s)
	if err != nil || bill.Status == invoice.StatusPaid {
		return bill, "", nil, err
	}
	result, err := c.Invoices.Pay(ctx, env.derived("pay"), c.invoicePayment(s))
	reason, err = paymentReason(result, err)
	return bill, reason, nil, err
}

// invoicePayment is the payment of the subscription's unsettled invoice with the card it charges unasked
// (savedPayment): a renewal charges the default card of whoever it bills, whatever the subscription was
// created with, even one without a card of its own (a free plan renewed on a paid one, say). Invoices.means
// picks the card on the wallet the charge reads anyway (on the billing run, the wallet read ahead: no read
// more), and answers ErrSourceNotFound (reasonNoSource) when there is no card to charge.
func (c Subscriptions) invoicePayment(s subscription.State) InvoicePayment {
	return savedPayment(s).paying(Target{CustomerID: s.CustomerID, AccountID: s.AccountID, SiteID: s.SiteID}, s.Unsettled)
}

// paymentReason is what paying the invoice answered: "" when it is paid, else why it was not. An error is
// an outcome nobody knows yet (the gateway did not answer): the item stays due and the next run repeats the
// same attempt with the same gateway key.
func paymentReason(paid PaidInvoice, err error) (string, error) {
	declined, isDecline := errors.AsType[*payments.Declined](err)
	switch {
	case err == nil && paid.Intent != nil:
		return reasonAuthentication, nil
	case err == nil, errors.Is(err, invoice.ErrAlreadyPaid):
		return "", nil
	case isDecline:
		return string(declined.Reason), nil
	case errors.Is(err, ErrSourceNotFound):
		return reasonNoSource, nil
	case errors.Is(err, invoice.ErrVoid):
		return "invoice_void", nil
	case errors.Is(err, invoice.ErrUncollectible):
		return "invoice_uncollectible", nil
	}
	return "", err
}

// openPeriodInvoice opens the current period's invoice under the id the subscription recorded (a no-op
// when it is open already) and returns it.
//
// The charge of a renewal just started (s.Charging) prices the period before it knows whether the invoice
// exists (it does only after a crash or beside another run), so it reads the invoice's stream once, when
// opening it; a period that can no longer be priced still finds an invoice opened before. A dunning retry
// reads the invoice, open since the first charge, and prices nothing.
func (c Subscriptions) openPeriodInvoice(ctx context.Context, env Envelope, s subscription.State) (invoice.State, error) {
	if !s.Charging {
		bill, err := c.Invoices.Read(ctx, s.Unsettled)
		if err != nil || bill.Exists() {
			return bill, err
		}
	}
	create, err := c.periodInvoice(ctx, s)
	if err != nil {
		if bill, readErr := c.Invoices.Read(ctx, s.Unsettled); readErr == nil && bill.Exists() {
			return bill, nil
		}
		return invoice.State{}, err
	}
	opened, err := c.Invoices.openState(ctx, env, s.Unsettled, create)
	return opened.state, err
}
