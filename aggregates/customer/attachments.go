package customer

import (
	"errors"
	"slices"
	"time"
)

// Spec #47: an address's country and state cannot change once a subscription uses it; a subscription sold
// only in some countries would otherwise ship elsewhere, and one taxed at a place would be taxed at another.
// Subscriptions live in streams of their own, so the customer's stream records which subscriptions took
// which address (AddressAttached), before each one records that it uses it: a change of the address and a
// subscription taking it then meet on this stream's revision, and of the two only one decides on the
// address as the other left it.

// AttachmentGrace is how long an attachment counts by itself: the command that recorded it may still be
// billing the subscription it names, which does not use the address yet. Past it, an attachment counts
// only while its subscription uses the address (the caller reads the subscription). Keep it well above
// the time one subscription command takes (a payment gateway's answer included).
const AttachmentGrace = 15 * time.Minute

// Attachment is a subscription that took one of the customer's addresses, At the latest time it did.
type Attachment struct {
	AddressID      int64
	SubscriptionID int64
	At             time.Time
}

// Recent reports whether the attachment counts by itself at now (AttachmentGrace).
func (a Attachment) Recent(now time.Time) bool { return now.Sub(a.At) < AttachmentGrace }

// Attach is a subscription command taking one of the customer's addresses for a subscription: the
// address, and the country and state it priced the sale at.
type Attach struct {
	AddressID      int64
	SubscriptionID int64
	Country, State string
}

// ErrAddressMoved is returned when the address's country or state changed after the sale was priced: the
// sale was decided on a place the address no longer has.
var ErrAddressMoved = errors.New("customer: the address's country or state changed since the sale was priced")

// ErrNotSoldThere is returned when a subscription to move onto an address holds a plan that is not sold
// in the address's country.
var ErrNotSoldThere = errors.New("customer: a subscription to move is not sold in the address's country")

// AttachAddress records that the subscription takes the address (ErrAddressNotFound when the customer has
// none of that id; ErrAddressMoved when its country or state are not the ones priced). It is recorded
// even when the subscription took the address before, so the attachment is Recent again.
func AttachAddress(s State, c Attach, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	address, ok := s.Address(c.AddressID)
	switch {
	case !ok:
		return nil, ErrAddressNotFound
	case address.Country != c.Country || address.State != c.State:
		return nil, ErrAddressMoved
	}
	return []Event{attached(s.ID, c.AddressID, c.SubscriptionID, now)}, nil
}

func attached(customerID, addressID, subscriptionID int64, now time.Time) AddressAttached {
	return AddressAttached{CustomerID: customerID, AddressID: addressID, SubscriptionID: subscriptionID,
		AttachedAt: now}
}

// AttachedTo returns the attachments of the address, one per subscription that ever took it.
func (s State) AttachedTo(addressID int64) []Attachment {
	var out []Attachment
	for _, a := range s.Attachments {
		if a.AddressID == addressID {
			out = append(out, a)
		}
	}
	return out
}

// putAttachment returns a copy of attachments with a replacing the one of the same address and
// subscription, or appended.
func putAttachment(attachments []Attachment, a Attachment) []Attachment {
	out := slices.Clone(attachments)
	i := slices.IndexFunc(out, func(old Attachment) bool {
		return old.AddressID == a.AddressID && old.SubscriptionID == a.SubscriptionID
	})
	if i < 0 {
		return append(out, a)
	}
	out[i] = a
	return out
}

// Move is a subscription to move onto an address (is_default_updated, spec #47), with the countries each
// plan it holds is sold in (its own and its scheduled phases'; an empty list sells everywhere).
type Move struct {
	SubscriptionID int64
	SoldIn         [][]string
}

// soldIn reports whether every plan of the move is sold in country.
func (m Move) soldIn(country string) bool {
	return !slices.ContainsFunc(m.SoldIn, func(countries []string) bool {
		return len(countries) > 0 && !slices.Contains(countries, country)
	})
}

// placeProblems are the fields of the place (country, state) that differ between old and updated.
func placeProblems(old, updated Address) Problems {
	var out Problems
	if updated.Country != old.Country {
		out = append(out, Problem{Field: "country", Rule: RuleInUse})
	}
	if updated.State != old.State {
		out = append(out, Problem{Field: "state", Rule: RuleInUse})
	}
	return out
}
