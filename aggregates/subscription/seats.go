package subscription

import (
	"fmt"
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/emails"
)

// MaxInvitations is how many addresses one invitation may carry (#36).
const MaxInvitations = 100

// SeatStatus is where a seat stands (spec 3.10). Warning: a stored and served value.
type SeatStatus string

const (
	SeatPending SeatStatus = "pending"
	SeatActive  SeatStatus = "active"
)

// Member is one seat a membership subscription gives away; removed seats are dropped (they free the seat).
type Member struct {
	ID         int64
	Email      string
	Status     SeatStatus
	CustomerID int64
}

// Seats are the seats of a membership subscription, kept out of the state's JSON (the subscriptions read
// model stores the state; the member emails are personal data that live in the seats read model alone).
type Seats struct {
	Members []Member
	// LastID is the highest member id given so far: removed seats keep theirs, so an id is never reused.
	LastID int64
	// ErasedInvitations are the ids of the seats whose address was erased with its invitee
	// (MemberInvitationErased), live or removed since: a removed seat leaves Members, and its erasure must
	// still be known, or erasing it again would append another one (EraseInvitation).
	ErasedInvitations []int64
}

// invitationErased reports whether the address seat id was invited at was erased.
func (s Seats) invitationErased(id int64) bool { return slices.Contains(s.ErasedInvitations, id) }

// taken is how many seats are pending or active: the owner takes none (spec 2.5 #36).
func (s Seats) taken() int64 { return int64(len(s.Members)) }

// find returns the index of the live seat with id, or -1.
func (s Seats) find(id int64) int {
	for i, m := range s.Members {
		if m.ID == id {
			return i
		}
	}
	return -1
}

// byEmail returns the index of the live seat invited at email, or -1.
func (s Seats) byEmail(email string) int {
	for i, m := range s.Members {
		if m.Email == email && email != "" {
			return i
		}
	}
	return -1
}

// evolveSeats folds a seat event into the seats.
func evolveSeats(s Seats, e Event) Seats {
	switch e := e.(type) {
	case MemberInvited:
		s.Members = append(s.Members[:len(s.Members):len(s.Members)],
			Member{ID: e.MemberID, Email: e.Email, Status: SeatPending})
		s.LastID = max(s.LastID, e.MemberID)
	case MemberActivated:
		if i := s.find(e.MemberID); i >= 0 {
			s.Members = clone(s.Members)
			s.Members[i].Status, s.Members[i].CustomerID = SeatActive, e.CustomerID
		}
	case MemberRemoved:
		if i := s.find(e.MemberID); i >= 0 {
			s.Members = append(clone(s.Members[:i]), s.Members[i+1:]...)
		}
	case MemberInvitationErased:
		if i := s.find(e.MemberID); i >= 0 {
			s.Members = clone(s.Members)
			s.Members[i].Email = ""
		}
		if !s.invitationErased(e.MemberID) {
			s.ErasedInvitations = append(slices.Clip(s.ErasedInvitations), e.MemberID)
		}
	case Erased:
		s.Members = clone(s.Members)
		for i := range s.Members {
			s.Members[i].Email = ""
		}
	}
	return s
}

func clone(m []Member) []Member { return append([]Member(nil), m...) }

// SeatsOwnable refuses a seat command on a subscription that is not a membership (spec 2.5: `Invalid
// subscription provided`). Ownership is the caller's to check (State.BelongsTo).
func (s State) SeatsOwnable() error {
	if !s.Exists() || s.Type != TypeMembership {
		return ErrNotMembership
	}
	return nil
}

// InviteMembers gives a pending seat to each address (#36): 1–MaxInvitations valid addresses, none given
// twice, none already invited or an active member, none the owner's own (ownerEmail: the owner could never
// claim that seat, which would stay pending and taken for good), and all within the plan's seat capacity
// counting the seats pending and active. An ended subscription invites nobody. Every problem is reported at
// once: the capacity is checked against the addresses that break no rule of their own, so a bad address
// does not hide that the good ones alone are too many.
func InviteMembers(s State, addresses []string, ownerEmail string, now time.Time) ([]Event, error) {
	if err := s.SeatsOwnable(); err != nil {
		return nil, err
	}
	if s.Ended() {
		return nil, ErrEnded
	}
	valid, p := invitationProblems(s.Seats, addresses, emails.Normalise(ownerEmail))
	if free := s.Terms.MemberSeatCapacity - s.Seats.taken(); int64(len(valid)) > free {
		p = append(p, Problem{Field: "invitation_emails", Rule: RuleSeatCapacity,
			Max: int(max(s.Terms.MemberSeatCapacity, 0))})
	}
	if len(p) > 0 {
		return nil, p
	}
	events := make([]Event, len(valid))
	for i, email := range valid {
		events[i] = MemberInvited{SubscriptionID: s.ID, MemberID: s.Seats.LastID + int64(i) + 1, OwnerID: s.CustomerID,
			SiteID: s.SiteID,
			Email:  email, InvitedAt: now}
	}
	return events, nil
}

// invitationProblems normalises the addresses and checks each one, named by its index as the form posts it
// (invitation_emails.0); it returns the normalised addresses that break no rule, in order. owner is the
// owner's normalised address ("": unknown, e.g. erased).
func invitationProblems(seats Seats, addresses []string, owner string) ([]string, Problems) {
	switch {
	case len(addresses) == 0:
		return nil, Problems{{Field: "invitation_emails", Rule: RuleRequired}}
	case len(addresses) > MaxInvitations:
		return nil, Problems{{Field: "invitation_emails", Rule: RuleMaxItems, Max: MaxInvitations}}
	}
	var p Problems
	valid := make([]string, 0, len(addresses))
	seen := make(map[string]bool, len(addresses))
	for i, raw := range addresses {
		field := fmt.Sprintf("invitation_emails.%d", i)
		email := emails.Normalise(raw)
		if bad := emails.Problems(email); len(bad) > 0 {
			p = append(p, Problem{Field: field, Rule: emailRule(bad[0]), Max: bad[0].Max, Detail: bad[0].Detail})
			continue
		}
		switch j := seats.byEmail(email); {
		case seen[email]:
			p = append(p, Problem{Field: field, Rule: RuleDistinct})
		case owner != "" && email == owner:
			p = append(p, Problem{Field: field, Rule: RuleOwner})
		case j >= 0 && seats.Members[j].Status == SeatActive:
			p = append(p, Problem{Field: field, Rule: RuleActiveMember})
		case j >= 0:
			p = append(p, Problem{Field: field, Rule: RuleInvited})
		default:
			valid = append(valid, email)
		}
		seen[email] = true
	}
	return valid, p
}

// emailRule maps the shared email rules onto this aggregate's.
func emailRule(p Problem) Rule {
	switch p.Rule {
	case emails.RuleRequired:
		return RuleRequired
	case emails.RuleMaxLength:
		return RuleMaxLength
	}
	return RuleEmail
}

// RemoveMember removes a live seat (#37), freeing it. A seat that is not this subscription's (or was removed
// already) is ErrMemberNotFound.
func RemoveMember(s State, memberID int64, now time.Time) ([]Event, error) {
	if err := s.SeatsOwnable(); err != nil {
		return nil, err
	}
	if s.Seats.find(memberID) < 0 {
		return nil, ErrMemberNotFound
	}
	return []Event{MemberRemoved{SubscriptionID: s.ID, MemberID: memberID, RemovedAt: now}}, nil
}

// ActivateMember lets the customer who registered, logged in or verified email claim the pending seat
// invited at that address. Nothing to claim (no such seat, already active, the owner themself, not a
// membership, or erased addresses) is a no-op, so the claim can be tried on every sign-in. An ended
// subscription (canceled, expired, unpaid) seats nobody, as it invites nobody: its pending seats stay pending
// and unclaimed, and one that is paid again (unpaid) lets the next sign-in claim them.
func ActivateMember(s State, email string, customerID int64, now time.Time) ([]Event, error) {
	if s.SeatsOwnable() != nil || s.Ended() || customerID == s.CustomerID || customerID == 0 {
		return nil, nil
	}
	i := s.Seats.byEmail(emails.Normalise(email))
	if i < 0 || s.Seats.Members[i].Status != SeatPending {
		return nil, nil
	}
	return []Event{MemberActivated{SubscriptionID: s.ID, MemberID: s.Seats.Members[i].ID, CustomerID: customerID,
		ActivatedAt: now}}, nil
}
