package subscription

import (
	"slices"
	"time"
)

// AddressChanged records that the subscription moved onto another of its customer's addresses (PUT
// /address with is_default_updated, spec #47): the current period, the scheduled phases and a purchase
// awaiting its payment all take it.
type AddressChanged struct {
	SubscriptionID int64     `json:"subscription_id"`
	AddressID      int64     `json:"address_id"`
	ChangedAt      time.Time `json:"changed_at"`
}

func (AddressChanged) isSubscriptionEvent() {}

// ChangeAddress moves a subscription that has not ended onto the address (the caller checked that its
// plans are sold in the address's country). An ended subscription keeps the address it ended with, and a
// subscription already wholly on the address has nothing to move: both are no-ops.
func ChangeAddress(s State, addressID int64, now time.Time) ([]Event, error) {
	switch {
	case !s.Exists():
		return nil, ErrNotFound
	case s.Ended() || s.OnlyAt(addressID):
		return nil, nil
	}
	return []Event{AddressChanged{SubscriptionID: s.ID, AddressID: addressID, ChangedAt: now}}, nil
}

// UsesAddress reports whether the subscription may still ship to, or be taxed at, the address: it has not
// ended for good (an unpaid one is active again once paid) and the address is its own, a scheduled
// phase's, or that of a renewal or change awaiting its payment.
func (s State) UsesAddress(addressID int64) bool {
	return s.Exists() && !s.Finished() && slices.Contains(s.addresses(), addressID)
}

// Finished reports whether the subscription ended for good: canceled or expired (an unpaid one may be paid
// again, and then runs).
func (s State) Finished() bool { return s.Exists() && s.Ended() && s.Status != StatusUnpaid }

// PlanIDs are the plans the subscription holds or will: its own (and the one it returns to after a gift's
// term), its scheduled phases' and that of a renewal or change awaiting its payment, in that order.
func (s State) PlanIDs() []int64 {
	out := []int64{s.Terms.PlanID}
	if s.Own != nil {
		out = append(out, s.Own.Phase.Terms.PlanID)
	}
	for _, p := range s.Phases {
		out = append(out, p.Terms.PlanID)
	}
	if p := s.Awaiting; p != nil && p.Phase != nil {
		out = append(out, p.Phase.Terms.PlanID)
	}
	if p := s.Awaiting; p != nil && p.Change != nil {
		out = append(out, p.Change.Terms.PlanID)
	}
	return out
}

// addresses are the address ids of the subscription (and of the terms it returns to after a gift's term),
// its phases' and its awaited purchase's, in that order.
func (s State) addresses() []int64 {
	out := []int64{s.AddressID}
	if s.Own != nil {
		out = append(out, s.Own.Phase.AddressID)
	}
	for _, p := range s.Phases {
		out = append(out, p.AddressID)
	}
	if p := s.Awaiting; p != nil && p.Phase != nil {
		out = append(out, p.Phase.AddressID)
	}
	if p := s.Awaiting; p != nil && p.Change != nil {
		out = append(out, p.Change.AddressID)
	}
	return out
}

// OnlyAt reports whether every address the subscription holds (its own, its phases', an awaited
// purchase's) is addressID: moving it there would change nothing.
func (s State) OnlyAt(addressID int64) bool {
	return !slices.ContainsFunc(s.addresses(), func(id int64) bool { return id != addressID })
}

// movedTo is s with every address it holds (see addresses) replaced by addressID; nothing is shared with s.
func movedTo(s State, addressID int64) State {
	s.AddressID = addressID
	s.Phases = slices.Clone(s.Phases)
	for i := range s.Phases {
		s.Phases[i].AddressID = addressID
	}
	if s.Own != nil {
		own := *s.Own
		own.Phase.AddressID = addressID
		s.Own = &own
	}
	if s.Awaiting != nil {
		p := *s.Awaiting
		if p.Phase != nil {
			phase := *p.Phase
			phase.AddressID = addressID
			p.Phase = &phase
		}
		if p.Change != nil {
			change := *p.Change
			change.AddressID = addressID
			p.Change = &change
		}
		s.Awaiting = &p
	}
	return s
}
