package subscription

import (
	"slices"
	"time"
)

// State is one subscription as its events describe it. The zero value means "does not exist".
type State struct {
	ID         int64
	CustomerID int64
	AccountID  int64
	SiteID     int64
	Type       Type
	Status     Status
	Terms      Terms
	Quantity   int64
	Coupon     *Coupon
	// CouponSince is the start of the first period the coupon discounted (a repeating coupon counts from it).
	CouponSince time.Time
	// Own are the subscription's own terms while a gift's terms run on it (nil: none, own_terms.go).
	Own         *OwnTerms `json:",omitempty"`
	AddressID   int64
	Billing     Billing
	Payment     Payment
	Cycle       int
	PeriodStart time.Time
	PeriodEnd   time.Time
	// PeriodAmount is what the current period was billed (before credit), the base of prorations.
	PeriodAmount int64
	// Funding are the invoices whose charges paid for what the subscription still holds, oldest first (see
	// fund), which a cancellation now refunds from; LatestInvoice the last invoice the subscription opened
	// (latest_invoice).
	Funding       []int64
	LatestInvoice int64
	// Credit is what the subscription owes the customer (a downgrade's proration), used by its next invoices;
	// PeriodCreditUsed is how much of it the current period's invoice used.
	Credit           int64
	PeriodCreditUsed int64
	Phases           []Phase
	// Unsettled is the invoice of the subscription waiting to be paid (0: none); Charging says the billing
	// clock must charge it now (a renewal just opened), Failures how many charges of it failed, and
	// NextRetryAt when dunning tries again (zero: no retry pending).
	Unsettled    int64
	Charging     bool
	Failures     int
	DunningSince time.Time
	NextRetryAt  time.Time
	// For a subscription paid by invoice: DaysUntilDue is how long each invoice gives the customer to pay,
	// UnsettledDueAt when the unsettled invoice is due (zero: see InvoiceDueAt), and OverdueUntil, once that
	// invoice is overdue, when the subscription ends if it is still unpaid (overdue.go).
	DaysUntilDue   int
	UnsettledDueAt time.Time
	OverdueUntil   time.Time
	// Awaiting is the renewal, change or gift term whose invoice waits for 3-D Secure (nil: none), since
	// AwaitingSince.
	Awaiting      *Purchase
	AwaitingSince time.Time
	// CancelAt is when a scheduled cancellation takes effect (zero: none), with its mode and reason.
	CancelAt     time.Time
	CancelMode   CancelMode
	CancelReason string
	CanceledAt   time.Time
	EndedAt      time.Time
	// The gift: the donor's code, whether it is paid, redeemed and notified, and its start day.
	GiftCode     string
	GiftOf       int64
	GiftStart    time.Time
	GiftPaid     bool
	GiftRedeemed bool
	RedeemedBy   int64
	RedeemedInto int64
	RedeemedAt   time.Time
	// GiftTermsEnd is where the last term the gift gave its recipient ends (gift_end.go; zero: unknown, a
	// gift redeemed before it was recorded).
	GiftTermsEnd time.Time
	// GiftsReceived are the donor subscriptions of the gifts redeemed onto this existing subscription as
	// phases (Phase.GiftOf), kept once those phases started: a gift is redeemed onto it once. Each donor is
	// named once, however many terms its gift gives (one phase each), so the list does not grow with them.
	GiftsReceived []int64
	GiftNotified  bool
	// Gift is who receives a donor's gift (personal data, from the sealed event; erased with the donor).
	Gift Gift
	// Erased says the subscription's personal data was erased (with its customer's).
	Erased  bool
	Created time.Time
	// Seats are a membership's members (seats.go), not stored with the state's JSON.
	Seats Seats `json:"-"`
}

// Exists reports whether the subscription was created.
func (s State) Exists() bool { return s.ID != 0 }

// BelongsTo reports whether the subscription is the customer's, in that account: anybody else must not learn
// that it exists.
func (s State) BelongsTo(customerID, accountID int64) bool {
	return s.Exists() && s.CustomerID == customerID && s.AccountID == accountID
}

// Ended reports whether the subscription is over (canceled, expired or unpaid).
func (s State) Ended() bool { return !s.EndedAt.IsZero() }

// LastPeriodEnd is the end of the last scheduled phase (the current period when there is none): where a
// last_period_end cancellation takes effect.
func (s State) LastPeriodEnd() time.Time {
	end := s.PeriodEnd
	for _, p := range s.Phases {
		end = p.Terms.PeriodEnd(end)
	}
	return end
}

// EvolveAll folds events into the state in order: where a subscription stands once events decided on s
// apply, before they are appended.
func EvolveAll(s State, events []Event) State {
	for _, e := range events {
		s = Evolve(s, e)
	}
	return s
}

// Evolve folds one event into the state. It holds no rules: events are facts.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Created:
		return created(e)
	case PaymentSucceeded:
		if s.Unsettled == e.InvoiceID {
			s.Unsettled, s.Charging, s.Failures, s.NextRetryAt = 0, false, 0, time.Time{}
			s.DunningSince, s.UnsettledDueAt, s.OverdueUntil = time.Time{}, time.Time{}, time.Time{}
		}
		if s.Type == TypeGiftDonor {
			s.GiftPaid = true
		}
		if !s.Ended() || s.Status == StatusUnpaid {
			s.Status, s.EndedAt = StatusActive, time.Time{}
		}
	case PaymentFailed:
		s.Charging, s.Failures, s.NextRetryAt = false, e.Failures, e.NextRetryAt
		if e.Failures == 1 {
			s.DunningSince = e.FailedAt
		}
		if !s.Ended() {
			s.Status = StatusPastDue
		}
	case PeriodStarted:
		s = periodStarted(s, e)
	case CancellationScheduled:
		s.CancelAt, s.CancelMode, s.CancelReason, s.CanceledAt = e.CancelAt, e.Mode, e.Reason, e.ScheduledAt
	case Reactivated:
		s.CancelAt, s.CancelMode, s.CancelReason, s.CanceledAt = time.Time{}, "", "", time.Time{}
	case Ended:
		s.Status, s.EndedAt, s.Charging, s.NextRetryAt = e.Status, e.EndedAt, false, time.Time{}
		if s.CanceledAt.IsZero() && e.Status == StatusCanceled {
			s.CanceledAt, s.CancelReason = e.EndedAt, e.Reason
		}
	case PhaseAdded:
		if e.ReplacedUpcoming {
			s.Phases = nil
		}
		s.Phases = append(slices.Clip(s.Phases), e.Phase)
		if e.Phase.GiftOf != 0 && !slices.Contains(s.GiftsReceived, e.Phase.GiftOf) {
			s.GiftsReceived = append(slices.Clip(s.GiftsReceived), e.Phase.GiftOf)
		}
	case PlanChanged:
		s = changedTerms(s, e)
		s.PeriodStart, s.PeriodEnd, s.PeriodAmount = e.PeriodStart, e.PeriodEnd, e.PeriodAmount
		s.Credit += e.Credited - e.CreditUsed
		if e.InvoiceID != 0 {
			s.LatestInvoice, s.Funding = e.InvoiceID, fund(s.Funding, e.InvoiceID)
		}
	case GiftNotified:
		s.GiftNotified = true
	case GiftRedeemed:
		s.GiftRedeemed, s.RedeemedBy, s.RedeemedInto = true, e.RecipientCustomerID, e.RecipientSubscriptionID
		s.RedeemedAt = e.RedeemedAt
	case GiftTermGiven:
		s = givenTerms(s, e)
	case Erased:
		s.Gift, s.Erased = Gift{}, true
		s.Seats = evolveSeats(s.Seats, e)
	case MemberInvited, MemberActivated, MemberRemoved, MemberInvitationErased:
		s.Seats = evolveSeats(s.Seats, e)
	case PurchaseAwaitingPayment:
		p := e.Purchase
		s.Awaiting, s.AwaitingSince, s.LatestInvoice = &p, e.AwaitingSince, p.InvoiceID
	case PurchaseSettled, PurchaseAbandoned:
		s.Awaiting, s.AwaitingSince = nil, time.Time{}
	case AddressChanged:
		s = movedTo(s, e.AddressID)
	case InvoiceOverdue:
		s.OverdueUntil = e.GiveUpAt
		if !s.Ended() {
			s.Status = StatusPastDue
		}
	}
	return s
}

func created(e Created) State {
	s := State{ID: e.SubscriptionID, CustomerID: e.CustomerID, AccountID: e.AccountID, SiteID: e.SiteID,
		Type: e.Type, Status: e.Status, Terms: e.Terms, Quantity: e.Quantity, Coupon: e.Coupon,
		AddressID: e.AddressID, Billing: e.Billing, Payment: e.Payment, Cycle: 1, PeriodStart: e.PeriodStart,
		PeriodEnd: e.PeriodEnd, PeriodAmount: e.PeriodAmount, GiftCode: e.GiftCode, GiftOf: e.GiftOf,
		GiftStart: e.GiftStart, Gift: e.Gift, Created: e.CreatedAt, Funding: fund(nil, e.InvoiceID),
		LatestInvoice: e.InvoiceID, DaysUntilDue: e.DaysUntilDue}
	if e.Coupon != nil {
		s.CouponSince = e.PeriodStart
	}
	if e.Status == StatusIncomplete {
		s.Unsettled, s.UnsettledDueAt = e.InvoiceID, e.InvoiceDueAt
	}
	s.GiftPaid = e.Type == TypeGiftDonor && e.Status == StatusActive
	return s
}

func periodStarted(s State, e PeriodStarted) State {
	if e.FromPhase && len(s.Phases) > 0 {
		s.Phases = slices.Clone(s.Phases[1:])
	}
	coupon, since := s.ownCoupon(e.PeriodStart)
	if e.Phase.Coupon != nil && (coupon == nil || coupon.ID != e.Phase.Coupon.ID) {
		since = e.PeriodStart // a coupon of the phase's own starts with it
	}
	s.Own, s.CouponSince = s.heldOwn(e), since
	s.Terms, s.Quantity, s.Coupon, s.AddressID = e.Phase.Terms, e.Phase.Quantity, e.Phase.Coupon, e.Phase.AddressID
	s.Cycle, s.PeriodStart, s.PeriodEnd, s.PeriodAmount = e.Cycle, e.PeriodStart, e.PeriodEnd, e.Amount
	paidBy := e.InvoiceID
	if e.FromPhase && e.Phase.PaidBy != 0 && !e.Phase.Gift { // a gift's invoice is the donor's: it funds nothing
		paidBy = e.Phase.PaidBy
	}
	s.Funding = fundPeriod(s, e.CreditUsed, paidBy)
	s.Credit, s.PeriodCreditUsed = s.Credit-e.CreditUsed, e.CreditUsed
	if e.InvoiceID != 0 {
		s.LatestInvoice = e.InvoiceID
		s.Unsettled, s.Charging, s.Failures = e.InvoiceID, s.Billing == BillingChargeAutomatically, 0
		s.UnsettledDueAt, s.OverdueUntil = e.InvoiceDueAt, time.Time{}
	}
	return s
}
