package subscription

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// A subscription paid by invoice (send_invoice) is never charged: each invoice gives the customer
// DaysUntilDue days to pay it (POST /invoices/{id}/pay). The billing clock follows it:
//
//   - a first invoice still unpaid at its due date ends the incomplete subscription canceled (it never granted
//     anything; the caller voids the invoice first);
//   - a later invoice still unpaid at its due date makes the subscription past_due (InvoiceOverdue) until
//     the end of the account's dunning window, counted from the due date as card retries are counted from
//     the first failure; then it ends canceled (the caller marks the invoice uncollectible first) or unpaid
//     (the invoice stays payable, and paying it makes the subscription active again);
//   - while an invoice is unpaid the next period does not start: the renewal waits for the payment, which
//     starts it at once, or for the end above. A scheduled end still comes at its time.
//
// Paying the invoice at any point before the end (RecordPayment) makes the subscription active.

// DefaultDaysUntilDue is how long an invoice gives the customer to pay when the account sets nothing.
const DefaultDaysUntilDue = 30

// ReasonInvoiceOverdue is the end reason of a subscription whose invoice was not paid (Ended.Reason).
const ReasonInvoiceOverdue = "invoice_overdue"

// InvoiceOverdue records that the invoice of a subscription paid by invoice was not paid by DueAt: the
// subscription is past due, and ends at GiveUpAt unless the invoice is paid first.
type InvoiceOverdue struct {
	SubscriptionID int64     `json:"subscription_id"`
	InvoiceID      int64     `json:"invoice_id"`
	DueAt          time.Time `json:"due_at"`
	GiveUpAt       time.Time `json:"give_up_at"`
	OverdueAt      time.Time `json:"overdue_at"`
}

func (InvoiceOverdue) isSubscriptionEvent() {}

// DaysToPay is days, an account's days_until_due, or DefaultDaysUntilDue when it sets none (0); never more
// than the catalog's bound on an account's days_until_due (catalog.MaxDaysUntilDue), so a due date stays a
// date every read model stores.
func DaysToPay(days int) int {
	if days > 0 {
		return min(days, catalog.MaxDaysUntilDue)
	}
	return DefaultDaysUntilDue
}

// firstDueAt is when the first invoice of a subscription created at now is due: given, the invoice's own
// due date (opened just before, days after its issue), or, when that is not near now, days after now.
func firstDueAt(given time.Time, days int, now time.Time) time.Time {
	due := now.AddDate(0, 0, days)
	if given.IsZero() || given.Before(now.AddDate(0, 0, days-1)) || given.After(due) {
		return due
	}
	return given.UTC()
}

// InvoiceDays is how many days each invoice of the subscription gives the customer to pay: 0 for one
// charged automatically, the default for one created before the days were kept.
func (s State) InvoiceDays() int {
	if s.Billing != BillingSendInvoice {
		return 0
	}
	return DaysToPay(s.DaysUntilDue)
}

// InvoiceDueAt is when the unsettled invoice of a subscription paid by invoice is due: as recorded, or, for
// an invoice opened before due dates were kept, InvoiceDays after the period it bills started (when such
// invoices were opened).
func (s State) InvoiceDueAt() time.Time {
	if !s.UnsettledDueAt.IsZero() {
		return s.UnsettledDueAt
	}
	return s.PeriodStart.AddDate(0, 0, s.InvoiceDays())
}

// awaitsInvoice reports whether the subscription waits for the customer to pay an invoice sent to them.
// A purchase awaiting 3-D Secure meanwhile (a renewal paid now) does not lift the wait: Due puts that
// payment's expiry first when it is earlier, and the next period still waits for the invoice. Warning:
// without that, a 3-D Secure renewal would let the period start over the unpaid invoice, which would then
// never be dunned nor recorded when paid.
func (s State) awaitsInvoice() bool {
	return s.Billing == BillingSendInvoice && s.Unsettled != 0
}

// firstInvoiceExpiry is the due item of an incomplete subscription: the due date of its first invoice when
// it is paid by invoice (one charged by card expires by paymentExpiry instead).
func (s State) firstInvoiceExpiry() (Due, bool) {
	if !s.awaitsInvoice() {
		return Due{}, false
	}
	return Due{Kind: DueInvoiceOverdue, At: s.InvoiceDueAt()}, true
}

// heldForInvoice is the running subscription's next item given its period's, next: while an invoice sent
// to the customer is unpaid, its due date (or, once overdue, the end of dunning) replaces the renewal, and
// comes first when it is earlier than a scheduled end.
func (s State) heldForInvoice(next Due, ok bool) (Due, bool) {
	if !s.awaitsInvoice() {
		return next, ok
	}
	overdue := Due{Kind: DueInvoiceOverdue, At: s.InvoiceDueAt()}
	if !s.OverdueUntil.IsZero() {
		overdue = Due{Kind: DueOverdueEnd, At: s.OverdueUntil}
	}
	if ok && next.Kind != DueRenew && next.At.Before(overdue.At) {
		return next, ok
	}
	return overdue, true
}

// MarkOverdue decides what an unpaid invoice at its due date means (the billing clock, due kind
// invoice_overdue): an incomplete subscription ends canceled (the caller voided its first invoice); a
// running one is past due until the end of policy's window, its last retry delay after the due date.
func MarkOverdue(s State, policy Dunning, now time.Time) ([]Event, error) {
	if err := s.due(DueInvoiceOverdue, now); err != nil {
		return nil, err
	}
	dueAt := s.InvoiceDueAt()
	if s.Status == StatusIncomplete {
		return []Event{Ended{SubscriptionID: s.ID, Status: StatusCanceled, Reason: ReasonInvoiceOverdue,
			By: BySystem, EndedAt: dueAt}}, nil
	}
	var window time.Duration
	if n := len(policy.Retries); n > 0 {
		window = policy.Retries[n-1]
	}
	return []Event{InvoiceOverdue{SubscriptionID: s.ID, InvoiceID: s.Unsettled, DueAt: dueAt,
		GiveUpAt: dueAt.Add(window), OverdueAt: now}}, nil
}

// EndOverdue ends the subscription whose overdue invoice is still unpaid at the end of dunning (the billing
// clock, due kind overdue_end): canceled, or unpaid when policy keeps such subscriptions.
func EndOverdue(s State, policy Dunning, now time.Time) ([]Event, error) {
	if err := s.due(DueOverdueEnd, now); err != nil {
		return nil, err
	}
	end := Ended{SubscriptionID: s.ID, Status: StatusCanceled, Reason: ReasonInvoiceOverdue, By: BySystem,
		EndedAt: s.OverdueUntil}
	if policy.KeepUnpaid {
		end.Status = StatusUnpaid
	}
	return []Event{end}, nil
}
