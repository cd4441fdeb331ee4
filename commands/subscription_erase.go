package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
)

// EraseGift erases a subscription's personal data, the recipient of a gift the erased customer gave (the
// store shreds the subscription's key first). Erasing again changes nothing; an unknown subscription is
// subscription.ErrNotFound.
func (c Subscriptions) EraseGift(ctx context.Context, env Envelope, id int64) (SubscriptionResult, error) {
	return c.handle(ctx, env, id, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.Erase(s, now)
	})
}

// PartEraser shreds the key of a part of a data subject (personaldata.Store.ErasePart).
type PartEraser interface {
	ErasePart(ctx context.Context, part string) (bool, error)
}

// EraseInvitation erases the address seat memberID of subscription id was invited at, with the invitee's
// erasure: the address is sealed under a key of that seat alone (subscription.MemberInvited), which eraser
// shreds. Nothing is appended: the owner's stream keeps its record of the seat, with the address read as
// empty from then on. It reports false for an invitation with no key of its own, written before seats had
// one: sealed under the subscription's key, only the owner's erasure reaches it (docs/memberships.md).
func EraseInvitation(ctx context.Context, eraser PartEraser, id, memberID int64) (bool, error) {
	return eraser.ErasePart(ctx, personaldata.PartSubject(subscriptionStream(id), subscription.InvitationPart, memberID))
}
