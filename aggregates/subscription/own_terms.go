package subscription

import "time"

// OwnTerms are a subscription's own terms, held aside while terms a gift paid for run on it (a gift
// redeemed onto it, #34, and the terms its donor adds, #33). The gift's phase brings its own coupon,
// GiftCoupon, which frees the gift's term only: when the gift's terms end and no phase of the
// subscription's own follows, the next period is the subscription's own again (plan, quantity, coupon,
// address), billed to its customer.
type OwnTerms struct {
	Phase Phase `json:"phase"`
	// CouponSince is when the own coupon was given (State.CouponSince before the gift).
	CouponSince time.Time `json:"coupon_since"`
	// GiftFrom is the start of the first gift's term: a repeating coupon's months do not run during gifts.
	GiftFrom time.Time `json:"gift_from"`
}

// IsGift reports whether c is GiftCoupon (id 0: no catalog coupon has it).
func (c *Coupon) IsGift() bool { return c != nil && c.ID == 0 && c.Code == GiftCoupon.Code }

// giftPeriod reports whether e starts a term a gift paid for: a gift's phase, or a renewal that repeated a
// gift's terms with GiftCoupon. Warning: streams recorded before OwnTerms hold such renewals (free, though
// nobody paid for them); telling them apart by their coupon keeps the own terms aside through them, so the
// next renewal of such a stream is billed on the subscription's own terms, with no new event.
func giftPeriod(e PeriodStarted) bool { return e.Phase.Gift || e.Phase.Coupon.IsGift() }

// ownCoupon is the subscription's own coupon and when it counts from for a period starting at start: while
// a gift's terms run, the coupon held aside, its start moved on by the time the gifts took, so the gift's
// terms consume none of it (a once coupon stays used, a repeating one resumes the months it had left).
func (s State) ownCoupon(start time.Time) (*Coupon, time.Time) {
	switch {
	case s.Own == nil:
		return s.Coupon, s.CouponSince
	case s.Own.Phase.Coupon == nil:
		return nil, s.Own.CouponSince
	}
	return s.Own.Phase.Coupon, s.Own.CouponSince.Add(max(start.Sub(s.Own.GiftFrom), 0))
}

// OwnPhase is what the subscription holds of its own (plan, quantity, coupon, address): while a gift's term
// runs, the terms held aside, which it renews on after the gift's terms and which a change then changes (the
// price preview prices a change on them); else its current terms. Its coupon is as held: OwnCoupon says
// which one a change keeps.
func (s State) OwnPhase() Phase {
	if s.Own != nil {
		return s.Own.Phase
	}
	return Phase{Terms: s.Terms, Quantity: s.Quantity, Coupon: s.Coupon, AddressID: s.AddressID}
}

// AutoRenews reports whether the subscription renews by itself on its own plan (the resource's auto_renew,
// rule 19's reactivation): during a gift's term, whether the terms held aside do, since the gift's plan
// runs for the terms the donor paid and the subscription's own plan follows them.
func (s State) AutoRenews() bool { return s.OwnPhase().Terms.AutoRenew }

// heldOwn is what OwnTerms the subscription holds once e started: the terms it ran on when a gift's term
// begins (none for a subscription that was a gift from its start, a gift received), kept through the gifts'
// terms, and dropped when a period on its own terms starts.
func (s State) heldOwn(e PeriodStarted) *OwnTerms {
	switch {
	case !giftPeriod(e):
		return nil
	case s.Own != nil || s.Coupon.IsGift():
		return s.Own
	}
	return &OwnTerms{Phase: Phase{Terms: s.Terms, Quantity: s.Quantity, Coupon: s.Coupon, AddressID: s.AddressID},
		CouponSince: s.CouponSince, GiftFrom: e.PeriodStart}
}

// changedTerms folds the terms of a change of plan (#31), which are the subscription's own from then on (a
// change during a gift's term is refused: Changeable). A change recorded before OwnTerms could carry the
// gift's GiftCoupon over to the new plan: such a change changed the terms held aside instead, with their
// own coupon, so the stream renews on them once the gift's term ends.
func changedTerms(s State, e PlanChanged) State {
	if e.Coupon.IsGift() && s.Own != nil {
		own := *s.Own
		own.Phase = Phase{Terms: e.Terms, Quantity: e.Quantity, Coupon: own.Phase.Coupon, AddressID: e.AddressID}
		s.Own = &own
	} else {
		coupon, since := s.ownCoupon(e.PeriodStart)
		if e.Coupon != nil && (coupon == nil || coupon.ID != e.Coupon.ID) {
			since = e.PeriodStart // a coupon the change gave counts from the period it leaves
		}
		s.Own, s.CouponSince = nil, since
	}
	s.Terms, s.Quantity, s.Coupon, s.AddressID = e.Terms, e.Quantity, e.Coupon, e.AddressID
	return s
}

// OwnCoupon is the coupon the subscription holds of its own, which a change keeps (#31): the one held aside
// while a gift's term runs (the price preview asks then; the change itself is refused), never GiftCoupon
// (nil: none).
func (s State) OwnCoupon() *Coupon {
	if coupon, _ := s.ownCoupon(s.PeriodStart); !coupon.IsGift() {
		return coupon
	}
	return nil
}
