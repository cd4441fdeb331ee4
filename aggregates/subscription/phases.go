package subscription

import (
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
)

// Renew is POST /subscription/renew (#30): add Phase after the current period and those already scheduled,
// or in place of the scheduled ones when ReplaceUpcoming. The caller billed the phase in advance
// (Phase.PaidBy) or leaves it to the billing clock (0).
type Renew struct {
	Phase           Phase
	ReplaceUpcoming bool
	// Paying says the caller bills the phase now and adds it once paid (Phase.PaidBy set then): asked
	// before billing, a gift received's renewal passes only with it (see unpaidGiftRenewal).
	Paying bool
}

// Renewable refuses what rule 20 keeps from being renewed; callers ask before billing the phase.
func (s State) Renewable(currency string) error { return s.renewable(currency, false) }

// renewable is Renewable for a phase paid for already (paid: a purchase whose 3-D Secure completed, a gift's
// term) or not. A payment under way (a renewal being charged, another purchase awaiting 3-D Secure) holds
// back only what is yet to be billed: it is transient and settles on its own, while refusing a phase already
// paid for would settle its invoice unapplied, the money taken and nothing given.
func (s State) renewable(currency string, paid bool) error {
	switch {
	case !s.Exists():
		return ErrNotFound
	case s.Ended():
		return ErrEnded
	case s.Status == StatusIncomplete, !paid && (s.Charging || s.Awaiting != nil):
		return ErrPaymentPending
	case s.Type == TypeGiftDonor:
		return ErrGiftDonor
	case currency != s.Terms.Currency:
		return ErrCurrencyMismatch
	}
	return nil
}

// AddPhase decides a renewal (#30). At most MaxPhases phases may wait. A scheduled cancellation keeps its
// promise (rescheduled): at the last period's end, it moves to the new last period's end; at the current
// period's end, a phase paid for (in advance, or by a gift) moves it to that phase's end, since the customer
// paid for that term. A phase paid for already is not held back by a payment under way (see renewable).
func AddPhase(s State, c Renew, now time.Time) ([]Event, error) {
	events, err := addPhase(s, c, now)
	if err != nil {
		return nil, err
	}
	return rescheduled(s, events, s.CancelMode, now), nil
}

// addPhase is AddPhase's decision of the phase alone, leaving the scheduled end to the caller.
func addPhase(s State, c Renew, now time.Time) ([]Event, error) {
	if err := s.renewable(c.Phase.Terms.Currency, c.Phase.PaidBy != 0 || c.Phase.Gift); err != nil {
		return nil, err
	}
	if c.Phase.Quantity < 1 || c.Phase.Quantity > MaxQuantity {
		return nil, Problems{{Field: "quantity", Rule: RuleQuantity, Max: MaxQuantity}}
	}
	if s.unpaidGiftRenewal(c) {
		return nil, ErrGiftRenewalUnpaid
	}
	if !c.ReplaceUpcoming && len(s.Phases) >= MaxPhases {
		return nil, ErrTooManyPhases
	}
	if c.ReplaceUpcoming && slices.ContainsFunc(s.Phases, func(p Phase) bool { return p.PaidBy != 0 || p.Gift }) {
		return nil, ErrPhasesPaid // what was paid for is never dropped
	}
	return []Event{PhaseAdded{SubscriptionID: s.ID, Phase: c.Phase, ReplacedUpcoming: c.ReplaceUpcoming,
		AddedAt: now}}, nil
}

// unpaidGiftRenewal reports whether c is a renewal of a gift received that nobody pays for now. A gift's
// recipient has no card on the subscription, and a phase billed when it starts runs before the terms a donor
// adds later: its failed charge would end the subscription and drop the donor's terms, paid and never given.
// So a gift received is renewed only when paid for on the spot (or by a gift).
func (s State) unpaidGiftRenewal(c Renew) bool {
	return s.Type == TypeGiftRecipient && c.Phase.PaidBy == 0 && !c.Phase.Gift && !c.Paying
}

// Change is POST /subscription/change (#31): the new terms, quantity, coupon and address, with what a whole
// period of them costs (PeriodAmount, priced by the caller with pricing.Price).
type Change struct {
	Terms        Terms
	Quantity     int64
	Coupon       *Coupon
	AddressID    int64
	PeriodAmount int64
}

// Changeable refuses a change the subscription cannot take (rule 21's business failures).
func (s State) Changeable(c Change) error {
	switch {
	case !s.Exists():
		return ErrNotFound
	case s.Ended():
		return ErrEnded
	case s.Status == StatusIncomplete || s.Charging || s.Unsettled != 0 || s.Awaiting != nil:
		return ErrPaymentPending
	case s.Type == TypeGiftRecipient:
		return ErrGiftRecipient
	case s.Type == TypeGiftDonor:
		return ErrGiftDonor
	case s.Own != nil:
		return ErrInGiftTerm
	case c.Terms.Currency != s.Terms.Currency:
		return ErrCurrencyMismatch
	case c.Terms.PlanID == s.Terms.PlanID && c.Quantity == s.Quantity:
		return ErrSamePlan
	}
	return nil
}

// Proration is what changing at now costs: within the same billing interval, the new price of the rest of
// the period less the unused part of what the period was billed; with another interval a new period starts
// now, at the full new price, less the unused part of the old one.
func (s State) Proration(c Change, now time.Time) pricing.Proration {
	period := pricing.Period{Start: s.PeriodStart, End: s.PeriodEnd}
	if s.sameInterval(c.Terms) {
		return pricing.Prorate(period, s.PeriodAmount, c.PeriodAmount, now)
	}
	return pricing.Proration{Credit: period.Unused(s.PeriodAmount, now), Charge: c.PeriodAmount}
}

// ChangeBill is what a change bills: Net, its proration, of which the subscription's credit pays
// CreditUsed first, leaving Due to charge. A negative Net bills nothing: it becomes credit.
type ChangeBill struct {
	Net        int64
	CreditUsed int64
	Due        int64
}

// ChangeBill is the bill of changing at now (Proration, less the credit the subscription holds).
func (s State) ChangeBill(c Change, now time.Time) ChangeBill {
	net := s.Proration(c, now).Net()
	if net <= 0 {
		return ChangeBill{Net: net}
	}
	used := min(max(s.Credit, 0), net)
	return ChangeBill{Net: net, CreditUsed: used, Due: net - used}
}

// KeptCouponApplies reports whether the subscription's own coupon (OwnCoupon), kept through the change,
// discounts the period the change leaves it in: the current period with the same interval, else the one
// starting now (never a first period then, so a once coupon no longer applies). A gift's term running
// consumed none of it (ownCoupon).
func (s State) KeptCouponApplies(c Change, now time.Time) bool {
	if s.sameInterval(c.Terms) {
		_, since := s.ownCoupon(s.PeriodStart)
		return s.OwnCoupon().AppliesTo(since.Equal(s.PeriodStart), since, s.PeriodStart)
	}
	_, since := s.ownCoupon(now)
	return s.OwnCoupon().AppliesTo(false, since, now)
}

func (s State) sameInterval(t Terms) bool {
	return s.Terms.Interval == t.Interval && s.Terms.IntervalCount == t.IntervalCount
}

// ChangePlan decides a change of plan (#31). The caller computed ChangeBill and billed its Due in invoiceID
// (paid, or it would not be calling); the credit pays the rest, and a negative Net becomes credit. A change
// of interval starts a new period, which the customer paid for: a scheduled cancellation moves with it (to
// the end of the last phase, or of the new period, as its mode says). Within the same interval the period
// keeps its dates, and so does the end.
func ChangePlan(s State, c Change, invoiceID int64, now time.Time) ([]Event, error) {
	if err := s.Changeable(c); err != nil {
		return nil, err
	}
	if c.Quantity < 1 || c.Quantity > MaxQuantity {
		return nil, Problems{{Field: "quantity", Rule: RuleQuantity, Max: MaxQuantity}}
	}
	bill := s.ChangeBill(c, now)
	changed := PlanChanged{SubscriptionID: s.ID, Terms: c.Terms, Quantity: c.Quantity, Coupon: c.Coupon,
		AddressID: c.AddressID, PeriodStart: s.PeriodStart, PeriodEnd: s.PeriodEnd, PeriodAmount: c.PeriodAmount,
		ChangedAt: now}
	if !s.sameInterval(c.Terms) {
		changed.PeriodStart, changed.PeriodEnd = now, c.Terms.PeriodEnd(now)
	}
	changed.CreditUsed, changed.Credited = bill.CreditUsed, max(-bill.Net, 0)
	if bill.Due > 0 {
		changed.InvoiceID, changed.Charged = invoiceID, bill.Due
	}
	return rescheduled(s, []Event{changed}, s.CancelMode, now), nil
}
