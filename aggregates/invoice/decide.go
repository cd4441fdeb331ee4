package invoice

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Limits of an invoice's values. MaxAmount is the largest amount a card processor takes in one charge
// (Stripe's eight digits); a read model stores every amount as bigint.
const (
	MaxAmount            = 99_999_999
	MaxQuantity          = 10_000
	MaxLines             = 100
	MaxDescriptionLength = 500
)

// Create is the command opening (or drafting) an invoice for a customer. The id is allocated by the caller.
// Tax is the taxes added to the lines; InclusiveTax the taxes their amounts hold (inclusive rates), reported
// and not added.
type Create struct {
	InvoiceID      int64
	CustomerID     int64
	AccountID      int64
	SiteID         int64
	Draft          bool
	Currency       string
	Lines          []Line
	Tax            int64
	InclusiveTax   int64
	Discount       int64
	BillingReason  BillingReason
	SubscriptionID int64
	// OrderID is the e-commerce order the invoice bills (0: none), so its payment can complete the order.
	OrderID     int64
	Description string
	DueAt       time.Time
	Period      Period
}

// CreateInvoice creates the invoice, open unless c.Draft, with its amounts summed from the lines. An open
// invoice of zero is paid at once, without any gateway (nothing to charge). A retry of the same creation is
// the caller's business (the pipeline deduplicates by command id); any other creation on an existing invoice
// is refused.
func CreateInvoice(s State, c Create, now time.Time) ([]Event, error) {
	if s.Exists() {
		return nil, ErrAlreadyExists
	}
	c = c.withDefaults()
	if err := c.Problems().Err(); err != nil {
		return nil, err
	}
	status := StatusOpen
	if c.Draft {
		status = StatusDraft
	}
	created := Created{InvoiceID: c.InvoiceID, CustomerID: c.CustomerID, AccountID: c.AccountID, SiteID: c.SiteID,
		Status: status, Currency: c.Currency, Lines: slices.Clone(c.Lines), Amounts: c.amounts(),
		BillingReason: c.BillingReason, SubscriptionID: c.SubscriptionID, OrderID: c.OrderID, Description: c.Description,
		DueAt: c.DueAt.UTC(), Period: Period{Start: c.Period.Start.UTC(), End: c.Period.End.UTC()}, CreatedAt: now}
	return settledIfFree(Evolve(State{}, created), []Event{created}, now), nil
}

// amounts sums the lines; Problems has made sure nothing overflows.
func (c Create) amounts() Amounts {
	var subtotal int64
	for _, l := range c.Lines {
		subtotal += l.Amount()
	}
	return Amounts{Subtotal: subtotal, Tax: c.Tax, InclusiveTax: c.InclusiveTax, Discount: c.Discount,
		Total: subtotal + c.Tax - c.Discount}
}

// withDefaults is c with a manual billing reason when it names none.
func (c Create) withDefaults() Create {
	if c.BillingReason == "" {
		c.BillingReason = ReasonManual
	}
	return c
}

// Problems are the broken value rules of the creation, all at once. No billing reason means manual.
func (c Create) Problems() Problems {
	c = c.withDefaults()
	var p Problems
	if c.CustomerID <= 0 {
		p = append(p, Problem{Field: "customer_id", Rule: RuleRequired})
	}
	if !isCurrency(c.Currency) {
		p = append(p, Problem{Field: "currency", Rule: RuleCurrency})
	}
	if len(c.Lines) == 0 {
		p = append(p, Problem{Field: "lines", Rule: RuleRequired})
	}
	if len(c.Lines) > MaxLines {
		p = append(p, Problem{Field: "lines", Rule: RuleMaxItems, Max: MaxLines})
	}
	for i, l := range c.Lines {
		field := "lines[" + itoa(int64(i)) + "]"
		p = append(p, amountProblems(field+".unit_amount", l.UnitAmount)...)
		if l.Quantity < 1 || l.Quantity > MaxQuantity {
			p = append(p, Problem{Field: field + ".quantity", Rule: RuleQuantity, Max: MaxQuantity})
		}
		p = append(p, lengthProblems(field+".description", l.Description)...)
	}
	p = append(p, amountProblems("tax", c.Tax)...)
	p = append(p, amountProblems("inclusive_tax", c.InclusiveTax)...)
	p = append(p, amountProblems("discount", c.Discount)...)
	if len(p) == 0 {
		switch a := c.amounts(); {
		case a.Total < 0:
			p = append(p, Problem{Field: "discount", Rule: RuleDiscount})
		case a.Total > MaxAmount:
			p = append(p, Problem{Field: "amount", Rule: RuleAmount, Max: MaxAmount})
		case a.InclusiveTax > a.Subtotal: // a tax inside the lines cannot be more than they come to
			p = append(p, Problem{Field: "inclusive_tax", Rule: RuleAmount, Max: MaxAmount})
		}
	}
	if !slices.Contains(billingReasons, c.BillingReason) {
		p = append(p, Problem{Field: "billing_reason", Rule: RuleBillingReason})
	}
	if c.SubscriptionID < 0 {
		p = append(p, Problem{Field: "subscription_id", Rule: RuleRequired})
	}
	if c.OrderID < 0 {
		p = append(p, Problem{Field: "order_id", Rule: RuleRequired})
	}
	if c.Period.Start.IsZero() != c.Period.End.IsZero() || c.Period.End.Before(c.Period.Start) {
		p = append(p, Problem{Field: "period", Rule: RulePeriod})
	}
	return append(p, lengthProblems("description", c.Description)...)
}

// amountProblems refuses an amount below zero or above MaxAmount.
func amountProblems(field string, amount int64) Problems {
	if amount < 0 || amount > MaxAmount {
		return Problems{{Field: field, Rule: RuleAmount, Max: MaxAmount}}
	}
	return nil
}

// lengthProblems refuses a text longer than MaxDescriptionLength or holding what a text may not.
func lengthProblems(field, text string) Problems {
	if fault := aggregates.TextFault(text, aggregates.SingleLine); fault != "" {
		return Problems{{Field: field, Rule: RulePrintable, Detail: fault}}
	}
	if utf8.RuneCountInString(text) > MaxDescriptionLength {
		return Problems{{Field: field, Rule: RuleMaxLength, Max: MaxDescriptionLength}}
	}
	return nil
}

// isCurrency reports whether s is three lowercase ASCII letters (ISO 4217, as every gateway writes it).
func isCurrency(s string) bool {
	return len(s) == 3 && !slices.ContainsFunc([]byte(s), func(b byte) bool { return b < 'a' || b > 'z' })
}

// Finalize opens a draft; an open invoice of zero is paid at once.
func Finalize(s State, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	if s.Status != StatusDraft {
		return nil, ErrNotDraft
	}
	finalized := Finalized{InvoiceID: s.ID, FinalizedAt: now}
	return settledIfFree(Evolve(s, finalized), []Event{finalized}, now), nil
}

// Void cancels an invoice that was not paid; voiding a void invoice is a no-op.
func Void(s State, now time.Time) ([]Event, error) {
	if err := changeable(s, StatusVoid); err != nil || s.Status == StatusVoid {
		return nil, err
	}
	return []Event{Voided{InvoiceID: s.ID, VoidedAt: now}}, nil
}

// MarkUncollectible gives up on an open invoice; marking it twice is a no-op.
func MarkUncollectible(s State, now time.Time) ([]Event, error) {
	if err := changeable(s, StatusUncollectible); err != nil || s.Status == StatusUncollectible {
		return nil, err
	}
	return []Event{MarkedUncollectible{InvoiceID: s.ID, MarkedAt: now}}, nil
}

// changeable refuses to move an invoice that does not exist, is settled, or has a payment under way (its
// charge may have happened: giving up on the invoice now could keep money for nothing) to another final
// status; the same one is let through for the caller's no-op.
func changeable(s State, to Status) error {
	switch {
	case !s.Exists():
		return ErrNotFound
	case s.Status == StatusPaid:
		return ErrAlreadyPaid
	case s.Status == StatusVoid && to != StatusVoid:
		return ErrVoid
	case s.Pending != nil:
		return ErrPaymentPending
	}
	return nil
}

// settledIfFree adds the Paid of an invoice that became open with nothing to pay.
func settledIfFree(s State, events []Event, now time.Time) []Event {
	if s.Status != StatusOpen || s.Total != 0 {
		return events
	}
	return append(events, Paid{InvoiceID: s.ID, CustomerID: s.CustomerID, Currency: s.Currency, PaidAt: now})
}
