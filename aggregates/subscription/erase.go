package subscription

import "time"

// Erase erases the subscription's personal data (a gift's recipient) with its customer's erasure: the
// event store shreds the subscription's key before it appends Erased. Erasing again is a no-op.
func Erase(s State, now time.Time) ([]Event, error) {
	switch {
	case !s.Exists():
		return nil, ErrNotFound
	case s.Erased:
		return nil, nil
	}
	return []Event{Erased{SubscriptionID: s.ID, ErasedAt: now}}, nil
}

// EraseInvitation forgets the address seat memberID was invited at, with its invitee's erasure (the seat
// keeps its status and place; a pending one can no longer be claimed). A removed seat is erased too: the seats
// read model keeps it, address included. Erasing a seat's invitation again, live or removed before or after,
// or any seat of an erased subscription, is a no-op whatever the command id; a seat the subscription never
// gave is ErrMemberNotFound.
func EraseInvitation(s State, memberID int64, now time.Time) ([]Event, error) {
	switch {
	case !s.Exists():
		return nil, ErrNotFound
	case memberID < 1 || memberID > s.Seats.LastID:
		return nil, ErrMemberNotFound
	case s.Erased, s.Seats.invitationErased(memberID):
		return nil, nil
	}
	return []Event{MemberInvitationErased{SubscriptionID: s.ID, MemberID: memberID, ErasedAt: now}}, nil
}
