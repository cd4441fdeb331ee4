package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// EraseGift erases a subscription's personal data, the recipient of a gift the erased customer gave (the
// store shreds the subscription's key first). Erasing again changes nothing; an unknown subscription is
// subscription.ErrNotFound.
func (c Subscriptions) EraseGift(ctx context.Context, env Envelope, id int64) (SubscriptionResult, error) {
	return c.handle(ctx, env, id, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.Erase(s, now)
	})
}
