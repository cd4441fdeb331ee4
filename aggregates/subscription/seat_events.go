package subscription

import "time"

// The seat events (spec 2.5 #35–#37, 3.10): the seats of a membership subscription live on its own stream,
// so the owner's invitations are decided against the seats already taken under the stream's expected
// revision, and two concurrent invitations can never share the last seat.

// InvitationPart is the member naming the part of the subscription's data subject that MemberInvited's
// Email is sealed under (its personal tag): the seat's own key. Warning: a stored name; it must match the tag.
const InvitationPart = "member_id"

// MemberInvited records a pending seat: Email was invited by the owner and the seat waits for the invitee to
// claim it (register, log in or verify that email). MemberID numbers the seat within the subscription.
type MemberInvited struct {
	SubscriptionID int64 `json:"subscription_id"`
	MemberID       int64 `json:"member_id"`
	// OwnerID and SiteID are the subscription's customer and site: the invitation mail and the seats read
	// model need them without the subscription's other events.
	OwnerID int64 `json:"owner_id"`
	SiteID  int64 `json:"site_id"`
	// Email is the normalised invitation address: the invitee's personal data, sealed under a key of this
	// seat alone (a part of the subscription's subject named by MemberID), so the invitee's erasure shreds
	// it (personaldata.Store.ErasePart) and the owner's erasure, which shreds the subscription's keys, too.
	// Invitations written before that were sealed under the subscription's own key (docs/memberships.md).
	Email     string    `json:"email" personal:"part:member_id"`
	InvitedAt time.Time `json:"invited_at"`
}

// MemberActivated records that the customer CustomerID claimed the pending seat MemberID: from now on they
// share the owner's entitlements, for as long as the subscription runs.
type MemberActivated struct {
	SubscriptionID int64     `json:"subscription_id"`
	MemberID       int64     `json:"member_id"`
	CustomerID     int64     `json:"customer_id"`
	ActivatedAt    time.Time `json:"activated_at"`
}

// MemberRemoved records that the owner removed a seat (#37): a soft delete that frees it.
type MemberRemoved struct {
	SubscriptionID int64     `json:"subscription_id"`
	MemberID       int64     `json:"member_id"`
	RemovedAt      time.Time `json:"removed_at"`
}

// MemberInvitationErased records that the address seat MemberID was invited at was erased with its
// invitee: every process folding the stream forgets it (the seat stays, with no address, and cannot be
// claimed through it), and the seats read model blanks it, a rebuild included. It carries no personal data:
// the address itself is shredded with its seat's key, or, for an invitation sealed under the subscription's
// key, stays in MemberInvited until the owner's erasure (docs/memberships.md).
type MemberInvitationErased struct {
	SubscriptionID int64     `json:"subscription_id"`
	MemberID       int64     `json:"member_id"`
	ErasedAt       time.Time `json:"erased_at"`
}

func (MemberInvited) isSubscriptionEvent()          {}
func (MemberActivated) isSubscriptionEvent()        {}
func (MemberRemoved) isSubscriptionEvent()          {}
func (MemberInvitationErased) isSubscriptionEvent() {}
