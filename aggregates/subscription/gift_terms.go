package subscription

import (
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
)

// GiftCoupon is the system coupon of a redeemed gift (#34): the donor paid, so the recipient's subscription
// and the phases a gift adds cost nothing when the billing clock starts them. Warning: copied into stored
// events; its id 0 marks it as no catalog coupon.
var GiftCoupon = Coupon{Code: "GIFT", PercentOff: pricing.Full, Duration: DurationForever}

// GiftTerm is the term a donor's gift grants its recipient, as a phase: the gift's plan and quantity, free
// through GiftCoupon, paid by the donor's own invoices.
func (s State) GiftTerm(addressID int64) Phase {
	return Phase{Terms: s.Terms, Quantity: s.Quantity}.given(addressID)
}

// given is the phase as its recipient holds it: at the recipient's address, free through GiftCoupon (what
// paid for it stays in PaidBy).
func (p Phase) given(addressID int64) Phase {
	coupon := GiftCoupon
	p.Coupon, p.AddressID, p.Gift = &coupon, addressID, true
	return p
}

// ExtendGift records, on the donor's subscription, another term the donor paid for (#33) before the gift
// was redeemed: its phases are the terms the recipient gets on top of the first one when redeeming. Once
// redeemed, the term goes to the recipient's subscription instead (AddGiftPhase).
func ExtendGift(s State, p Phase, now time.Time) ([]Event, error) {
	switch err := s.Redeemable(); {
	case err != nil:
		return nil, err
	case s.GiftRedeemed:
		return nil, ErrGiftRedeemed
	case p.Terms.Currency != s.Terms.Currency:
		return nil, ErrCurrencyMismatch
	case p.Quantity < 1 || p.Quantity > MaxQuantity:
		return nil, Problems{{Field: "quantity", Rule: RuleQuantity, Max: MaxQuantity}}
	case len(s.Phases) >= MaxPhases:
		return nil, ErrTooManyPhases
	}
	p.Gift = true
	return []Event{PhaseAdded{SubscriptionID: s.ID, Phase: p, AddedAt: now}}, nil
}

// AddGiftPhase adds a term a gift paid for to the subscription it was redeemed into (#33, #34). A gift
// recipient's subscription is set to cancel at its period's end; the cancellation moves to the end of the
// new last period, so the recipient keeps every term given and nothing after. Any other subscription set to
// end moves its end as AddPhase says: the gift's term is paid for, so it runs before the end.
//
// The phase is free for the recipient (GiftCoupon) at its own address, the subscription's when the phase
// names none. A subscription that owes an invoice (in dunning, or paid by invoice and not paid yet) takes
// no gift's term (ErrInvoiceUnpaid, as GiftTarget): dunning giving up would end it before the term starts.
// A renewal being charged right now is no such debt: it is transient, as renewable says.
func AddGiftPhase(s State, p Phase, now time.Time) ([]Event, error) {
	if p.AddressID == 0 {
		p.AddressID = s.AddressID
	}
	p = p.given(p.AddressID)
	events, err := addPhase(s, Renew{Phase: p}, now)
	if err != nil {
		return nil, err
	}
	if s.Unsettled != 0 && !s.Charging {
		return nil, ErrInvoiceUnpaid
	}
	mode := s.CancelMode
	if s.Type == TypeGiftRecipient {
		mode = CancelAtLastPeriodEnd
	}
	return rescheduled(s, events, mode, now), nil
}

// Redeemed is what a recipient's subscription becomes when a gift is redeemed into it, after what it
// already holds: a new recipient's subscription created from New (GiftOf the donor), or an existing one
// (GiftTarget) that gets the gift's first term; then every term the donor added before the redemption. The
// recipient's subscription that received the gift already is a no-op (a redemption cut half-way and
// finished, or the same code sent again), also once the gift's terms started: a gift's terms are given once.
func Redeemed(s State, donor State, n New, now time.Time) ([]Event, error) {
	if s.Exists() && s.CustomerID == n.CustomerID && (s.GiftOf == donor.ID || slices.Contains(s.GiftsReceived, donor.ID)) {
		return nil, nil
	}
	var events []Event
	next := s
	apply := func(decided []Event, err error) error {
		for _, e := range decided {
			next = Evolve(next, e)
		}
		events = append(events, decided...)
		return err
	}
	if s.Exists() {
		if err := s.GiftTarget(); err != nil {
			return nil, err
		}
		term := donor.GiftTerm(n.AddressID)
		term.GiftOf = donor.ID
		if err := apply(AddGiftPhase(next, term, now)); err != nil {
			return nil, err
		}
	} else if err := apply(Create(s, n, now)); err != nil {
		return nil, err
	}
	for _, p := range donor.Phases {
		p.GiftOf = donor.ID
		if err := apply(AddGiftPhase(next, p.given(n.AddressID), now)); err != nil {
			return nil, err
		}
	}
	return events, nil
}
