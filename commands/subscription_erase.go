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
// erasure. The address is sealed under a key of that seat alone (subscription.MemberInvited), which eraser
// shreds first; then subscription.MemberInvitationErased tells every process folding the stream, and the
// seats read model, to forget it (a process's folded state keeps the address it opened before the shred).
// Erasing again is a no-op. It reports false for an invitation with no key of its own, written before seats
// had one: sealed under the subscription's key, only the owner's erasure reaches it in the log
// (docs/memberships.md); the event is appended all the same, so no state or read model shows it.
func (c Subscriptions) EraseInvitation(ctx context.Context, env Envelope, eraser PartEraser, id, memberID int64) (bool, error) {
	shredded, err := eraser.ErasePart(ctx, personaldata.PartSubject(subscriptionStream(id), subscription.InvitationPart, memberID))
	if err != nil {
		return false, err
	}
	_, err = c.handle(ctx, env, id, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.EraseInvitation(s, memberID, now)
	})
	return shredded, err
}
